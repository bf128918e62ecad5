FROM alpine
RUN cat <<EOF>/etc/x
body
EOF>/etc/x
