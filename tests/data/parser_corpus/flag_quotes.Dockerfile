FROM alpine
RUN --mount=type=secret,id="my secret",target=/s cat /s
COPY --chown='1000:1000' a b
COPY --chown="a"b"c" x y
RUN --mount="type=cache,target=/x" --mount=type='cache',target=/y echo
COPY --from=a\ b x y
