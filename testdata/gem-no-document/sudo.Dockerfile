FROM ruby:3.3
USER app
RUN sudo gem install bundler -v 2.5.0
