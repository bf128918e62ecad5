ARG IMG=golang
ARG TAG
FROM ${IMG}:${TAG:-1.22} AS a
FROM a AS b
FROM b
COPY --from=a /x /y
