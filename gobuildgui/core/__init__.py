"""The Qt-free core: parsing, linting, probes and fix plans as plain data."""
