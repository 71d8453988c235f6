FROM node:20
RUN set -eux; \
	npm install -g npm@10; \
	npm --version; \
	npm cache clean --force
