FROM alpine
RUN echo  vt  ff
ENV A=B
