"""Packaging files: .desktop entry, AppStream metainfo, icon set, PyInstaller spec."""

from __future__ import annotations

import ast
import configparser
import fnmatch
import os
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import gobuildgui

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.gobuildgui.GoBuildGui"
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
SPEC = ROOT / "packaging" / "gobuildgui.spec"
SIZES = (16, 32, 48, 64, 128, 256, 512)
PACKAGE = ROOT / "gobuildgui"
# freedesktop.org "Registered Main Categories"
MAIN_CATEGORIES = {
    "AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics",
    "Network", "Office", "Science", "Settings", "System", "Utility",
}  # fmt: skip


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def _desktop() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_desktop_entry_has_the_required_keys() -> None:
    entry = _desktop()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "gobuildgui"
    assert entry["Icon"] == APP_ID
    exec_words = entry["Exec"].split()
    scripts = _pyproject()["project"]["scripts"]  # type: ignore[index]
    assert exec_words[0] in scripts
    assert exec_words[1:] == ["gui", "%f"]
    categories = entry["Categories"]
    assert categories.endswith(";")
    assert set(categories.rstrip(";").split(";")) & MAIN_CATEGORIES
    assert entry["Terminal"] == "false"


def test_desktop_id_matches_the_application() -> None:
    from gobuildgui.ui import appicon

    assert appicon.APP_ID == APP_ID == DESKTOP.stem


def test_metainfo_has_the_required_tags_and_the_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"

    def text(tag: str) -> str:
        element = root.find(tag)
        assert element is not None, tag
        return (element.text or "").strip()

    assert text("id") == APP_ID
    assert text("name") == "gobuildgui"
    summary = text("summary")
    assert summary
    assert not summary.endswith(".")
    assert text("metadata_license") == "CC0-1.0"
    assert text("project_license") == _pyproject()["project"]["license"]["text"]  # type: ignore[index]
    description = root.find("description")
    assert description is not None
    assert description.findall("p")
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    releases = root.findall("releases/release")
    assert releases
    assert releases[0].get("version") == gobuildgui.__version__
    assert _pyproject()["project"]["version"] == gobuildgui.__version__  # type: ignore[index]
    assert root.findtext("provides/binary") == "gobuildgui"


def test_metainfo_passes_appstreamcli() -> None:
    tool = shutil.which("appstreamcli")
    if tool is None:
        if os.environ.get("GOBUILDGUI_REQUIRE_TESTBED") == "1":
            pytest.fail("appstreamcli is missing (Debian package appstream)")
        pytest.skip("appstreamcli is not installed (Debian package appstream)")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", SIZES)
def test_icon_png_sizes(size: int) -> None:
    source = ROOT / "resources" / "icons" / "png" / f"gobuildgui-{size}.png"
    shipped = PACKAGE / "resources" / "icons" / source.name
    assert _png_size(source) == (size, size)
    # The package-data copy (window icon, bundle) is the same file.
    assert shipped.read_bytes() == source.read_bytes()


def test_icon_svg_is_shipped_and_square() -> None:
    svg = ROOT / "resources" / "icons" / "gobuildgui.svg"
    root = ET.parse(svg).getroot()
    assert root.get("viewBox") == "0 0 512 512"
    assert (PACKAGE / "resources" / "icons" / svg.name).read_bytes() == svg.read_bytes()
    assert not list(ROOT.joinpath("resources", "icons", "png").glob("*[!0-9].png"))


def _spec_datas() -> list[tuple[str, str]]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DATAS" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return [(str(src), str(dest)) for src, dest in value]
    raise AssertionError("the spec has no DATAS list")


def _package_data_files() -> set[str]:
    files = set()
    for path in PACKAGE.rglob("*"):
        source = path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts
        if path.is_file() and not source:
            files.add(path.relative_to(ROOT).as_posix())
    return files


def test_spec_names_every_data_file_that_exists() -> None:
    datas = _spec_datas()
    named = {src for src, _ in datas}
    assert len(named) == len(datas), "a data file is named twice"
    on_disk = _package_data_files()
    assert not on_disk - named, "add these package-data files to DATAS in packaging/gobuildgui.spec"
    assert not named - on_disk, "DATAS in packaging/gobuildgui.spec names files that do not exist"
    for src, dest in datas:
        assert (ROOT / src).is_file(), src
        assert dest == str(Path(src).parent.as_posix())


def test_pyproject_ships_the_same_package_data() -> None:
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["gobuildgui"]  # type: ignore[index]
    assert isinstance(patterns, list)
    for file in _package_data_files():
        inside = file.removeprefix("gobuildgui/")
        assert any(fnmatch.fnmatch(inside, p) for p in patterns), file


def test_package_extra_and_ci_phase() -> None:
    extras = _pyproject()["project"]["optional-dependencies"]  # type: ignore[index]
    assert any(req.startswith("pyinstaller") for req in extras["package"])
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'check "packaging: build + smoke test" bash packaging/build_linux.sh' in ci
    result = subprocess.run(
        ["bash", "-n", str(ROOT / "packaging" / "build_linux.sh")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_windows_and_macos_icons() -> None:
    ico = (ROOT / "packaging" / "windows" / "gobuildgui.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    widths = sorted(ico[6 + 16 * i] or 256 for i in range(count))  # 0 means 256
    assert widths == [s for s in SIZES if s <= 256]
    icns = (ROOT / "packaging" / "macos" / "gobuildgui.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
