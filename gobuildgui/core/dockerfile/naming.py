"""Which files are Dockerfiles, which one of several dropped paths to open, and go.mod's Go line.

These are the window's decisions about paths, kept here without Qt so they are
tested as plain functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gobuildgui.core.dockerfile.project import MAX_SIDE_FILE_BYTES, parse_go_mod
from gobuildgui.core.dockerfile.source import find_dockerfile
from gobuildgui.core.errors import InputError

_NAME_RE = re.compile(
    r"^(?:dockerfile|containerfile|dockerfile\..+|containerfile\..+|.+\.dockerfile|.+\.containerfile)$",
    re.IGNORECASE,
)


def is_dockerfile_name(name: str) -> bool:
    """Whether a file called ``name`` is a Dockerfile by its name.

    ``Dockerfile``, ``Containerfile``, ``Dockerfile.*``, ``*.Dockerfile`` (any case,
    so ``*.dockerfile`` too).  Hidden files, editor backups (``~``) and per-Dockerfile
    ignore files (``Dockerfile.dockerignore``) are not.
    """
    if name.startswith(".") or name.endswith("~") or name.lower().endswith(".dockerignore"):
        return False
    return bool(_NAME_RE.match(name))


def folder_dockerfiles(folder: Path) -> tuple[Path, ...]:
    """The files in ``folder`` whose names are Dockerfile names, sorted (none if unreadable)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return ()
    found = []
    for entry in entries:
        try:
            if entry.is_file() and is_dockerfile_name(entry.name):
                found.append(entry)
        except OSError:
            continue
    return tuple(found)


@dataclass(frozen=True, slots=True)
class DropChoice:
    """What to open from a set of dropped (or passed) paths."""

    path: Path | None  # the file to open; None when nothing fits
    ignored: tuple[Path, ...]  # the other paths, in the order given
    reason: str = ""  # why nothing fits (when ``path`` is None)


def choose_dockerfile(paths: Sequence[Path]) -> DropChoice:
    """Pick the Dockerfile to open from dropped paths.

    One path is opened as it is (a folder means its Dockerfile, any single file is
    tried even with another name: the user chose it).  From several, the first whose
    name is a Dockerfile's wins, else the first folder that holds one; the rest are
    reported as ignored.
    """
    if not paths:
        return DropChoice(None, (), "nothing was dropped")
    if len(paths) == 1:
        only = paths[0]
        if only.is_dir():
            try:
                return DropChoice(find_dockerfile(only), ())
            except InputError as exc:
                return DropChoice(None, (only,), exc.message)
        return DropChoice(only, ())
    chosen: Path | None = None
    for p in paths:
        if not p.is_dir() and is_dockerfile_name(p.name):
            chosen = p
            break
    if chosen is None:
        for p in paths:
            if p.is_dir():
                try:
                    found = find_dockerfile(p)
                except InputError:
                    continue
                ignored = tuple(q for q in paths if q != p)
                return DropChoice(found, ignored)
        names = ", ".join(p.name for p in paths)
        return DropChoice(
            None,
            tuple(paths),
            f"none of the dropped files is a Dockerfile ({names}); drop a file called"
            " Dockerfile, Containerfile, Dockerfile.* or *.Dockerfile, or its folder",
        )
    return DropChoice(chosen, tuple(q for q in paths if q != chosen))


def go_mod_summary(dockerfile: Path) -> str:
    """The Go version of the go.mod beside ``dockerfile``, for a status bar.

    ``"go 1.22 (toolchain go1.22.3)"``, ``"go 1.22"``, ``"go.mod has no go line"`` or
    ``"no go.mod"``.
    """
    go_mod = dockerfile.parent / "go.mod"
    try:
        with go_mod.open("rb") as fh:
            data = fh.read(MAX_SIDE_FILE_BYTES)
    except OSError:
        return "no go.mod"
    mod = parse_go_mod(data.decode("utf-8", errors="replace"))
    text = "go.mod has no go line" if mod.go_text is None else f"go {mod.go_text}"
    if mod.toolchain_text is not None:
        text += f" (toolchain {mod.toolchain_text})"
    return text
