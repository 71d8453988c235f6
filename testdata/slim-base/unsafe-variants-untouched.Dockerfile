FROM python:3.12-slim
FROM python:3.12-alpine3.19
FROM node:20-bookworm-slim
FROM python:3.12-windowsservercore-ltsc2022
FROM debian:bookworm-backports
FROM ubuntu:22.04
FROM ghcr.io/acme/python:3.12
