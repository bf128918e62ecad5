FROM alpine
RUN apk add \
    curl
# comment
ENV A=1 \
    B=2
CMD ["sh"]
