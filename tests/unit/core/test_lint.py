"""The lint engine, with fake rules only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gobuildgui.core.config import LintConfig
from gobuildgui.core.dockerfile.lint import LintResult, lint
from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.dockerfile.rule import Finding, LintContext
from gobuildgui.core.model import Applicability, Edit, Fix, Severity
from tests.unit.core.fake_rules import broken, every_instruction, every_match, make_rule

RUN = every_instruction("GB901", "fake-run", "RUN")
FROM = every_instruction("GB902", "fake-from", "FROM", Severity.ERROR)
TEXT = "FROM golang:1.22\nRUN go mod download\nRUN go build\n"


def codes(result: LintResult) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in result.diagnostics]


def test_findings_become_diagnostics_with_the_rules_metadata() -> None:
    result = lint(TEXT, rules=[RUN])
    assert codes(result) == [("GB901", 2), ("GB901", 3)]
    d = result.diagnostics[0]
    assert (d.name, d.severity, d.message) == ("fake-run", Severity.WARNING, "RUN on line 2")
    assert (d.span.column, d.span.end_column) == (1, 4)
    assert result.suppressed == 0
    assert result.doc.text == TEXT


def test_message_defaults_to_summary_and_fix_and_notes_are_kept() -> None:
    fix = Fix("do it", (Edit(0, 4, "from"),), Applicability.UNSAFE)

    def check(ctx: LintContext) -> Iterator[Finding]:
        yield Finding(ctx.doc.span(0, 4), None, fix, ("a note",))

    (d,) = lint(TEXT, rules=[make_rule("GB904", "fake-fix", check)]).diagnostics
    assert d.message == "fake-fix summary"
    assert d.fix == fix
    assert d.notes == ("a note",)


def test_accepts_a_parsed_document() -> None:
    doc = parse(TEXT)
    result = lint(doc, rules=[FROM])
    assert result.doc is doc
    assert codes(result) == [("GB902", 1)]


def test_diagnostics_are_sorted_and_include_parse_problems() -> None:
    text = "RUN <<EOF\nbody\n"  # unterminated heredoc, and RUN before FROM
    result = lint(text + "", rules=[RUN, FROM])
    assert ("GB001", 1) in codes(result)
    assert ("GB901", 1) in codes(result)
    starts = [(d.span.start, -d.severity.rank) for d in result.diagnostics]
    assert starts == sorted(starts)


def test_a_crashing_rule_is_contained_and_named() -> None:
    boom = broken("GB905", "fake-boom", KeyError("missing"), after=2)
    result = lint(TEXT, rules=[RUN, boom, FROM])
    # At the same place an error (GB902) sorts before the warning (GB000).
    assert codes(result) == [("GB902", 1), ("GB000", 1), ("GB901", 2), ("GB901", 3)]
    err = result.diagnostics[1]
    assert err.name == "internal-error"
    assert err.severity is Severity.WARNING
    assert "GB905" in err.message
    assert "fake-boom" in err.message
    assert "KeyError" in err.message
    assert err.notes
    assert "raised at" in err.notes[0]
    # The partial findings of the crashed rule are dropped, not half-reported.
    assert not any(d.code == "GB905" for d in result.diagnostics)


def test_a_rule_that_returns_garbage_is_contained() -> None:
    bad = make_rule("GB906", "fake-none", lambda ctx: None)  # type: ignore[arg-type,return-value]
    result = lint(TEXT, rules=[bad, FROM])
    assert codes(result) == [("GB902", 1), ("GB000", 1)]
    assert "TypeError" in result.diagnostics[1].message


def test_every_crashing_rule_gets_its_own_internal_error() -> None:
    a = broken("GB907", "fake-a", ValueError("x"))
    b = broken("GB908", "fake-b", RecursionError())
    result = lint(TEXT, rules=[a, b])
    messages = [d.message for d in result.diagnostics]
    assert len(messages) == 2
    assert any("GB907" in m and "ValueError: x" in m for m in messages)
    assert any("GB908" in m and "RecursionError" in m for m in messages)


def test_keyboard_interrupt_is_not_swallowed() -> None:
    rule = broken("GB909", "fake-interrupt", KeyboardInterrupt())  # type: ignore[arg-type]
    with pytest.raises(KeyboardInterrupt):
        lint(TEXT, rules=[rule])


def test_ignored_rules_are_not_run() -> None:
    boom = broken("GB905", "fake-boom", RuntimeError("should not run"))
    config = LintConfig(ignore=frozenset({"GB905", "GB901"}))
    result = lint(TEXT, rules=[RUN, boom, FROM], config=config)
    assert codes(result) == [("GB902", 1)]
    assert result.suppressed == 0  # not run, so nothing was produced and hidden


def test_severity_override_and_off() -> None:
    config = LintConfig(severity_overrides={"GB901": Severity.STYLE, "GB902": None})
    result = lint(TEXT, rules=[RUN, FROM], config=config)
    assert [(d.code, d.severity) for d in result.diagnostics] == [
        ("GB901", Severity.STYLE),
        ("GB901", Severity.STYLE),
    ]


def test_parse_problems_follow_the_config_like_any_code() -> None:
    text = "FROM a\nRUN <<EOF\nbody\n"
    assert [d.code for d in lint(text, rules=[]).diagnostics] == ["GB001"]
    ignored = lint(text, rules=[], config=LintConfig(ignore=frozenset({"GB001"})))
    assert ignored.diagnostics == ()
    assert ignored.suppressed == 1
    lowered = lint(text, rules=[], config=LintConfig(severity_overrides={"GB001": Severity.INFO}))
    assert [d.severity for d in lowered.diagnostics] == [Severity.INFO]


def test_failed_follows_the_threshold() -> None:
    result = lint(TEXT, rules=[RUN])  # warnings only
    assert result.failed(LintConfig(failure_threshold=Severity.WARNING))
    assert result.failed(LintConfig(failure_threshold=Severity.INFO))
    assert not result.failed(LintConfig(failure_threshold=Severity.ERROR))
    assert not result.failed(LintConfig(failure_threshold=None))
    assert not lint(TEXT, rules=[]).failed(LintConfig(failure_threshold=Severity.STYLE))


def test_project_context_reaches_the_rules(tmp_path: Path) -> None:
    def check(ctx: LintContext) -> Iterator[Finding]:
        if ctx.project.has_go_mod:
            yield Finding(ctx.doc.span(0, 1), "go.mod found")

    rule = make_rule("GB910", "fake-project", check)
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    assert codes(lint(TEXT, rules=[rule])) == []
    assert codes(lint(TEXT, rules=[rule], project=ProjectContext(tmp_path))) == [("GB910", 1)]


def test_default_rules_are_the_registry() -> None:
    from gobuildgui.core.dockerfile.rules import ALL_RULES

    boom_free = lint("FROM a\n# gobuildgui ignore=GB0\nRUN x\n")
    # GB003 is reported because "GB0" is no registered code: the registry was used.
    assert any(d.code == "GB003" for d in boom_free.diagnostics)
    assert all(d.code in {r.code for r in ALL_RULES} for d in boom_free.diagnostics)


def test_fix_edits_survive_to_diagnostics() -> None:
    rule = every_match("GB911", "fake-needle", "needle", fixed=True)
    (d,) = lint("FROM a\nRUN needle\n", rules=[rule]).diagnostics
    assert d.fix is not None
    assert d.fix.edits == (Edit(11, 17, "NEEDLE"),)
