"""Go's settings: env file location per platform, file format, precedence, the go tool."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path, PureWindowsPath

import pytest

from gobuildgui.core.environment import SourceKind, discover
from gobuildgui.core.environment.goenv import go_env_file, go_settings, read_go_env_file


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"HOME": "/home/u"}, "linux", "/home/u/.config/go/env"),
        ({"HOME": "/home/u", "XDG_CONFIG_HOME": "/xdg"}, "linux", "/xdg/go/env"),
        ({"HOME": "/home/u", "XDG_CONFIG_HOME": "rel"}, "linux", "/home/u/.config/go/env"),
        ({"HOME": "/Users/u"}, "darwin", "/Users/u/Library/Application Support/go/env"),
        ({"HOME": "/home/u", "GOENV": "/etc/goenv"}, "linux", "/etc/goenv"),
    ],
)
def test_env_file_location(environ: dict[str, str], platform: str, expected: str) -> None:
    assert go_env_file(environ, platform, None) == Path(expected)


def test_env_file_location_windows_and_off() -> None:
    path = go_env_file({"AppData": "C:\\Users\\u\\AppData\\Roaming"}, "win32", None)
    assert path is not None
    assert PureWindowsPath(str(path)) == PureWindowsPath("C:/Users/u/AppData/Roaming/go/env")
    assert go_env_file({"HOME": "/h", "GOENV": "off"}, "linux", None) is None


def test_env_file_format_as_go_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "env"
    path.write_text(
        "GOPROXY=https://a.example\n# comment\nlower=x\nNOEQUALS\n"
        'GOPRIVATE="quoted"\nGOPROXY=https://b.example\n'
    )
    values = read_go_env_file(path)
    assert values["GOPROXY"] == ("https://b.example", 6)  # the later line wins
    assert values["GOPRIVATE"] == ('"quoted"', 5)  # no unquoting, as in Go
    assert "lower" not in values
    assert "NOEQUALS" not in values


def test_precedence_env_over_file_over_goroot_over_default(tmp_path: Path) -> None:
    env_file = tmp_path / "env"
    goroot = tmp_path / "go.env"
    settings = go_settings(
        {"GOPROXY": "https://env.example", "GOSUMDB": ""},
        env_file,
        {"GOPROXY": ("https://file.example", 1), "GOSUMDB": ("sum.file.example", 2)},
        None,
        {"GOSUMDB": ("sum.goroot.example", 3), "GOPRIVATE": ("corp.example", 1)},
        goroot,
    )
    by_name = {s.name: s for s in settings}
    assert by_name["GOPROXY"].source == "process env"
    # An empty variable does not override (cfg.Getenv): the file wins.
    assert by_name["GOSUMDB"].value == "sum.file.example"
    assert by_name["GOSUMDB"].line == 2
    assert by_name["GOPRIVATE"].kind is SourceKind.GOROOT_ENV
    assert by_name["GONOPROXY"].value == "corp.example"
    assert by_name["GONOPROXY"].source == "Go's default (= GOPRIVATE)"


def test_discover_without_go_tool_reads_the_file(tmp_path: Path) -> None:
    (tmp_path / ".config" / "go").mkdir(parents=True)
    (tmp_path / ".config" / "go" / "env").write_text("GOPROXY=https://goproxy.corp.test\n")
    env = discover(
        None, environ={"HOME": str(tmp_path)}, go=None, docker_info=False, daemon_json=()
    )
    setting = env.first("GOPROXY")
    assert setting is not None
    assert setting.value == "https://goproxy.corp.test"
    assert setting.source == f"go env file {tmp_path}/.config/go/env"
    assert setting.line == 1
    assert env.first("GOSUMDB") is not None
    assert env.first("GOSUMDB").source == "Go's default"  # type: ignore[union-attr]
    assert any("no go tool" in n for n in env.notes)


def _go() -> str:
    for candidate in ("/usr/bin/go", "/usr/lib/go-1.19/bin/go"):
        if os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("go not installed (Debian package golang-go)")


def test_real_go_tool_agrees_with_the_file(tmp_path: Path) -> None:
    env_file = tmp_path / "goenv"
    env_file.write_text("GOPROXY=https://goproxy.corp.test\nGOPRIVATE=git.corp.test\n")
    environ = {"HOME": str(tmp_path), "GOENV": str(env_file), "PATH": "/usr/bin:/bin"}
    env = discover(None, environ=environ, go=_go(), docker_info=False, daemon_json=())
    goproxy = env.first("GOPROXY")
    assert goproxy is not None
    assert goproxy.source == f"go env file {env_file}"
    assert goproxy.note == "go env agrees"
    gonosumdb = env.first("GONOSUMDB")
    assert gonosumdb is not None
    assert gonosumdb.value == "git.corp.test"
    # Go's own view of GOPATH comes from the tool.
    gopath = env.first("GOPATH")
    assert gopath is not None
    assert gopath.kind is SourceKind.GO_TOOL
    assert gopath.value == str(tmp_path / "go")


def test_real_go_tool_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / "goenv"
    env_file.write_text("GOPROXY=https://goproxy.corp.test\n")
    environ = {
        "HOME": str(tmp_path),
        "GOENV": str(env_file),
        "GOPROXY": "off",
        "PATH": "/usr/bin:/bin",
    }
    env = discover(None, environ=environ, go=_go(), docker_info=False, daemon_json=())
    goproxy = env.first("GOPROXY")
    assert goproxy is not None
    assert (goproxy.value, goproxy.source) == ("off", "process env")


def test_hanging_go_tool_times_out(tmp_path: Path) -> None:
    # A go that never answers cannot be made from the real binary; a script stands in.
    fake = tmp_path / "go"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    start = time.monotonic()
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=str(fake),
        go_timeout=0.3,
        docker_info=False,
        daemon_json=(),
    )
    assert time.monotonic() - start < 3
    assert any("did not answer within 0.3 s" in p for p in env.problems)
    assert env.first("GOPROXY") is not None  # still known from the defaults


def test_missing_go_binary_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=str(tmp_path / "nope"),
        docker_info=False,
        daemon_json=(),
    )
    assert any("cannot run" in p for p in env.problems)


def test_cancel_kills_a_hanging_go_tool(tmp_path: Path) -> None:
    fake = tmp_path / "go"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    deadline = time.monotonic() + 0.2
    start = time.monotonic()
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=str(fake),
        go_timeout=20,
        docker_info=False,
        daemon_json=(),
        cancelled=lambda: time.monotonic() > deadline,
    )
    assert time.monotonic() - start < 2
    assert "`go env -json` was cancelled" in env.problems
