FROM node:20-slim
COPY tool.deb /tmp/
RUN dpkg -i /tmp/tool.deb
