"""Configuration: discovery, keys, overrides and error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from gobuildgui.core.config import (
    LintConfig,
    discover_config,
    find_config,
    load_config,
    parse_threshold,
)
from gobuildgui.core.errors import ConfigError, Error
from gobuildgui.core.model import Severity
from tests.unit.core.fake_rules import every_instruction

RULES = (
    every_instruction("GB901", "fake-run", "RUN"),
    every_instruction("GB902", "fake-from", "FROM"),
    every_instruction("DL3999", "fake-hadolint", "RUN"),
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    cfg = LintConfig()
    assert cfg.ignore == frozenset()
    assert cfg.severity_overrides == {}
    assert cfg.failure_threshold is Severity.INFO
    assert cfg.source is None
    assert cfg.fails(Severity.INFO)
    assert not cfg.fails(Severity.STYLE)


def test_gobuildgui_toml_is_found_from_a_subfolder(tmp_path: Path) -> None:
    cfg_file = write(tmp_path / ".gobuildgui.toml", 'ignore = ["GB901"]\n')
    sub = tmp_path / "services" / "api"
    sub.mkdir(parents=True)
    assert find_config(sub) == cfg_file.resolve()
    cfg = discover_config(sub, rules=RULES)
    assert cfg.ignore == {"GB901"}
    assert cfg.source == cfg_file.resolve()


def test_pyproject_with_tool_table_is_found(tmp_path: Path) -> None:
    py = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.gobuildgui]\nfailure-threshold = "warning"\n',
    )
    cfg = discover_config(tmp_path, rules=RULES)
    assert cfg.failure_threshold is Severity.WARNING
    assert cfg.source == py.resolve()


def test_pyproject_without_tool_table_does_not_stop_the_walk(tmp_path: Path) -> None:
    top = write(tmp_path / ".gobuildgui.toml", 'ignore = ["GB902"]\n')
    write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "gobuildgui-demo"\n')
    write(tmp_path / "lib" / "pyproject.toml", '[project]\nname = "other"\n')
    assert find_config(tmp_path / "app") == top.resolve()
    assert find_config(tmp_path / "lib") == top.resolve()


def test_gobuildgui_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    own = write(tmp_path / ".gobuildgui.toml", 'ignore = ["GB901"]\n')
    write(tmp_path / "pyproject.toml", '[tool.gobuildgui]\nignore = ["GB902"]\n')
    assert find_config(tmp_path) == own.resolve()
    assert discover_config(tmp_path, rules=RULES).ignore == {"GB901"}


def test_nearest_folder_wins(tmp_path: Path) -> None:
    write(tmp_path / ".gobuildgui.toml", 'ignore = ["GB901"]\n')
    near = write(tmp_path / "sub" / "pyproject.toml", '[tool.gobuildgui]\nignore = ["GB902"]\n')
    assert find_config(tmp_path / "sub") == near.resolve()


def test_empty_gobuildgui_toml_stops_the_walk_with_defaults(tmp_path: Path) -> None:
    write(tmp_path / ".gobuildgui.toml", 'ignore = ["GB901"]\n')
    near = write(tmp_path / "sub" / ".gobuildgui.toml", "")
    cfg = discover_config(tmp_path / "sub", rules=RULES)
    assert cfg.source == near.resolve()
    assert cfg.ignore == frozenset()


def test_severity_overrides_both_spellings_names_and_off(tmp_path: Path) -> None:
    table = write(
        tmp_path / "a.toml",
        '[severity]\ngb901 = "Error"\nfake-from = "off"\nDL3999 = "ignore"\n',
    )
    inline = write(tmp_path / "b.toml", 'severity = {GB901 = "style"}\n')
    cfg = load_config(table, rules=RULES)
    assert cfg.severity_overrides == {"GB901": Severity.ERROR, "GB902": None, "DL3999": None}
    assert not cfg.is_enabled("GB902")
    assert cfg.severity_for("GB901", Severity.WARNING) is Severity.ERROR
    assert load_config(inline, rules=RULES).severity_overrides == {"GB901": Severity.STYLE}


def test_ignore_accepts_codes_in_any_case_and_rule_names(tmp_path: Path) -> None:
    f = write(tmp_path / "c.toml", 'ignore = ["gb901", "fake-from"]\n')
    cfg = load_config(f, rules=RULES)
    assert cfg.ignore == {"GB901", "GB902"}
    assert cfg.severity_for("GB901", Severity.ERROR) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("error", Severity.ERROR), ("STYLE", Severity.STYLE), ("none", None)],
)
def test_failure_threshold(tmp_path: Path, value: str, expected: Severity | None) -> None:
    f = write(tmp_path / "t.toml", f'failure-threshold = "{value}"\n')
    cfg = load_config(f, rules=RULES)
    assert cfg.failure_threshold is expected


def test_threshold_none_never_fails() -> None:
    cfg = LintConfig(failure_threshold=None)
    assert not cfg.fails(Severity.ERROR)
    assert parse_threshold("None") is None
    with pytest.raises(ValueError, match="unknown failure threshold"):
        parse_threshold("fatal")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('ignores = ["GB901"]\n', r"unknown key 'ignores'; did you mean 'ignore'\?"),
        ('failure_threshold = "error"\n', r"did you mean 'failure-threshold'\?"),
        ('ignore = ["GB9011"]\n', r"'ignore' names unknown rule 'GB9011'; did you mean 'GB901'\?"),
        ('ignore = ["fake-fron"]\n', r"did you mean 'fake-from'\?"),
        ('ignore = "GB901"\n', r"'ignore' must be a list"),
        ("ignore = [1]\n", r"'ignore' must name rules by code or name"),
        ('severity = "error"\n', r"'severity' must be a table"),
        ('severity = {GB901 = "fatal"}\n', r"'severity.GB901' must be one of .*got 'fatal'"),
        ('severity = {GB901 = "warn"}\n', r"did you mean 'warning'\?"),
        ("severity = {GB901 = 3}\n", r"'severity.GB901' must be a string"),
        ('failure-threshold = "warn"\n', r"'failure-threshold' must be one of"),
        ('ignore = ["GB901"\n', r"invalid TOML"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    f = write(tmp_path / ".gobuildgui.toml", text)
    with pytest.raises(ConfigError, match=expected) as info:
        load_config(f, rules=RULES)
    assert str(info.value).startswith(f"{f}: ")
    assert info.value.path == f
    assert isinstance(info.value, Error)


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    f = write(tmp_path / "pyproject.toml", '[tool.gobuildgui]\nignores = ["GB901"]\n')
    with pytest.raises(ConfigError, match=r"\[tool\.gobuildgui\] unknown key 'ignores'"):
        discover_config(tmp_path, rules=RULES)
    with pytest.raises(ConfigError) as info:
        load_config(f, rules=RULES)
    assert str(f) in str(info.value)


def test_explicit_pyproject_without_table_is_an_error(tmp_path: Path) -> None:
    f = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"has no \[tool\.gobuildgui\] table"):
        load_config(f, rules=RULES)


def test_broken_pyproject_that_mentions_us_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.gobuildgui\nignore = []\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        discover_config(tmp_path, rules=RULES)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.toml", rules=RULES)


def test_real_rule_codes_are_known_by_default(tmp_path: Path) -> None:
    f = write(tmp_path / ".gobuildgui.toml", 'ignore = ["GB003", "internal-error"]\n')
    assert load_config(f).ignore == {"GB003", "GB000"}
