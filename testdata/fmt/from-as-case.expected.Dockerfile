FROM golang:1.22 AS builder
FROM alpine AS runtime
FROM builder AS test
FROM alpine
