"""Text files as an editor sees them: decoded once, saved back the way they came.

:func:`read_text_file` turns a file's bytes into editor text (``\\n`` line ends, no
byte-order mark) plus a :class:`TextFormat` that remembers the encoding, the BOM and
the line ending, so :func:`encode_text` can write the text back byte for byte the way
the file had it.  :func:`atomic_write` replaces a file through a temporary file in
the same folder, keeping the old file's permission bits, so a crash or a full disk
never leaves half a Dockerfile behind.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gobuildgui.core.dockerfile.source import DEFAULT_MAX_BYTES, SNIFF_BYTES, describe_os_error
from gobuildgui.core.errors import InputError

UTF8_BOM = b"\xef\xbb\xbf"


class Newline(enum.Enum):
    """A file's line ending."""

    LF = "\n"
    CRLF = "\r\n"
    CR = "\r"

    @property
    def label(self) -> str:
        """Short name for a status bar: ``LF``, ``CRLF`` or ``CR``."""
        return self.name


@dataclass(frozen=True, slots=True)
class TextFormat:
    """How a text file is stored: encoding, byte-order mark and line ending."""

    encoding: str = "utf-8"
    bom: bool = False
    newline: Newline = Newline.LF
    mixed_newlines: bool = False  # the file had more than one kind; saving unifies them

    @property
    def label(self) -> str:
        """``UTF-8``, ``UTF-8 with BOM``, ``ISO-8859-1`` ... plus the line ending."""
        name = "UTF-8" if self.encoding == "utf-8" else self.encoding.upper()
        if self.bom:
            name += " with BOM"
        return f"{name} · {self.newline.label}"


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text for an editor (``\\n`` line ends, no BOM) and how to save it back."""

    text: str
    format: TextFormat
    digest: str  # sha256 of the bytes read, to tell a real change on disk from a touch


class NotUtf8Error(InputError):
    """The file is not valid UTF-8; it may still be opened as Latin-1 (ISO-8859-1)."""

    def __init__(self, path: Path, offset: int) -> None:
        super().__init__(
            path,
            f"{path} is not valid UTF-8 (the first bad byte is at offset {offset});"
            " it can be opened as Latin-1 (ISO-8859-1), or converted to UTF-8 first",
        )
        self.offset = offset


def digest_bytes(data: bytes) -> str:
    """The content hash used to compare a file with what was loaded or saved."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """The hash of ``path``'s bytes, or None when it cannot be read (gone, unreadable)."""
    try:
        with path.open("rb") as fh:
            return digest_bytes(fh.read(max_bytes + 1))
    except OSError:
        return None


def detect_newline(text: str) -> tuple[Newline, bool]:
    """The dominant line ending of ``text`` (LF when it has none) and whether it mixes kinds."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    counts = {Newline.LF: lf, Newline.CRLF: crlf, Newline.CR: cr}
    present = [n for n, c in counts.items() if c]
    if not present:
        return Newline.LF, False
    # Ties go to LF, then CRLF: the order of the dict.
    best = max(counts, key=lambda n: counts[n])
    return best, len(present) > 1


def decode_text(data: bytes, *, path: Path, encoding: str | None = None) -> DecodedText:
    """Decode file bytes for an editor.

    Args:
        data: the file's bytes.
        path: the file's name, for messages.
        encoding: ``None`` for UTF-8 (with or without BOM, refused when invalid), or
            an explicit codec such as ``"latin-1"`` chosen by the user.

    Raises:
        InputError: binary (NUL bytes near the start, which includes UTF-16/32).
        NotUtf8Error: ``encoding`` is None and the bytes are not valid UTF-8.
    """
    if b"\x00" in data[:SNIFF_BYTES]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            why = "it is UTF-16 text; save it as UTF-8 and open it again"
        else:
            why = "it contains NUL bytes, so it looks like a binary file, not a Dockerfile"
        raise InputError(path, f"cannot open {path}: {why}")
    bom = False
    if encoding is None:
        bom = data.startswith(UTF8_BOM)
        body = data[len(UTF8_BOM) :] if bom else data
        try:
            raw = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotUtf8Error(path, exc.start + (len(UTF8_BOM) if bom else 0)) from None
        codec = "utf-8"
    else:
        codec = encoding.lower()
        try:
            raw = data.decode(codec)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(path, f"cannot decode {path} as {encoding}: {exc}") from None
    newline, mixed = detect_newline(raw)
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    fmt = TextFormat(encoding=codec, bom=bom, newline=newline, mixed_newlines=mixed)
    return DecodedText(text=text, format=fmt, digest=digest_bytes(data))


def read_text_file(
    path: Path, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> DecodedText:
    """Read and decode a text file for editing.

    Raises:
        InputError: a folder, a special file (FIFO, device), unreadable, bigger than
            ``max_bytes``, binary, or (as :class:`NotUtf8Error`) not UTF-8 when no
            ``encoding`` was given.  The message names the file and says what to do.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(path, f"cannot open {path}: {describe_os_error(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, f"cannot open {path}: it is a folder")
    if not stat.S_ISREG(st.st_mode):
        # Reading a FIFO or a device would block or never end.
        raise InputError(path, f"cannot open {path}: it is not a regular file")
    if st.st_size > max_bytes:
        raise InputError(
            path,
            f"cannot open {path}: it is too big ({_size(st.st_size)}); gobuildgui edits"
            f" Dockerfiles of up to {_size(max_bytes)}",
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"cannot open {path}: {describe_os_error(exc)}") from None
    if len(data) > max_bytes:  # it grew between stat and read
        raise InputError(path, f"cannot open {path}: it is too big (over {_size(max_bytes)})")
    return decode_text(data, path=path, encoding=encoding)


def encode_text(text: str, fmt: TextFormat) -> bytes:
    """The bytes to save for editor ``text`` (``\\n`` line ends) in format ``fmt``.

    Raises:
        UnicodeEncodeError: the text has characters the encoding cannot store.
    """
    if fmt.newline is not Newline.LF:
        text = text.replace("\n", fmt.newline.value)
    data = text.encode(fmt.encoding)
    return UTF8_BOM + data if fmt.bom and fmt.encoding == "utf-8" else data


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once.

    The bytes go to a temporary file in the same folder (so ``os.replace`` is a
    rename on one file system), are flushed to disk, get the old file's permission
    bits (or the umask's default for a new file), and then take the file's place.
    On any failure the temporary file is removed and the old file is untouched.
    A symbolic link is followed: its target is replaced, the link stays.

    Raises:
        OSError: the folder is not writable, the disk is full, ...
    """
    target = path.resolve() if path.is_symlink() else path
    folder = target.parent
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    # Make the rename itself durable; not every platform lets a folder be opened.
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"
