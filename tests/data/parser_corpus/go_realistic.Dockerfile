# syntax=docker/dockerfile:1.7
ARG GO_VERSION=1.22.3
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
ARG TARGETOS TARGETARCH
ENV GOPROXY=https://proxy.golang.org,direct \
    GOPRIVATE=git.corp.example/* \
    GOFLAGS=-mod=readonly \
    CGO_ENABLED=0
WORKDIR /src
COPY --link go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod,sharing=locked \
    --mount=type=secret,id=netrc,target=/root/.netrc,required=true \
    go mod download -x
COPY --link . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /usr/local/bin/app
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/app"]
