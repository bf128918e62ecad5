FROM alpine
RUN <<EOF
x
EOF
RUN <<EOF
y
EOF
COPY a b
