# escape=`
FROM alpine
ENV A=b` c D=e\f
RUN echo `
  x
