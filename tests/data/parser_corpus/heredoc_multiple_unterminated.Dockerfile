FROM alpine
COPY <<a <<b /x/
only a
a
