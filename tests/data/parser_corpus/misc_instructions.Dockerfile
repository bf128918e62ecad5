FROM alpine
MAINTAINER Jane Doe <jane@example.com>
STOPSIGNAL SIGTERM
USER 1000:1000
WORKDIR /app
WORKDIR   sub dir   
