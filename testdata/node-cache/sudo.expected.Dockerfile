FROM node:20
USER node
RUN sudo npm install -g pm2 && sudo npm cache clean --force
