"""Generate realistic Go Dockerfiles of a chosen size for benchmarks."""

from __future__ import annotations

_BUILD_STAGE = """\
# ---- service {i}: build ----
FROM --platform=$BUILDPLATFORM golang:${{GO_VERSION}}-bookworm AS build{i}
ARG TARGETOS
ARG TARGETARCH
ENV GOPROXY=https://goproxy.corp.example|https://proxy.golang.org|direct \\
    GOPRIVATE=git.corp.example/* \\
    GOFLAGS=-mod=readonly
WORKDIR /src/svc{i}
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
COPY --link svc{i}/go.mod svc{i}/go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod,sharing=locked \\
    --mount=type=secret,id=netrc,target=/root/.netrc,required=true \\
    go mod download -x
COPY --link svc{i}/ ./
RUN --mount=type=cache,target=/go/pkg/mod \\
    --mount=type=cache,target=/root/.cache/go-build \\
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \\
    go build -trimpath -ldflags="-s -w" -o /out/svc{i} ./cmd/svc{i}
RUN <<EOF
set -eu
echo "built svc{i}" > /out/svc{i}.txt
EOF

# ---- service {i}: runtime ----
FROM gcr.io/distroless/static-debian12:nonroot AS svc{i}
COPY --from=build{i} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build{i} /out/svc{i} /usr/local/bin/svc{i}
LABEL org.opencontainers.image.title="svc{i}" org.opencontainers.image.source="https://git.corp.example/svc{i}"
EXPOSE 80{i:02d}
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/svc{i}"]

"""

_HEADER = """\
# syntax=docker/dockerfile:1.10
ARG GO_VERSION=1.24
"""


def generate(lines: int) -> str:
    """A multi-stage Go Dockerfile of exactly ``lines`` lines, cut at a stage boundary."""
    out = [_HEADER]
    count = _HEADER.count("\n")
    i = 0
    while count < lines:
        block = _BUILD_STAGE.format(i=i)
        out.append(block)
        count += block.count("\n")
        i += 1
    kept = "".join(out).split("\n")[:lines]
    # Never cut inside a heredoc or a continuation: drop the tail back to a blank line.
    while kept and kept[-1].strip():
        kept.pop()
    kept += [f"# padding {n}" for n in range(lines - len(kept))]
    return "\n".join(kept) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
