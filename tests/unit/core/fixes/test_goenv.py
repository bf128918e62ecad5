"""Go's env file: minimal edits, and the real go command reads back what we wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gobuildgui.core.fixes import (
    FIXES,
    FixContext,
    History,
    InvalidSettingsError,
    Target,
    apply_plan,
)
from gobuildgui.core.fixes.goenv import read_go_env
from gobuildgui.core.fixes.locations import go_env_path
from tests.testbed.goproxy import GoModuleProxy
from tests.unit.core.fixes.helpers import changed_lines

GO_ENV_FILE = """# written by hand, keep this comment
GOPROXY=https://old.example,direct
lower=ignored by go
GOFLAGS=-mod=mod
GOPROXY=https://older.example

GOTOOLCHAIN=local
"""


def _go() -> str:
    go = shutil.which("go")
    if go is None:
        if os.environ.get("GOBUILDGUI_REQUIRE_TESTBED") == "1":
            pytest.fail("go not found (Debian package golang-go)")
        pytest.skip("go not found (Debian package golang-go)")
    return go


def _go_run(
    tmp_path: Path, env_file: Path, *args: str, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real go with only GOENV pointing at our file (no network: own netns if root)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "home"),
        "GOPATH": str(tmp_path / "gopath"),
        "GOCACHE": str(tmp_path / "gocache"),
        "GOENV": str(env_file),
        **(extra or {}),
    }
    cmd = [_go(), *args]
    if os.geteuid() == 0 and shutil.which("unshare"):
        cmd = ["unshare", "--net", *cmd]  # the go command can never reach the network here
    return subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path
    )


def _ctx(tmp_path: Path, env_file: Path, **env: str) -> FixContext:
    return FixContext(
        platform="linux",
        env={"HOME": str(tmp_path / "home"), **env},
        overrides={Target.GO_ENV: env_file},
    )


def test_only_the_intended_lines_change(tmp_path: Path) -> None:
    f = tmp_path / "env"
    f.write_text(GO_ENV_FILE)
    plan = FIXES["go-proxy"].build(
        {"GOPROXY": "https://goproxy.corp.example|direct"}, _ctx(tmp_path, f)
    )
    new = plan.changes[0].new_text
    removed, added = changed_lines(GO_ENV_FILE, new)
    # the last GOPROXY line is the one go uses: replaced in place; the dead duplicate goes
    assert removed == ["GOPROXY=https://old.example,direct", "GOPROXY=https://older.example"]
    assert added == ["GOPROXY=https://goproxy.corp.example|direct"]
    assert new.startswith(
        "# written by hand, keep this comment\nlower=ignored by go\nGOFLAGS=-mod=mod\n"
    )


def test_new_variables_are_appended_and_empty_removes(tmp_path: Path) -> None:
    f = tmp_path / "env"
    f.write_text("GOFLAGS=-mod=mod")  # no final newline
    plan = FIXES["go-private"].build(
        {"GOPRIVATE": "git.corp.example,github.com/org/*", "GOFLAGS": ""}, _ctx(tmp_path, f)
    )
    assert plan.changes[0].new_text == "GOPRIVATE=git.corp.example,github.com/org/*\n"


def test_env_variable_that_wins_is_warned_about(tmp_path: Path) -> None:
    f = tmp_path / "env"
    plan = FIXES["go-proxy"].build(
        {"GOPROXY": "https://p.example"}, _ctx(tmp_path, f, GOPROXY="https://from-shell.example")
    )
    assert "does not override conflicting OS environment variable" in plan.warnings[0]


def test_goenv_off_is_refused(tmp_path: Path) -> None:
    ctx = FixContext(platform="linux", env={"HOME": str(tmp_path), "GOENV": "off"})
    with pytest.raises(Exception, match="GOENV=off"):
        FIXES["go-proxy"].build({"GOPROXY": "https://p.example"}, ctx)


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {"HOME": "/home/u"}, "/home/u/.config/go/env"),
        ("linux", {"HOME": "/home/u", "XDG_CONFIG_HOME": "/x"}, "/x/go/env"),
        ("linux", {"HOME": "/home/u", "XDG_CONFIG_HOME": "rel"}, "/home/u/.config/go/env"),
        ("linux", {"HOME": "/home/u", "GOENV": "/etc/goenv"}, "/etc/goenv"),
        ("macos", {"HOME": "/Users/u"}, "/Users/u/Library/Application Support/go/env"),
        (
            "windows",
            {"APPDATA": "C:\\Users\\u\\AppData\\Roaming"},
            "C:\\Users\\u\\AppData\\Roaming\\go\\env",
        ),
    ],
)
def test_env_file_location_per_platform(platform: str, env: dict[str, str], expected: str) -> None:
    assert str(go_env_path(platform, env)) == expected


def test_real_go_uses_the_default_location_we_compute(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home)}
    out = subprocess.run(
        [_go(), "env", "GOENV"], env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip()
    assert out == str(go_env_path("linux", {"HOME": str(home)}))


@pytest.mark.parametrize(
    ("fix_id", "name", "value"),
    [
        ("go-proxy", "GOPROXY", "https://goproxy.corp.example|https://proxy.golang.org,direct"),
        ("go-proxy", "GOPROXY", "off"),
        ("go-proxy", "GOSUMDB", "sum.golang.org"),
        ("go-proxy", "GOSUMDB", "off"),
        (
            "go-proxy",
            "GOSUMDB",
            "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
        ),
        ("go-private", "GOPRIVATE", "git.corp.example,github.com/org/*"),
        ("go-private", "GONOPROXY", "none"),
        ("go-private", "GONOSUMDB", "git.corp.example/*"),
        ("go-private", "GOINSECURE", "legacy.corp.example"),
        ("go-private", "GOFLAGS", "-mod=mod -buildvcs=false"),
    ],
)
def test_real_go_reads_back_what_we_wrote(
    tmp_path: Path, fix_id: str, name: str, value: str
) -> None:
    f = tmp_path / "cfg" / "go" / "env"
    f.parent.mkdir(parents=True)
    f.write_text(GO_ENV_FILE)
    apply_plan(
        FIXES[fix_id].build({name: value}, _ctx(tmp_path, f)), history=History(tmp_path / "h")
    )
    result = _go_run(tmp_path, f, "env", name)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == value
    # and the lines we did not touch still mean the same to go
    assert _go_run(tmp_path, f, "env", "GOTOOLCHAIN").stdout.strip() in {
        "local",
        "",
    }  # go1.19 has no GOTOOLCHAIN
    assert read_go_env(f.read_text())["GOFLAGS"] == (value if name == "GOFLAGS" else "-mod=mod")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GOPROXY", "foo", "invalid proxy URL missing scheme: foo"),
        (
            "GOPROXY",
            "ftp://x.example",
            "invalid proxy URL scheme (must be https, http, file): ftp://x.example",
        ),
        ("GOPROXY", ",", "GOPROXY list is not the empty string, but contains no entries"),
        ("GOFLAGS", "mod=mod", 'go: parsing $GOFLAGS: non-flag "mod=mod"'),
    ],
)
def test_refused_values_fail_the_real_go_with_the_same_message(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    field_fix = "go-proxy" if name == "GOPROXY" else "go-private"
    with pytest.raises(InvalidSettingsError) as info:
        FIXES[field_fix].build({name: value}, _ctx(tmp_path, tmp_path / "env"))
    assert message in str(info.value)
    (tmp_path / "go.mod").write_text("module x.test/m\n\ngo 1.19\n")
    result = _go_run(
        tmp_path,
        Path("/dev/null"),
        "list",
        "-m",
        "example.invalid/x@latest",
        extra={name: value, "GOFLAGS": value if name == "GOFLAGS" else "-mod=mod"},
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_newline_is_refused_like_go_env_w(tmp_path: Path) -> None:
    with pytest.raises(InvalidSettingsError, match=r"invalid newline in GOPROXY=\.\.\. value"):
        FIXES["go-proxy"].build(
            {"GOPROXY": "https://a.example\nGOFLAGS=x"}, _ctx(tmp_path, tmp_path / "env")
        )
    f = tmp_path / "env"
    result = _go_run(tmp_path, f, "env", "-w", "GOPROXY=https://a.example\nGOFLAGS=x")
    assert "invalid newline in GOPROXY=... value" in result.stderr


def test_real_download_uses_the_settings_we_wrote(tmp_path: Path, goproxy: GoModuleProxy) -> None:
    """No GOPROXY/GOSUMDB/GOFLAGS in the environment: only our env file tells go where to go."""
    f = tmp_path / "cfg" / "go" / "env"
    ctx = _ctx(tmp_path, f)
    history = History(tmp_path / "h")
    apply_plan(
        FIXES["go-proxy"].build({"GOPROXY": goproxy.url, "GOSUMDB": "off"}, ctx), history=history
    )
    apply_plan(FIXES["go-private"].build({"GOFLAGS": "-mod=mod"}, ctx), history=history)
    app = tmp_path / "app"
    app.mkdir()
    (app / "go.mod").write_text(
        "module gbg.test/app\n\ngo 1.19\n\nrequire example.com/hello v1.0.0\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path / "home"),
        "GOPATH": str(tmp_path / "gopath"),
        "GOCACHE": str(tmp_path / "gocache"),
        "GOENV": str(f),
    }
    proc = subprocess.run([_go(), "mod", "download", "-x"], cwd=app, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert f"# get {goproxy.url}/example.com/hello/@v/v1.0.0.mod" in proc.stderr
    assert any(r.path.endswith("/@v/v1.0.0.zip") for r in goproxy.requests)


def test_a_value_not_given_is_not_written_even_with_a_default(tmp_path: Path) -> None:
    f = tmp_path / "env"
    f.write_text("GOFLAGS=-mod=mod\n")
    plan = FIXES["go-proxy"].build({"GOSUMDB": "off"}, _ctx(tmp_path, f))
    assert plan.changes[0].new_text == "GOFLAGS=-mod=mod\nGOSUMDB=off\n"
    assert (
        FIXES["go-proxy"].defaults(_ctx(tmp_path, f))["GOPROXY"]
        == "https://proxy.golang.org,direct"
    )


@pytest.mark.parametrize(
    "value",
    [
        "foo", "localhost:3000", "/abs/path", "file:///nonexistent/proxy", "https://a.invalid|direct",
        "direct,off", "ftp://x.invalid", "|,", "https://a.invalid,,direct", "off", "noproxy",
        "http://u:p@proxy.invalid:3128/path",
    ],
)  # fmt: skip
def test_goproxy_check_agrees_with_the_real_go(tmp_path: Path, value: str) -> None:
    from gobuildgui.core.fixes.validate import goproxy

    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root for a network namespace (go must not reach any network)")
    (tmp_path / "go.mod").write_text("module x.test/m\n\ngo 1.19\n")
    result = _go_run(tmp_path, Path("/dev/null"), "list", "-m", "example.invalid/x@latest",
                     extra={"GOPROXY": value, "GOFLAGS": "-mod=mod", "GOSUMDB": "off"})  # fmt: skip
    go_refused = any(
        m in result.stderr
        for m in ("invalid proxy URL", "GOPROXY list is not the empty string")
    )  # fmt: skip
    assert (goproxy(value) is not None) == go_refused, (goproxy(value), result.stderr)
