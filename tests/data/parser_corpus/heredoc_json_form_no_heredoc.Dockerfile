FROM alpine
RUN ["cat", "<<EOF"]
EOF
