FROM alpine
FOO bar baz
RUNN echo typo
