FROM alpine
RUN apk add \   
    curl \	
    git \ 	 
    make
RUN echo done
