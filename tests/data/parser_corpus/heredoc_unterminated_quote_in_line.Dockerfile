FROM alpine
RUN <<EOF echo "x
body
EOF
