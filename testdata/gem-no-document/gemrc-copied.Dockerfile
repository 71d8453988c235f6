FROM ruby:3.3
COPY gemrc /root/.gemrc
RUN gem install bundler
