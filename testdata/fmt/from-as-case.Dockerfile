FROM golang:1.22 as builder
FROM alpine As runtime
FROM builder aS test
FROM alpine
