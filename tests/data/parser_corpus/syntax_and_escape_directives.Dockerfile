# syntax=docker/dockerfile:1.7-labs
# escape=\
FROM scratch
COPY --parents ./a/ /b/
