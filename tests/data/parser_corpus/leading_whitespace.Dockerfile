   FROM alpine
		RUN echo indented
    # indented comment
  ENV A=1
