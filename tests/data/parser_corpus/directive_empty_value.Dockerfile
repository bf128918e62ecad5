# syntax=
FROM alpine
