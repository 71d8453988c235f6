# syntax=docker/dockerfile:1
FROM ruby:3.3
RUN <<EOF
gem install bundler
EOF
