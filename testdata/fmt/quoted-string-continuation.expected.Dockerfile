FROM debian
RUN echo "line one   \
      still inside the string" \
    && echo 'single   \
  quoted' \
    && echo after
ENV MSG="hello   \
    world" \
    OTHER=1
RUN echo a\ \
  b
