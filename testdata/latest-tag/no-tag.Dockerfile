FROM node
RUN npm -v
