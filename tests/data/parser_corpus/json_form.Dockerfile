FROM alpine
CMD ["echo", "hello world"]
ENTRYPOINT [ "/bin/sh" , "-c" ]
RUN ["a\"b", "\u00e9"]
