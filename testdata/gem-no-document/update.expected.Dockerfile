FROM ruby:3.3
RUN gem update --no-document --system
