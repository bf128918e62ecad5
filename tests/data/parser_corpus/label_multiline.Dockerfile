FROM alpine
LABEL org.opencontainers.image.title="app" \
      org.opencontainers.image.description="a \
multi-line value" \
      version=1.0
LABEL legacy value here
