FROM python:latest AS build
FROM build
FROM docker.io/library/debian:latest
