"""Text, JSON and SARIF formatters."""

from __future__ import annotations

import importlib
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.dockerfile.rule import Rule
from gobuildgui.core.model import Applicability, LineIndex, Severity
from gobuildgui.core.report import (
    FileReport,
    artifact_location,
    format_json,
    format_rule_text,
    format_rules_text,
    format_sarif,
    format_text,
    rule_json,
    sarif_log,
    use_color,
)
from tests.unit.core.fake_rules import every_instruction, every_match

SCHEMA = Path(__file__).resolve().parents[2] / "data" / "sarif-schema-2.1.0.json"

RUN = every_instruction("GB901", "fake-run", "RUN", Severity.WARNING)
FROM = every_instruction("GB902", "fake-from", "FROM", Severity.STYLE)
NEEDLE = every_match("GB903", "fake-needle", "needle", Severity.ERROR, fixed=True)
RULES: tuple[Rule, ...] = (RUN, FROM, NEEDLE)
TEXT = "FROM a\n# gobuildgui ignore=GB901\nRUN needle\nRUN x \\\n  needle\n"


def reports(path: str = "app/Dockerfile") -> list[FileReport]:
    return [FileReport.of(path, lint(TEXT, rules=RULES))]


# -- JSON ---------------------------------------------------------------------------


def test_json_fields_are_exactly_the_documented_ones() -> None:
    items = json.loads(format_json(reports()))
    assert [(i["code"], i["line"]) for i in items] == [
        ("GB902", 1),
        ("GB903", 3),
        ("GB901", 4),
        ("GB903", 5),
    ]
    keys = {
        "file",
        "code",
        "name",
        "severity",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "fix",
    }
    assert all(set(i) == keys for i in items)
    assert items[0] == {
        "file": "app/Dockerfile",
        "code": "GB902",
        "name": "fake-from",
        "severity": "style",
        "line": 1,
        "column": 1,
        "end_line": 1,
        "end_column": 5,
        "message": "FROM on line 1",
        "fix": None,
    }


def test_json_fix_edits_have_offsets_and_positions() -> None:
    item = json.loads(format_json(reports()))[3]
    assert item["fix"] == {
        "title": "replace needle",
        "applicability": "safe",
        "edits": [
            {
                "start": 54,
                "end": 60,
                "line": 5,
                "column": 3,
                "end_line": 5,
                "end_column": 9,
                "replacement": "NEEDLE",
            }
        ],
    }
    assert TEXT[54:60] == "needle"


def test_json_of_nothing_is_an_empty_list() -> None:
    assert json.loads(format_json([])) == []


# -- text ---------------------------------------------------------------------------


def test_text_lines_fix_hints_and_summary() -> None:
    out = format_text(reports())
    assert out.splitlines() == [
        "app/Dockerfile:1:1: style GB902 FROM on line 1",
        "app/Dockerfile:3:5: error GB903 fake-needle summary",
        "    fix (safe): replace needle",
        "app/Dockerfile:4:1: warning GB901 RUN on line 4",
        "app/Dockerfile:5:3: error GB903 fake-needle summary",
        "    fix (safe): replace needle",
        "Found 4 problems (2 errors, 1 warning, 1 style); 2 with a fix; 1 suppressed.",
    ]
    assert "\x1b[" not in out


def test_text_summary_for_several_files_and_for_none() -> None:
    clean = FileReport.of("b/Dockerfile", lint("FROM a\n", rules=[]))
    out = format_text([*reports(), clean])
    assert out.endswith("in 1 of 2 files; 2 with a fix; 1 suppressed.\n")
    assert format_text([clean]) == "No problems found (1 file checked).\n"


def test_text_colour_when_asked() -> None:
    out = format_text(reports(), color=True)
    assert "\x1b[1;31merror\x1b[0m" in out
    assert "\x1b[35mstyle\x1b[0m" in out


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_use_color_needs_a_tty_and_no_no_color() -> None:
    assert use_color(_Tty(), {})
    assert not use_color(_Tty(), {"NO_COLOR": "1"})
    assert not use_color(_Tty(), {"TERM": "dumb"})
    assert use_color(_Tty(), {"NO_COLOR": ""})  # empty means unset (no-color.org)
    assert not use_color(io.StringIO(), {})


# -- SARIF --------------------------------------------------------------------------


def _validate(log: dict[str, Any]) -> None:
    jsonschema = importlib.import_module("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_file_is_the_official_one() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_schema_validation_catches_a_broken_log() -> None:
    log = sarif_log(reports(), rules=RULES)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError, match="fatal"):
        _validate(log)


