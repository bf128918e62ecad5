FROM alpine
RUN 3<<EOF cat /dev/fd/3
three
EOF
