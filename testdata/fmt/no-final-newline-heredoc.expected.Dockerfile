FROM debian
RUN <<EOF
echo hi
EOF
