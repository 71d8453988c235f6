FROM debian
RUN echo hi
COPY --chown=app:app --chmod=644 a  b
RUN --mount=type=cache,target=/root/.cache --network=none pip install x
COPY --chown="a b" x y
