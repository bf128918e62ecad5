FROM alpine
RUN echo "<<EOF" '<<EOT'
RUN echo x<<EOF
