FROM python:3.12-alpine
FROM python:3.12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM python
FROM debian:bookworm-slim
