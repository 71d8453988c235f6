FROM debian:bookworm
RUN (echo "$((JOBS=4))") \
    && echo "jobs=$JOBS"
