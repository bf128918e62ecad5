FROM alpine
CMD ["echo", "x"] trailing
