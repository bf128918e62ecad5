FROM alpine
RUN <<EOF
body
 EOF
EOF 
EOF
