FROM alpine
RUN <<"EOF" bash
echo $HOME
EOF
