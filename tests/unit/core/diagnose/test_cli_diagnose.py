"""``gobuildgui diagnose`` and ``gobuildgui report`` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
LOG = (
    "#8 [builder 4/6] RUN go mod download\n"
    "#8 0.5 go: corp.example/lib@v1.0.0: reading https://proxy.golang.org/corp.example/lib/@v/"
    "v1.0.0.mod: 410 Gone\n"
    "#8 0.5 \tserver response: not found: corp.example/lib@v1.0.0: invalid version: git ls-remote "
    "-q origin in /tmp/gopath/pkg/mod/cache/vcs/abc: exit status 128:\n"
    "#8 0.5 \t\tfatal: could not read Username for 'https://corp.example': terminal prompts "
    "disabled\n"
    '#8 ERROR: process "/bin/sh -c go mod download" did not complete successfully: exit code: 1\n'
)


def run(
    *args: str, cwd: Path, stdin: bytes = b"", extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **(extra_env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "gobuildgui", *args],
        cwd=cwd, input=stdin, capture_output=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode()
    )


def test_json_output_most_likely_first(tmp_path: Path) -> None:
    (tmp_path / "build.log").write_text(LOG)
    p = run("diagnose", "--format", "json", "build.log", cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    doc = json.loads(p.stdout)
    codes = [f["code"] for f in doc["findings"]]
    # The proxy's server response (git's "terminal prompts disabled") explains the 410.
    assert codes == ["GB240"]
    first = doc["findings"][0]
    assert set(first) >= {"code", "category", "title", "line", "evidence", "facts", "probes",
                          "fixes", "explanation"}  # fmt: skip
    assert first["category"] == "private_module_proxy_404"
    assert first["line"] == 2
    assert first["facts"]["module"] == "corp.example/lib"
    assert "go-private" in first["fixes"]
    assert [e["line"] for e in first["evidence"]] == [2, 3, 4]
    assert first["facts"]["server_response"].startswith("not found: corp.example/lib@v1.0.0")


def test_text_from_stdin(tmp_path: Path) -> None:
    p = run("diagnose", "-", cwd=tmp_path, stdin=LOG.encode())
    assert p.returncode == 1
    assert "GB240 [private_module_proxy_404]" in p.stdout
    assert "(line 2)" in p.stdout


def test_utf16_from_stdin(tmp_path: Path) -> None:
    p = run("diagnose", "--format", "json", cwd=tmp_path, stdin=LOG.encode("utf-16"))
    assert p.returncode == 1
    assert json.loads(p.stdout)["findings"][0]["code"] == "GB240"


def test_nothing_found_exits_0(tmp_path: Path) -> None:
    p = run("diagnose", cwd=tmp_path, stdin=b"#1 DONE 0.0s\n")
    assert p.returncode == 0
    assert "No known failure" in p.stdout
    p = run("diagnose", "--format", "json", cwd=tmp_path, stdin=b"")
    assert (p.returncode, json.loads(p.stdout)) == (0, {"findings": []})


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    p = run("diagnose", "missing.log", cwd=tmp_path)
    assert p.returncode == 2
    assert "cannot read missing.log" in p.stderr
    assert "No such file" in p.stderr
    p = run("diagnose", str(tmp_path), cwd=tmp_path)
    assert p.returncode == 2
    assert "folder" in p.stderr


def test_report_md_and_html(tmp_path: Path) -> None:
    (tmp_path / "build.log").write_text(LOG)
    (tmp_path / "Dockerfile").write_text("FROM golang:1.22\nRUN go mod download\n")
    p = run("report", "--dockerfile", ".", "--log", "build.log", "-o", "r.md", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    md = (tmp_path / "r.md").read_text()
    assert "GB240" in md
    assert "## Dockerfile lint" in md
    p = run("report", "--format", "html", "--log", "build.log", cwd=tmp_path)
    assert p.returncode == 0
    assert p.stdout.startswith("<!DOCTYPE html>")
    assert "GB240" in p.stdout
    p = run("report", "--log", "nope.log", cwd=tmp_path)
    assert p.returncode == 2
    assert "nope.log" in p.stderr


def test_list_patterns(tmp_path: Path) -> None:
    p = run("diagnose", "--list-patterns", cwd=tmp_path)
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    assert len(lines) >= 45
    assert lines[0].startswith("GB201  dns")
    p = run("diagnose", "--list-patterns", "--format", "json", cwd=tmp_path)
    rows = json.loads(p.stdout)
    assert {"code": "GB226", "category": "proxy_auth"}.items() <= rows[
        [r["code"] for r in rows].index("GB226")
    ].items()


def test_report_with_environment(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM golang:1.22\nARG GOPROXY\nRUN go mod download\n")
    home = tmp_path / "home"
    home.mkdir()
    secret = "Env-Pr0xy-Secret-31"
    p = run(
        "report", "--env", "--dockerfile", ".", cwd=tmp_path,
        extra_env={
            "HOME": str(home),
            "HTTPS_PROXY": f"http://carol:{secret}@proxy.corp.example:3128",
            "DOCKER_HOST": f"unix://{tmp_path}/no-daemon.sock",
            "DOCKER_CONFIG": str(home / ".docker"),
        },
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "| `HTTPS_PROXY` |" in p.stdout
    assert "proxy.corp.example" in p.stdout
    assert secret not in p.stdout
    assert "| `GOPROXY` |" in p.stdout