def test_sarif_is_valid_against_the_schema() -> None:
    log = json.loads(format_sarif(reports(), rules=RULES, base=Path.cwd()))
    _validate(log)


def test_sarif_with_all_registered_rules_is_valid() -> None:
    log = sarif_log(reports())  # the registry's rules, plus bare descriptors for the fakes
    _validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert {"GB000", "GB001", "GB003"} <= set(ids)
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_structure() -> None:
    log = sarif_log(reports(), rules=RULES, base=Path.cwd())
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gobuildgui"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    rule = driver["rules"][2]
    assert rule["id"] == "GB903"
    assert rule["name"] == "fake-needle"
    assert rule["shortDescription"]["text"] == "fake-needle summary"
    assert rule["fullDescription"]["text"] == "A fake rule for tests."
    assert "## Why is this bad?" in rule["help"]["markdown"]
    assert rule["help"]["text"] == rule["help"]["markdown"]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["properties"]["tags"] == ["test"]

    levels = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert levels == [
        ("GB902", "note"),
        ("GB903", "error"),
        ("GB901", "warning"),
        ("GB903", "error"),
    ]
    last = run["results"][3]
    assert last["ruleIndex"] == 2
    loc = last["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "app/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 5, "startColumn": 3, "endLine": 5, "endColumn": 9}
    (fix,) = last["fixes"]
    assert fix["description"]["text"] == "replace needle"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "app/Dockerfile"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 5, "startColumn": 3, "endLine": 5, "endColumn": 9},
            "insertedContent": {"text": "NEEDLE"},
        }
    ]
    assert "fixes" not in run["results"][0]


def test_sarif_of_the_real_rules_is_valid(tmp_path: Path) -> None:
    # Whatever the registered rules report on a busy Dockerfile must stay valid SARIF.
    text = (
        "FROM golang:1.22 AS build\n"
        "ENV GOPROXY=direct GOFLAGS=-mod=mod\n"
        "WORKDIR /src\n"
        "COPY . .\n"
        "RUN go mod download && go build -o /app .\n"
        "RUN <<EOF\ngo vet ./...\nEOF\n"
        "FROM golang:1.22\n"
        "COPY --from=build /app /app\n"
    )
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    result = lint(text, project=ProjectContext(tmp_path))
    assert result.diagnostics  # at least the engine or one rule has something to say
    _validate(sarif_log([FileReport.of("Dockerfile", result)]))


def test_sarif_leaves_out_display_only_fixes() -> None:
    d = lint("FROM a\nRUN needle\n", rules=[NEEDLE]).diagnostics[0]
    assert d.fix is not None
    shown = replace(d, fix=replace(d.fix, applicability=Applicability.DISPLAY_ONLY))
    rep = FileReport("Dockerfile", (shown,), LineIndex("FROM a\nRUN needle\n"))
    (result,) = sarif_log([rep], rules=RULES)["runs"][0]["results"]
    assert "fixes" not in result


def test_sarif_bare_descriptor_for_codes_outside_the_rule_list() -> None:
    log = sarif_log(reports(), rules=[RUN])
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["GB901", "GB902", "GB903"]
    _validate(log)


def test_artifact_locations(tmp_path: Path) -> None:
    assert artifact_location("app/Dockerfile", tmp_path) == {
        "uri": "app/Dockerfile",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location(str(tmp_path / "my app" / "Dockerfile"), tmp_path) == {
        "uri": "my%20app/Dockerfile",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location("./x/../Dockerfile", tmp_path)["uri"] == "Dockerfile"
    outside = artifact_location("/elsewhere/Dockerfile", tmp_path)
    assert outside == {"uri": "file:///elsewhere/Dockerfile"}


# -- rules --------------------------------------------------------------------------


def test_rule_listing_and_docs() -> None:
    listing = format_rules_text([RUN, NEEDLE])
    lines = listing.splitlines()
    assert lines[0].split() == ["GB901", "warning", "fake-run", "fake-run", "summary"]
    assert lines[1].split()[:4] == ["GB903", "error", "fake-needle", "fix"]
    doc = format_rule_text(NEEDLE)
    assert doc.startswith("GB903 fake-needle (error, test, fix: safe)\n")
    assert "## What it does" in doc
    assert rule_json(NEEDLE) == {
        "code": "GB903",
        "name": "fake-needle",
        "severity": "error",
        "category": "test",
        "fix": "safe",
        "needs_project": False,
        "summary": "fake-needle summary",
        "doc": NEEDLE.doc,
    }
