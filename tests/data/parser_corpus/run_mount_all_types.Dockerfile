FROM golang:1.22
RUN --mount=type=cache,target=/go/pkg/mod,id=gomod,sharing=locked,mode=0755,uid=1000,gid=1000 \
    --mount=type=cache,target=/root/.cache/go-build,from=cachestage,source=/cache,ro \
    go build ./...
RUN --mount=type=bind,source=.,target=/src,rw go vet ./...
RUN --mount=type=bind,from=build,src=/out,dst=/mnt,readonly=true ls /mnt
RUN --mount=type=tmpfs,target=/tmp,size=64m ls /tmp
RUN --mount=type=secret,id=netrc,target=/root/.netrc,required=true,mode=0400 cat /root/.netrc
RUN --mount=type=secret,id=aws,env=AWS_TOKEN echo ok
RUN --mount=type=ssh,id=default,required git clone git@github.com:o/r.git
RUN --mount=target=/x echo default-bind
