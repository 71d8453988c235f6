FROM python:3.12-slim
# dslim ignore=DS101
FROM node:20
