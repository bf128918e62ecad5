FROM alpine
RUN echo "a b" 'c d' e\ f
