FROM alpine
ENV A=1 B="two words" C='single quoted' D=a\ b E="with \"escaped\" quotes"
ENV LEGACY value with   spaces
ENV E=
ENV "QUOTED"=key
ENV F=${A:-default} G=$B
