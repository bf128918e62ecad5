FROM alpine
LABEL description="héllo wörld ✓" maintainer="Zoë <zoe@exämple.org>"
RUN echo "日本語のテキスト" && echo 'emoji 🐳'
ENV GREETING=привет
WORKDIR /données
