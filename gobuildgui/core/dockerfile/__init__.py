"""Dockerfile intelligence: the parser, the rule engine and the rules."""
