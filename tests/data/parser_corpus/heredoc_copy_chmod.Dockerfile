FROM alpine
COPY --chmod=0755 <<EOF /usr/local/bin/hello
#!/bin/sh
echo hello
EOF
