FROM alpine
RUN <<EOF
echo never closed
RUN echo next
