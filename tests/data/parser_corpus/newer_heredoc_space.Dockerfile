FROM alpine
RUN cat << EOF
body
EOF
