FROM registry.access.redhat.com/ubi9/ubi
RUN dnf install -y mariadb-server \
    && case "$(uname -m)" in x86_64|aarch64) echo supported ;; *) echo "unsupported arch"; exit 1 ;; esac \
    && awk '/^VERSION_ID/ { if ($0 ~ /9/) exit 0 }' /etc/os-release
