FROM alpine
RUN <<E"O"F
body
EOF
