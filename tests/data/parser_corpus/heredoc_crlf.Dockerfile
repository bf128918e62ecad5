FROM alpine
RUN <<EOF
echo crlf
EOF
RUN echo after
