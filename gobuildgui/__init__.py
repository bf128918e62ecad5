"""gobuildgui: find and fix why `go mod download` fails inside `docker build`."""

__version__ = "0.1.0"
