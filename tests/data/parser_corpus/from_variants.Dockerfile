ARG BASE=alpine
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM ${BASE}:3.19 as Runtime
FROM build
FROM scratch
FROM "quoted-image"
