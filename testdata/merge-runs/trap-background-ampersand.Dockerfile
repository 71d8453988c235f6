FROM redis:7
RUN echo prepare
RUN redis-server &
RUN redis-cli ping
