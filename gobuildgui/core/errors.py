"""Errors that the front ends report to the user as one clear line.

Anything else that escapes from the core is a bug; these are the expected failures:
a configuration file that says something wrong, or an input file that cannot be used.
"""

from __future__ import annotations

from pathlib import Path


class Error(Exception):
    """Base class of the errors gobuildgui reports to the user instead of a traceback."""


class ConfigError(Error):
    """A configuration file is unreadable, not TOML, or has an unknown key or bad value.

    ``str(err)`` is ``"<path>: <message>"``.
    """

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class InputError(Error):
    """An input file cannot be linted: unreadable, missing, binary or too big.

    ``message`` is a whole sentence that already names the file (``"cannot read
    Dockerfile: permission denied; ..."``), so ``str(err)`` is just the message.
    """

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path) if not isinstance(path, Path) else path
        self.message = message
        super().__init__(message)
