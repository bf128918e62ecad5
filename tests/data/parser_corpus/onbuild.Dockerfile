FROM alpine
ONBUILD RUN echo triggered
ONBUILD COPY --from=build /a /b
onbuild add . /app
ONBUILD ONBUILD RUN x
ONBUILD FROM alpine
ONBUILD
ONBUILD ENV a=b c=d
