FROM alpine
CMD [echo, hello]
RUN ["unterminated
ENTRYPOINT ['single', 'quotes']
