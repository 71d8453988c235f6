# hadolint ignore=DL3007
FROM python:latest
# dslim ignore=DS205
FROM node
