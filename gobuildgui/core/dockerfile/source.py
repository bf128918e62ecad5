"""Reading Dockerfiles from disk or bytes, with clear errors for what cannot be linted.

Text is kept exactly as in the file (a UTF-8 BOM included; the parser skips it) so
that every offset, line and column matches what an editor shows.  Binary files and
files bigger than a limit are refused with an :class:`InputError`; invalid UTF-8 is
decoded with U+FFFD replacement characters and flagged, never refused.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import NamedTuple

from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.errors import InputError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 8192  # NUL bytes in this much of the start mean "binary"

_PATTERN_RE = re.compile(r"^(?:dockerfile\..+|.+\.dockerfile)$", re.IGNORECASE)


class SourceText(NamedTuple):
    """Decoded Dockerfile text."""

    text: str
    invalid_utf8: bool = False  # undecodable bytes were replaced with U+FFFD


class LoadedDockerfile(NamedTuple):
    """A Dockerfile read from disk, with the files around it."""

    path: Path  # the file itself (found inside the folder when a folder was given)
    text: str
    project: ProjectContext
    invalid_utf8: bool = False


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"


def read_dockerfile_bytes(
    data: bytes, *, path: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> SourceText:
    """Decode the bytes of a Dockerfile called ``path`` (used in error messages).

    Raises:
        InputError: more than ``max_bytes`` bytes, or binary (NUL bytes near the start,
            which includes UTF-16 and UTF-32 text).
    """
    if len(data) > max_bytes:
        raise InputError(
            path,
            f"{path} is too big ({_size(len(data))}); gobuildgui reads Dockerfiles of up to"
            f" {_size(max_bytes)}",
        )
    if b"\x00" in data[:SNIFF_BYTES]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            why = "it is UTF-16 text; save it as UTF-8"
        else:
            why = "it contains NUL bytes, so it looks like a binary file, not a Dockerfile"
        raise InputError(path, f"cannot lint {path}: {why}")
    try:
        return SourceText(data.decode("utf-8"))
    except UnicodeDecodeError:
        return SourceText(data.decode("utf-8", errors="replace"), invalid_utf8=True)


def describe_os_error(exc: OSError) -> str:
    """A short, actionable reason for an OSError (without the file name)."""
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions and owner"
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder; check the path"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder"
    if isinstance(exc, NotADirectoryError):
        return "a part of the path is not a folder; check the path"
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    return (exc.strerror or str(exc)).lower()


def read_dockerfile(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read and decode a Dockerfile on disk.

    Raises:
        InputError: unreadable, too big or binary; the message names the file.
    """
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise InputError(
                    path,
                    f"{path} is too big ({_size(size)}); gobuildgui reads Dockerfiles of up to"
                    f" {_size(max_bytes)}",
                )
            data = fh.read(max_bytes + 1)  # st_size is 0 for pipes; cap what we read
    except OSError as exc:
        raise InputError(path, f"cannot read {path}: {describe_os_error(exc)}") from None
    return read_dockerfile_bytes(data, path=str(path), max_bytes=max_bytes)


def find_dockerfile(folder: Path) -> Path:
    """The Dockerfile of ``folder``.

    ``Dockerfile`` wins, then ``Containerfile`` (then their lower-case spellings);
    otherwise the one file called ``Dockerfile.*`` or ``*.Dockerfile``.  Hidden files,
    editor backups (``~``) and per-Dockerfile ignore files (``*.dockerignore``) are
    never candidates.

    Raises:
        InputError: the folder cannot be listed, has no candidate, or has several and
            none of them is ``Dockerfile`` or ``Containerfile``.
    """
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it if _is_file(e))
    except OSError as exc:
        raise InputError(folder, f"cannot read folder {folder}: {describe_os_error(exc)}") from None
    present = set(names)
    for preferred in ("Dockerfile", "Containerfile", "dockerfile", "containerfile"):
        if preferred in present:
            return folder / preferred
    candidates = [
        n
        for n in names
        if _PATTERN_RE.match(n)
        and not n.startswith(".")
        and not n.endswith("~")
        and not n.lower().endswith(".dockerignore")
    ]
    if len(candidates) == 1:
        return folder / candidates[0]
    if not candidates:
        raise InputError(
            folder,
            f"no Dockerfile in {folder} (looked for Dockerfile, Containerfile, *.Dockerfile"
            " and Dockerfile.*); pass the file's path instead",
        )
    listed = ", ".join(candidates)
    raise InputError(
        folder, f"several Dockerfiles in {folder} ({listed}); pass the one to lint by its path"
    )


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def load_dockerfile(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDockerfile:
    """Read a Dockerfile, or the Dockerfile of a folder, with its project context.

    Raises:
        InputError: see :func:`read_dockerfile` and :func:`find_dockerfile`.
    """
    if path.is_dir():
        path = find_dockerfile(path)
    source = read_dockerfile(path, max_bytes=max_bytes)
    return LoadedDockerfile(
        path=path,
        text=source.text,
        project=ProjectContext.for_dockerfile(path),
        invalid_utf8=source.invalid_utf8,
    )
