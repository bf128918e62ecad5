FROM alpine AS src
FROM alpine
COPY --from=src --chown=1000:1000 --chmod=0644 /a /b
COPY --link --parents ./x/**/go.mod /out/
COPY --exclude=*.md --exclude=docs/ . /app
COPY --chown=app:app --link=true a b
COPY -- --weird-name /dst
