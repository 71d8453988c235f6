FROM my-base-with-lists
RUN apt-get install -y curl
