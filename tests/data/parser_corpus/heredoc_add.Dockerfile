FROM alpine
ADD <<EOF /x
added
EOF
