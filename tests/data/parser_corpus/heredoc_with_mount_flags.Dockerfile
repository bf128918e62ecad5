FROM golang:1.22
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=secret,id=netrc,target=/root/.netrc <<EOF
go mod download
EOF
