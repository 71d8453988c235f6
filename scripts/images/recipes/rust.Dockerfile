# rust:<v>[-slim]: Debian's Rust (rustc-web and cargo-web, the newer Rust
# Debian keeps for browsers; the plain rustc/cargo are older) laid out as the
# official image: CARGO_HOME=/usr/local/cargo (cargo install lands in its bin,
# on PATH, writable by all), RUSTUP_HOME=/usr/local/rustup (no rustup: targets
# and toolchains cannot be added). BASE is buildpack-deps:<release> for the
# full image or debian:<release>-slim for -slim (which adds gcc and libc6-dev,
# as the official slim does).
ARG BASE
FROM $BASE
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo
ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN set -eu; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      rustc-web cargo-web gcc libc6-dev ca-certificates; \
    rm -rf /var/lib/apt/lists/*; \
    mkdir -p "$CARGO_HOME/bin" "$RUSTUP_HOME"; \
    for b in $(dpkg -L rustc-web cargo-web | grep -E '/bin/[^/]+$'); do \
      [ -x "$b" ] && [ ! -d "$b" ] || continue; \
      n=$(basename "$b"); n=${n%-web}; \
      [ -e "$CARGO_HOME/bin/$n" ] || ln -s "$b" "$CARGO_HOME/bin/$n"; \
    done; \
    chmod -R a+w "$CARGO_HOME" "$RUSTUP_HOME"; \
    rustc --version; cargo --version
