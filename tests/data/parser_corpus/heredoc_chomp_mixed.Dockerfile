FROM alpine
COPY <<-A <<B /x/
	one
	A
	two
B
