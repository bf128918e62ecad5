"""Reading a file an editor is about to change, and turning new text into a FileChange.

Editors read through :func:`read_target` so that every plan records the exact bytes it
was made from (the writer refuses when they changed), the encoding to keep, and whether
root is needed to write the file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from gobuildgui.core.fixes.model import FileChange, RefusedError, digest

MAX_CONFIG_BYTES = 4 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class TargetFile:
    """The state of a target file at planning time (``text`` None: it does not exist)."""

    path: Path
    text: str | None
    raw: bytes | None
    encoding: str
    mode: int | None
    owner: tuple[int, int] | None
    writable: bool

    @property
    def exists(self) -> bool:
        """Whether the file exists."""
        return self.raw is not None

    def change(self, new_text: str, description: str, *, new_mode: int = 0o644) -> FileChange:
        """A :class:`FileChange` from this state to ``new_text``."""
        return FileChange(
            path=self.path,
            old_text=self.text,
            new_text=new_text,
            old_digest=digest(self.raw),
            description=description,
            needs_root=not self.writable,
            encoding=self.encoding,
            mode=self.mode if self.mode is not None else new_mode,
            owner=self.owner,
        )


def split_lines(text: str, *, keepends: bool = False) -> list[str]:
    """Lines split at ``\\n`` only, as Go, systemd and JSON see them.

    ``str.splitlines`` also breaks at \\x1c-\\x1e, \\x85 and U+2028, which may stand
    inside a value. Without ``keepends`` a trailing ``\\r`` is dropped too.
    """
    if not text:
        return []
    parts = text.split("\n")
    if keepends:
        out = [p + "\n" for p in parts[:-1]]
        if parts[-1]:
            out.append(parts[-1])
        return out
    if parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def _euid() -> int:
    geteuid = getattr(os, "geteuid", None)
    return int(geteuid()) if geteuid is not None else 1


def can_write(path: Path, *, euid: int | None = None) -> bool:
    """Whether a process of ``euid`` (default: this one) may replace ``path`` without
    elevation, keeping its owner.

    An atomic replace needs write access to the folder (for the temp file) and creates a
    new file owned by the writer: so a non-root user may replace only files it owns, in
    folders it may write. For another ``euid`` than this process's the check reads the
    permission bits (owner and other; group membership is not known, so group bits do
    not count): the wizard and the tests use it to plan as another user would.
    """
    real = Path(os.path.realpath(path))
    folder = real.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if os.name != "posix":  # no uids: ask the OS (ACLs decide on Windows)
        return os.access(folder, os.W_OK) and (not real.exists() or os.access(real, os.W_OK))
    me = _euid()
    who = me if euid is None else euid
    if who == 0:
        return True
    try:
        st = real.stat()
    except OSError:
        st = None
    if st is not None and st.st_uid != who:
        return False
    if who == me:
        return os.access(folder, os.W_OK | os.X_OK) and (st is None or os.access(real, os.W_OK))
    return _bits_allow(folder, who, stat.S_IWUSR | stat.S_IXUSR, stat.S_IWOTH | stat.S_IXOTH) and (
        st is None or _bits_allow(real, who, stat.S_IWUSR, stat.S_IWOTH)
    )


def _bits_allow(path: Path, uid: int, owner_bits: int, other_bits: int) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    mode = stat.S_IMODE(st.st_mode)
    if st.st_uid == uid:
        return mode & owner_bits == owner_bits
    return mode & other_bits == other_bits


def _looks_utf16(raw: bytes) -> bool:
    # UTF-16 without a BOM: ASCII text has a zero in every other byte.
    head = raw[:8]
    if len(head) < 4:
        return False
    return all(b == 0 for b in head[1::2]) or all(b == 0 for b in head[0::2])


def read_target(path: Path, *, euid: int | None = None, what: str = "file") -> TargetFile:
    """Read ``path`` for editing; raise :class:`RefusedError` for what cannot be kept intact.

    Refused: a folder or other non-regular file, unreadable files, files over 4 MB,
    UTF-16/UTF-32 text (a byte-order mark other than UTF-8's), and invalid UTF-8. A UTF-8
    byte-order mark is kept (``encoding="utf-8-sig"``).
    """
    writable = can_write(path, euid=euid)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return TargetFile(path, None, None, "utf-8", None, None, writable)
    except OSError as exc:
        raise RefusedError(
            path, f"cannot read the {what}: {exc.strerror}", "Check the path and its permissions."
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise RefusedError(
            path, f"the {what} is not a regular file", "Point the fix at the file itself."
        )
    if st.st_size > MAX_CONFIG_BYTES:
        raise RefusedError(
            path,
            f"the {what} is {st.st_size} bytes, too big to be a configuration file",
            "Check that this is the right file.",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        hint = "Run the fix as a user who may read it, or copy the file and use --file."
        raise RefusedError(path, f"cannot read the {what}: {exc.strerror}", hint) from None
    encoding = "utf-8"
    body = raw
    if raw.startswith(_BOM):
        encoding, body = "utf-8-sig", raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        raise RefusedError(
            path,
            f"the {what} is UTF-16 text, which gobuildgui cannot edit without changing every byte",
            f"Save it as UTF-8 first (e.g. `iconv -f UTF-16 -t UTF-8 {path} > {path}.utf8`"
            " and move that over it), then run the fix again.",
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise RefusedError(
            path,
            f"the {what} is not valid UTF-8 (byte {exc.start + len(raw) - len(body)}, line {line})",
            "Fix or remove the bad bytes in an editor, then run the fix again.",
        ) from None
    mode = stat.S_IMODE(st.st_mode)
    return TargetFile(path, text, raw, encoding, mode, (st.st_uid, st.st_gid), writable)
