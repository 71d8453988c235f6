# The CMD names the program, so which file cargo built is not known.
FROM rust:1.80
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["server"]
