# check=skip=JSONArgsRecommended
# escape=`
FROM alpine
RUN echo a `
  b
