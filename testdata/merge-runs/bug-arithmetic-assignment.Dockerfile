FROM debian:bookworm
RUN echo "$((JOBS=4))"
RUN echo "jobs=$JOBS"
