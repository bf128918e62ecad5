FROM alpine
COPY <<first <<second /dst/
content one
first
content two
second
RUN cat /dst/first /dst/second
