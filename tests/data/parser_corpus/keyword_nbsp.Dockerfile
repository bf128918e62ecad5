FROM alpine
RUN echo nbsp
RUN echo x
