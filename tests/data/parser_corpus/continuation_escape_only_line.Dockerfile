FROM alpine
\
RUN echo x
  \
  RUN echo y
