"""Reading Dockerfiles: decoding, refusals and finding the Dockerfile of a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from gobuildgui.core.dockerfile.source import (
    SNIFF_BYTES,
    describe_os_error,
    find_dockerfile,
    load_dockerfile,
    read_dockerfile,
    read_dockerfile_bytes,
)
from gobuildgui.core.errors import Error, InputError


def test_utf8_is_decoded_exactly_bom_included() -> None:
    src = read_dockerfile_bytes("\ufeffFROM a\r\nRUN échо\n".encode(), path="Dockerfile")
    assert src.text == "\ufeffFROM a\r\nRUN échо\n"
    assert not src.invalid_utf8


def test_invalid_utf8_is_replaced_and_flagged() -> None:
    src = read_dockerfile_bytes(b"FROM a\nRUN echo \xff\xfe!\n", path="Dockerfile")
    assert src.invalid_utf8
    assert src.text == "FROM a\nRUN echo \ufffd\ufffd!\n"


def test_nul_bytes_near_the_start_mean_binary() -> None:
    with pytest.raises(InputError, match=r"cannot lint img\.png: .*binary file") as info:
        read_dockerfile_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", path="img.png")
    assert info.value.path == Path("img.png")
    assert isinstance(info.value, Error)


def test_nul_bytes_only_after_the_sniffed_prefix_are_not_binary() -> None:
    data = b"#" * SNIFF_BYTES + b"\x00"
    assert read_dockerfile_bytes(data, path="x").text.endswith("\x00")


def test_utf16_gets_its_own_message() -> None:
    with pytest.raises(InputError, match="UTF-16 text; save it as UTF-8"):
        read_dockerfile_bytes("FROM a\n".encode("utf-16"), path="Dockerfile")


def test_too_big_is_refused() -> None:
    with pytest.raises(InputError, match=r"Dockerfile is too big \(2.0 KiB\).*up to 1.0 KiB"):
        read_dockerfile_bytes(b"#" * 2048, path="Dockerfile", max_bytes=1024)
    assert read_dockerfile_bytes(b"#" * 1024, path="Dockerfile", max_bytes=1024).text


def test_too_big_file_on_disk_is_refused_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"#" * 5000)
    with pytest.raises(InputError, match="too big"):
        read_dockerfile(f, max_bytes=4096)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read .*nope: no such file or folder"):
        read_dockerfile(tmp_path / "nope")


def test_permission_denied_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text("FROM a\n")

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError) as info:
        read_dockerfile(f)
    assert str(info.value) == (
        f"cannot read {f}: permission denied; check the file's permissions and owner"
    )


def test_describe_os_error_falls_back_to_strerror() -> None:
    assert describe_os_error(OSError(5, "Input/output error")) == "input/output error"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Dockerfile", "Containerfile", "prod.Dockerfile"], "Dockerfile"),
        (["Containerfile", "Dockerfile.dev", "x.Dockerfile"], "Containerfile"),
        (["Dockerfile.prod", "README.md"], "Dockerfile.prod"),
        (["api.dockerfile", "api.Dockerfile.dockerignore", "Dockerfile.dev~"], "api.dockerfile"),
        (["dockerfile"], "dockerfile"),
    ],
)
def test_find_dockerfile(tmp_path: Path, names: list[str], expected: str) -> None:
    for n in names:
        (tmp_path / n).write_text("FROM a\n")
    assert find_dockerfile(tmp_path) == tmp_path / expected


def test_find_dockerfile_ignores_folders_named_like_one(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").mkdir()
    (tmp_path / "build.Dockerfile").write_text("FROM a\n")
    assert find_dockerfile(tmp_path) == tmp_path / "build.Dockerfile"


def test_several_candidates_are_listed(tmp_path: Path) -> None:
    for n in ("Dockerfile.prod", "Dockerfile.dev", "ci.Dockerfile"):
        (tmp_path / n).write_text("FROM a\n")
    with pytest.raises(InputError) as info:
        find_dockerfile(tmp_path)
    msg = str(info.value)
    assert "several Dockerfiles" in msg
    assert "Dockerfile.dev, Dockerfile.prod, ci.Dockerfile" in msg


def test_no_candidate(tmp_path: Path) -> None:
    (tmp_path / "main.go").write_text("package main\n")
    with pytest.raises(
        InputError, match=r"no Dockerfile in .*looked for Dockerfile, Containerfile"
    ):
        find_dockerfile(tmp_path)


def test_load_dockerfile_from_a_folder_has_project_context(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_bytes(b"FROM a\nRUN \xff\n")
    (tmp_path / "go.mod").write_text("module example.com/x\n")
    loaded = load_dockerfile(tmp_path)
    assert loaded.path == tmp_path / "Dockerfile"
    assert loaded.text == "FROM a\nRUN \ufffd\n"
    assert loaded.invalid_utf8
    assert loaded.project.root == tmp_path.resolve()
    assert loaded.project.has_go_mod is True
