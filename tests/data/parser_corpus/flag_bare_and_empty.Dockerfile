FROM alpine
COPY --link --chmod= a b
RUN -- echo x
RUN --x-- y
