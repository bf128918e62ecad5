FROM alpine
RUN echo ${A#x} <<EOF
body
EOF
