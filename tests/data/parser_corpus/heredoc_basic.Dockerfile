FROM alpine
RUN <<EOF
set -eux
apk add curl
EOF
RUN echo after
