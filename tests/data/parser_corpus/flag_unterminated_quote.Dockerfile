FROM alpine
COPY --chown="unterminated a b
