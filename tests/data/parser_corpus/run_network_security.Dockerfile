FROM alpine
RUN --network=none echo offline
RUN --network=host apk add curl
RUN --network=default echo d
RUN --security=insecure echo privileged
RUN --security=sandbox --network=none echo both
