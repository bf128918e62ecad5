FROM	alpine
	RUN	echo	tab
ENV	A=1	B=2
COPY	--link	a	b
