"""Dockerfile names, the choice among dropped paths, go.mod's Go line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gobuildgui.core.dockerfile.naming import (
    choose_dockerfile,
    folder_dockerfiles,
    go_mod_summary,
    is_dockerfile_name,
)


@pytest.mark.parametrize(
    "name",
    [
        "Dockerfile",
        "dockerfile",
        "Containerfile",
        "Dockerfile.dev",
        "Dockerfile.prod.arm64",
        "api.Dockerfile",
        "api.dockerfile",
        "Containerfile.test",
    ],
)
def test_dockerfile_names(name: str) -> None:
    assert is_dockerfile_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "README.md",
        "Dockerfile~",
        ".Dockerfile.swp",
        "Dockerfile.dockerignore",
        "api.Dockerfile.dockerignore",
        "Dockerfiles",
        "MyDockerfile",
        "go.mod",
        "Dockerfile.",
    ],
)
def test_not_dockerfile_names(name: str) -> None:
    assert not is_dockerfile_name(name)


def _touch(path: Path, text: str = "FROM scratch\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_single_file_is_opened_whatever_its_name(tmp_path: Path) -> None:
    path = _touch(tmp_path / "build.txt")
    assert choose_dockerfile([path]).path == path


def test_single_folder_opens_its_dockerfile(tmp_path: Path) -> None:
    df = _touch(tmp_path / "svc" / "Dockerfile")
    choice = choose_dockerfile([df.parent])
    assert choice.path == df
    assert choice.ignored == ()


def test_single_folder_without_dockerfile(tmp_path: Path) -> None:
    choice = choose_dockerfile([tmp_path])
    assert choice.path is None
    assert "no Dockerfile" in choice.reason


def test_several_files_first_dockerfile_wins(tmp_path: Path) -> None:
    readme = _touch(tmp_path / "README.md")
    dev = _touch(tmp_path / "Dockerfile.dev")
    main = _touch(tmp_path / "Dockerfile")
    choice = choose_dockerfile([readme, dev, main])
    assert choice.path == dev
    assert choice.ignored == (readme, main)


def test_several_paths_fall_back_to_a_folder(tmp_path: Path) -> None:
    readme = _touch(tmp_path / "README.md")
    df = _touch(tmp_path / "svc" / "Containerfile")
    choice = choose_dockerfile([readme, df.parent])
    assert choice.path == df
    assert choice.ignored == (readme,)


def test_several_paths_nothing_fits(tmp_path: Path) -> None:
    a = _touch(tmp_path / "a.txt")
    b = _touch(tmp_path / "b.txt")
    choice = choose_dockerfile([a, b])
    assert choice.path is None
    assert choice.ignored == (a, b)
    assert "a.txt, b.txt" in choice.reason


def test_nothing_dropped() -> None:
    assert choose_dockerfile([]).path is None


@pytest.mark.parametrize(
    ("go_mod", "expected"),
    [
        (None, "no go.mod"),
        ("module x\n\ngo 1.22\n", "go 1.22"),
        ("module x\ngo 1.22\ntoolchain go1.22.3\n", "go 1.22 (toolchain go1.22.3)"),
        ("module x\n", "go.mod has no go line"),
    ],
)
def test_go_mod_summary(tmp_path: Path, go_mod: str | None, expected: str) -> None:
    df = _touch(tmp_path / "Dockerfile")
    if go_mod is not None:
        _touch(tmp_path / "go.mod", go_mod)
    assert go_mod_summary(df) == expected


def test_go_mod_summary_of_the_sample() -> None:
    sample = Path(__file__).parents[3] / "resources/samples/corp-service/Dockerfile"
    assert go_mod_summary(sample) == "go 1.23.4"


def test_folder_dockerfiles(tmp_path: Path) -> None:
    a = _touch(tmp_path / "Dockerfile.dev")
    b = _touch(tmp_path / "api.Dockerfile")
    _touch(tmp_path / "README.md")
    _touch(tmp_path / "Dockerfile.dockerignore")
    (tmp_path / "Dockerfile.d").mkdir()
    assert folder_dockerfiles(tmp_path) == (a, b)
    assert folder_dockerfiles(tmp_path / "missing") == ()
