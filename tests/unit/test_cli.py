"""The command line, run as ``python -m gobuildgui`` in a subprocess (and a few in-process).

The Dockerfiles here only trigger the engine's own diagnostics (GB001 syntax errors,
GB003 invalid pragmas) or silence every rule with ``global ignore=all``, so these
tests do not change when rules are added.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from gobuildgui import cli

REPO = Path(__file__).resolve().parents[2]
CLEAN = "# gobuildgui global ignore=all\nFROM scratch\n"
BROKEN = "FROM scratch\n# gobuildgui global ignore=all\nRUN <<EOF\necho never closed\n"


def gobuildgui(
    *args: str, cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop("PYTHONSTARTUP", None)
    proc = subprocess.run(
        [sys.executable, "-m", "gobuildgui", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8"),
        proc.stderr.decode("utf-8"),
    )


def project(root: Path, dockerfile: str, name: str = "Dockerfile") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(dockerfile, encoding="utf-8")
    return root / name


def test_version(tmp_path: Path) -> None:
    proc = gobuildgui("--version", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "gobuildgui 0.1.0\n")


def test_clean_file_exits_0(tmp_path: Path) -> None:
    project(tmp_path, CLEAN)
    proc = gobuildgui("lint", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "No problems found (1 file checked).\n"
    assert proc.stderr == ""


def test_findings_exit_1_with_compiler_style_lines(tmp_path: Path) -> None:
    project(tmp_path, BROKEN)
    proc = gobuildgui("lint", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "Dockerfile:3:5: error GB001 unterminated heredoc: no line 'EOF' closes <<EOF"
    )
    assert lines[-1].startswith("Found 1 problem (1 error)")


def test_stdin(tmp_path: Path) -> None:
    proc = gobuildgui("lint", "--format", "json", "-", cwd=tmp_path, stdin=BROKEN.encode())
    assert proc.returncode == 1
    (item,) = json.loads(proc.stdout)
    assert (item["file"], item["code"], item["line"]) == ("-", "GB001", 3)


def test_stdin_filename_names_the_report(tmp_path: Path) -> None:
    proc = gobuildgui(
        "lint", "--stdin-filename", "svc/Dockerfile", "-", cwd=tmp_path, stdin=BROKEN.encode()
    )
    assert proc.stdout.startswith("svc/Dockerfile:3:5: error GB001")


def test_folder_path(tmp_path: Path) -> None:
    project(tmp_path / "svc", BROKEN, name="api.Dockerfile")
    proc = gobuildgui("lint", "svc", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("svc/api.Dockerfile:3:5: error GB001")


def test_folder_with_several_dockerfiles_is_an_input_error(tmp_path: Path) -> None:
    project(tmp_path, CLEAN, name="Dockerfile.a")
    project(tmp_path, CLEAN, name="Dockerfile.b")
    proc = gobuildgui("lint", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "several Dockerfiles" in proc.stderr
    assert "Dockerfile.a, Dockerfile.b" in proc.stderr


def test_missing_file_exits_2_but_the_others_are_linted(tmp_path: Path) -> None:
    project(tmp_path / "ok", BROKEN)
    proc = gobuildgui("lint", "nope/Dockerfile", "ok", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        "gobuildgui: error: cannot read nope/Dockerfile: no such file or folder; check the path\n"
    )
    assert proc.stdout.startswith("ok/Dockerfile:3:5: error GB001")


def test_only_unreadable_input_prints_no_report(tmp_path: Path) -> None:
    proc = gobuildgui("lint", "nope", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""


def test_binary_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    proc = gobuildgui("lint", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("gobuildgui: error: cannot lint Dockerfile: it contains NUL")
    assert proc.stderr.count("\n") == 1


def test_invalid_utf8_is_a_warning_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_bytes(CLEAN.encode() + b"# caf\xe9\n")
    proc = gobuildgui("lint", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stderr == (
        "gobuildgui: warning: Dockerfile is not valid UTF-8;"
        " undecodable bytes were replaced with U+FFFD\n"
    )


def test_permission_denied_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Root can read anything, so deny the read itself instead of chmod-ing the file.
    f = project(tmp_path, CLEAN)

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)
    assert cli.main(["lint", "--no-config", str(f)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"gobuildgui: error: cannot read {f}: permission denied;"
        " check the file's permissions and owner\n"
    )


def test_sarif_output(tmp_path: Path) -> None:
    project(tmp_path, BROKEN)
    proc = gobuildgui("lint", "--format", "sarif", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    assert log["version"] == "2.1.0"
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "GB001"
    loc = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"}


def test_thresholds_cli_over_config_over_default(tmp_path: Path) -> None:
    project(tmp_path, "FROM scratch\n# gobuildgui ignore=GB0\nRUN true\n")  # GB003 info
    assert gobuildgui("lint", "Dockerfile", cwd=tmp_path).returncode == 1  # default: info
    (tmp_path / ".gobuildgui.toml").write_text('failure-threshold = "warning"\n')
    assert gobuildgui("lint", "Dockerfile", cwd=tmp_path).returncode == 0
    proc = gobuildgui("lint", "--failure-threshold", "INFO", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 1
    assert gobuildgui("lint", "--no-config", "Dockerfile", cwd=tmp_path).returncode == 1


def test_config_is_discovered_from_the_dockerfile_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.gobuildgui]\nignore = ["GB001"]\n')
    project(tmp_path / "svc", BROKEN)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    proc = gobuildgui("lint", str(tmp_path / "svc"), cwd=outside)
    assert proc.returncode == 0
    assert proc.stdout.startswith("No problems found (1 file checked); ")
    assert proc.stdout.endswith(" suppressed.\n")
    proc = gobuildgui("lint", "--no-config", str(tmp_path / "svc"), cwd=outside)
    assert proc.returncode == 1


def test_explicit_config_file(tmp_path: Path) -> None:
    project(tmp_path, BROKEN)
    cfg = tmp_path / "ci.toml"
    cfg.write_text('severity = {GB001 = "info"}\nfailure-threshold = "warning"\n')
    proc = gobuildgui("lint", "--config", "ci.toml", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 0
    assert ": info GB001 " in proc.stdout


def test_bad_config_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    project(tmp_path, CLEAN)
    (tmp_path / ".gobuildgui.toml").write_text('ignores = ["GB001"]\n')
    proc = gobuildgui("lint", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 2
    expected = f"{(tmp_path / '.gobuildgui.toml').resolve()}: unknown key 'ignores'"
    assert expected in proc.stderr
    assert "did you mean 'ignore'?" in proc.stderr
    assert gobuildgui("lint", "--no-config", "Dockerfile", cwd=tmp_path).returncode == 0
    proc = gobuildgui("lint", "--config", ".gobuildgui.toml", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("lint",),
        ("lint", "--format", "xml", "Dockerfile"),
        ("lint", "--failure-threshold", "fatal", "Dockerfile"),
        ("lint", "--config", "a.toml", "--no-config", "Dockerfile"),
        ("frobnicate",),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    proc = gobuildgui(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage: gobuildgui" in proc.stderr


def test_rules_list(tmp_path: Path) -> None:
    proc = gobuildgui("rules", cwd=tmp_path)
    assert proc.returncode == 0
    rows = {line.split()[0]: line.split()[1:3] for line in proc.stdout.splitlines() if line[:2]}
    assert rows["GB001"] == ["error", "syntax-error"]
    assert rows["GB003"] == ["info", "invalid-pragma"]


def test_rules_json_list_and_one(tmp_path: Path) -> None:
    listed = json.loads(gobuildgui("rules", "--format", "json", cwd=tmp_path).stdout)
    assert {"GB000", "GB001", "GB003"} <= {r["code"] for r in listed}
    one = json.loads(gobuildgui("rules", "--format", "json", "gb003", cwd=tmp_path).stdout)
    assert one["code"] == "GB003"
    assert "## What it does" in one["doc"]


def test_rules_markdown_list_and_one(tmp_path: Path) -> None:
    listed = gobuildgui("rules", "--format", "markdown", cwd=tmp_path)
    assert listed.returncode == 0
    assert listed.stdout.startswith("| code | name | severity | category | fix | what it finds |\n")
    assert "| GB003 | `invalid-pragma` | info | engine |" in listed.stdout
    one = gobuildgui("rules", "--format", "markdown", "GB003", cwd=tmp_path)
    assert one.stdout.startswith("# GB003 invalid-pragma\n\n")
    assert "## Why is this bad?" in one.stdout


def test_rule_docs(tmp_path: Path) -> None:
    proc = gobuildgui("rules", "invalid-pragma", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith("GB003 invalid-pragma (info, engine)\n")
    assert "## Why is this bad?" in proc.stdout


def test_unknown_rule_suggests(tmp_path: Path) -> None:
    proc = gobuildgui("rules", "GB03", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("gobuildgui: error: unknown rule 'GB03'; did you mean GB003")


def test_lint_and_rules_do_not_import_qt(tmp_path: Path) -> None:
    f = project(tmp_path, BROKEN)
    code = (
        "import sys\n"
        "from gobuildgui.cli import main\n"
        f"assert main(['lint', '--format', 'sarif', {str(f)!r}]) == 1\n"
        "assert main(['rules']) == 0\n"
        "assert main(['rules', 'GB001']) == 0\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print('QT', bad)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "QT []"


def test_gui_is_the_default_and_gets_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []

    def run(path: str | None) -> int:
        calls.append(path)
        return 7

    fake = types.ModuleType("gobuildgui.ui.app")
    fake.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gobuildgui.ui.app", fake)
    assert cli.main([]) == 7
    assert cli.main(["gui", "some/Dockerfile"]) == 7
    assert cli.main(["gui"]) == 7
    assert calls == [None, "some/Dockerfile", None]


def test_sample_project_findings_and_no_secret_in_any_format(tmp_path: Path) -> None:
    """The sample behind README's screenshot: the Go findings it is meant to show, and
    its proxy password masked in every output format."""
    sample = REPO / "resources" / "samples" / "corp-service"
    for fmt in ("text", "json", "sarif"):
        proc = gobuildgui("lint", "--format", fmt, str(sample), cwd=tmp_path)
        assert proc.returncode == 1
        assert "Pr0xyPassw0rd" not in proc.stdout + proc.stderr
    findings = json.loads(gobuildgui("lint", "--format", "json", str(sample), cwd=tmp_path).stdout)
    codes = {f["code"] for f in findings}
    assert {"GB101", "GB102", "GB115", "GB126", "GB130", "GB133", "GB140", "GB141"} <= codes
