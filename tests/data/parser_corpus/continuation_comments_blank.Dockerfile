FROM alpine
RUN apk add --no-cache \
    # the compiler
    gcc \

    # and friends
    musl-dev \
        # indented comment
    make
RUN echo ok
