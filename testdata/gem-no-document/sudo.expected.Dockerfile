FROM ruby:3.3
USER app
RUN sudo gem install --no-document bundler -v 2.5.0
