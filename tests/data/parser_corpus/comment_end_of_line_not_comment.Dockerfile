FROM alpine # not a comment
RUN echo hi # part of the command
