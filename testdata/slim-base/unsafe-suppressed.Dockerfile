FROM python:3.12
# dslim ignore=DS101
FROM node:20
