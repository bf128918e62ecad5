"""Editor text files: decode, keep BOM/line endings/encoding, save atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gobuildgui.core.errors import InputError
from gobuildgui.core.textfile import (
    UTF8_BOM,
    Newline,
    NotUtf8Error,
    TextFormat,
    atomic_write,
    decode_text,
    detect_newline,
    encode_text,
    file_digest,
    read_text_file,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (Newline.LF, False)),
        ("FROM a", (Newline.LF, False)),
        ("a\nb\n", (Newline.LF, False)),
        ("a\r\nb\r\n", (Newline.CRLF, False)),
        ("a\rb\r", (Newline.CR, False)),
        ("a\r\nb\r\nc\n", (Newline.CRLF, True)),
        ("a\nb\nc\r\n", (Newline.LF, True)),
    ],
)
def test_detect_newline(text: str, expected: tuple[Newline, bool]) -> None:
    assert detect_newline(text) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"FROM golang:1.22\nRUN go mod download\n",
        b"FROM golang:1.22\r\nRUN go mod download\r\n",
        UTF8_BOM + b"FROM golang:1.22\r\nRUN echo \xc3\xa9\r\n",
        b"FROM golang:1.22\rRUN true",
        b"",
        UTF8_BOM,
    ],
)
def test_round_trip_keeps_the_bytes(data: bytes) -> None:
    decoded = decode_text(data, path=Path("Dockerfile"))
    assert "\r" not in decoded.text
    assert not decoded.text.startswith("\ufeff")
    assert encode_text(decoded.text, decoded.format) == data


def test_bom_and_crlf_are_remembered() -> None:
    decoded = decode_text(UTF8_BOM + b"FROM a\r\nRUN b\r\n", path=Path("Dockerfile"))
    assert decoded.text == "FROM a\nRUN b\n"
    assert decoded.format == TextFormat("utf-8", bom=True, newline=Newline.CRLF)
    assert decoded.format.label == "UTF-8 with BOM · CRLF"
    # New lines typed in the editor get the file's line ending too.
    assert encode_text("FROM a\nRUN b\nRUN c\n", decoded.format) == (
        UTF8_BOM + b"FROM a\r\nRUN b\r\nRUN c\r\n"
    )


def test_mixed_line_endings_save_as_the_dominant_one() -> None:
    decoded = decode_text(b"a\r\nb\r\nc\n", path=Path("Dockerfile"))
    assert decoded.format.mixed_newlines
    assert encode_text(decoded.text, decoded.format) == b"a\r\nb\r\nc\r\n"


def test_invalid_utf8_is_refused_but_latin1_works() -> None:
    data = b"FROM a\n# caf\xe9\n"
    with pytest.raises(NotUtf8Error) as info:
        decode_text(data, path=Path("Dockerfile"))
    assert info.value.offset == len(b"FROM a\n# caf")
    assert "Latin-1" in str(info.value)
    decoded = decode_text(data, path=Path("Dockerfile"), encoding="latin-1")
    assert decoded.text == "FROM a\n# café\n"
    assert decoded.format.label == "LATIN-1 · LF"
    assert encode_text(decoded.text, decoded.format) == data


def test_unknown_encoding_is_an_input_error() -> None:
    with pytest.raises(InputError, match="cannot decode"):
        decode_text(b"x", path=Path("Dockerfile"), encoding="no-such-codec")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary"),
        ("FROM a\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_binary_is_refused(data: bytes, why: str) -> None:
    with pytest.raises(InputError, match=why):
        decode_text(data, path=Path("Dockerfile"))


def test_digest_changes_with_bytes_only() -> None:
    a = decode_text(b"FROM a\n", path=Path("x"))
    b = decode_text(b"FROM a\r\n", path=Path("x"))
    assert a.text == b.text
    assert a.digest != b.digest


def test_read_text_file(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM a\r\n")
    decoded = read_text_file(path)
    assert decoded.text == "FROM a\n"
    assert decoded.format.newline is Newline.CRLF
    assert decoded.digest == file_digest(path)


def test_read_refuses_a_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"# x\n" * 100)
    with pytest.raises(InputError, match="too big"):
        read_text_file(path, max_bytes=100)


def test_read_refuses_a_folder_and_a_fifo(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="it is a folder"):
        read_text_file(tmp_path)
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    # Reading a FIFO would block: refused without opening it.
    with pytest.raises(InputError, match="not a regular file"):
        read_text_file(fifo)


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text_file(tmp_path / "nope")
    assert file_digest(tmp_path / "nope") is None


def test_atomic_write_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    old_inode = path.stat().st_ino
    atomic_write(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != old_inode  # a new file took the old one's place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"]


def test_atomic_write_new_file_uses_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "Dockerfile", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "Dockerfile").stat().st_mode) == 0o640


def test_atomic_write_follows_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.Dockerfile"
    real.write_bytes(b"old")
    link = tmp_path / "Dockerfile"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_atomic_write_failure_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"precious\n")

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space"):
        atomic_write(path, b"new\n")
    assert path.read_bytes() == b"precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"]
