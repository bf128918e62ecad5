"""Suppression comments: every form, what they cover, and the GB003 check."""

from __future__ import annotations

import pytest

from gobuildgui.core.config import LintConfig
from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.pragmas import ALL, Scope, parse_pragmas
from gobuildgui.core.dockerfile.rule import Rule
from tests.unit.core.fake_rules import every_instruction, every_match

RUN = every_instruction("GB901", "fake-run", "RUN")
FROM = every_instruction("GB902", "fake-from", "FROM")
DL = every_instruction("DL3999", "fake-hadolint-run", "RUN")
NEEDLE = every_match("GB903", "fake-needle", "needle")
ALL_FAKES: tuple[Rule, ...] = (RUN, FROM, DL, NEEDLE)


def found(text: str, *rules: Rule, config: LintConfig | None = None) -> list[tuple[str, int]]:
    """(code, line) of what lint keeps, in order."""
    result = lint(text, rules=rules or ALL_FAKES, config=config)
    return [(d.code, d.span.line) for d in result.diagnostics]


def test_line_pragma_suppresses_only_the_instruction_below() -> None:
    text = "FROM a\n# gobuildgui ignore=GB901\nRUN one\nRUN two\n"
    assert found(text, RUN) == [("GB901", 4)]


def test_line_pragma_counts_as_suppressed() -> None:
    text = "FROM a\n# gobuildgui ignore=GB901\nRUN one\nRUN two\n"
    assert lint(text, rules=[RUN]).suppressed == 1


def test_line_pragma_leaves_other_codes_alone() -> None:
    text = "# gobuildgui ignore=GB901\nFROM a\n"
    assert found(text, RUN, FROM) == [("GB902", 2)]


@pytest.mark.parametrize(
    "pragma",
    [
        "# gobuildgui ignore=GB901",
        "#gobuildgui ignore=gb901",
        "# GOBUILDGUI IGNORE = GB901",
        "# gobuildgui ignore= GB901 , GB903",
        "# gobuildgui ignore=GB901 # the CI preloads the cache",
        "# gobuildgui ignore=GB901 -- the CI preloads the cache",
        "# gobuildgui ignore=GB901,",
        "  # gobuildgui ignore=fake-run",
    ],
)
def test_line_pragma_spellings(pragma: str) -> None:
    text = f"FROM a\n{pragma}\nRUN one\n"
    assert found(text, RUN, NEEDLE) == []


def test_trailing_reason_is_kept_and_not_read_as_codes() -> None:
    doc = parse("# gobuildgui ignore=GB901 -- GB902 is fine here\nFROM a\n")
    (p,) = parse_pragmas(doc)
    assert [c.key for c in p.codes] == ["GB901"]
    assert p.reason == "GB902 is fine here"
    assert p.scope is Scope.NEXT
    assert p.target is not None
    assert p.target.keyword == "FROM"


def test_several_pragma_lines_above_one_instruction_add_up() -> None:
    text = (
        "FROM a\n"
        "# gobuildgui ignore=GB901\n"
        "# a plain comment in between\n"
        "# gobuildgui ignore=GB903\n"
        "RUN needle\n"
        "RUN needle\n"
    )
    assert found(text, RUN, NEEDLE) == [("GB901", 6), ("GB903", 6)]


def test_blank_line_detaches_the_pragma_and_gb003_says_so() -> None:
    text = "FROM a\n# gobuildgui ignore=GB901\n\nRUN one\n"
    assert found(text, RUN) == [("GB003", 2), ("GB901", 4)]


def test_pragma_covers_continuation_lines() -> None:
    text = (
        "FROM a\n"
        "# gobuildgui ignore=GB903\n"
        "RUN echo one \\\n"
        "    # a comment inside the continuation\n"
        "    && echo needle\n"
        "RUN needle\n"
    )
    assert found(text, NEEDLE) == [("GB903", 6)]


def test_pragma_covers_heredoc_body() -> None:
    text = "FROM a\n# gobuildgui ignore=GB903\nRUN <<EOF\necho needle\nEOF\nRUN needle\n"
    assert found(text, NEEDLE) == [("GB903", 6)]


def test_pragma_inside_a_continuation_is_not_a_pragma_for_the_next_instruction() -> None:
    text = "FROM a\nRUN one \\\n# gobuildgui ignore=GB901\n  two\nRUN three\n"
    assert found(text, RUN) == [("GB901", 2), ("GB901", 5)]


def test_global_pragma_anywhere_covers_the_whole_file() -> None:
    text = "FROM a\nRUN one\nRUN two\n# gobuildgui global ignore=GB901\n"
    assert found(text, RUN, FROM) == [("GB902", 1)]


def test_stage_pragma_covers_its_stage_only() -> None:
    text = (
        "FROM a AS build\n"
        "RUN one\n"
        "# gobuildgui stage ignore=GB901,GB902\n"
        "FROM b AS tools\n"
        "RUN two\n"
        "RUN <<EOF\n"
        "three\n"
        "EOF\n"
        "FROM c\n"
        "RUN four\n"
    )
    assert found(text, RUN, FROM) == [
        ("GB902", 1),
        ("GB901", 2),
        ("GB902", 9),
        ("GB901", 10),
    ]


def test_stage_pragma_above_something_else_than_from_does_nothing() -> None:
    text = "FROM a\n# gobuildgui stage ignore=GB901\nRUN one\nRUN two\n"
    assert found(text, RUN) == [("GB003", 2), ("GB901", 3), ("GB901", 4)]


def test_hadolint_pragmas_work_for_dl_codes() -> None:
    text = "FROM a\n# hadolint ignore=DL3999\nRUN one\n"
    assert found(text, DL) == []


def test_hadolint_pragmas_ignore_gobuildgui_codes() -> None:
    text = "FROM a\n# hadolint ignore=GB901,DL3999\nRUN one\n"
    assert found(text, RUN, DL) == [("GB901", 3)]


def test_hadolint_global_and_stage_forms() -> None:
    text = (
        "# hadolint global ignore=DL3999\n"
        "FROM a\n"
        "RUN one\n"
        "# hadolint stage ignore=GB901\n"
        "FROM b\n"
        "RUN two\n"
    )
    assert found(text, RUN, DL) == [("GB901", 3), ("GB901", 6)]


def test_hadolint_pragmas_are_never_reported_as_invalid() -> None:
    text = "FROM a\n# hadolint ignore=DL0000,SC2086,nonsense\nRUN one\n"
    assert found(text, RUN) == [("GB901", 3)]


def test_all_suppresses_rules_but_not_syntax_errors() -> None:
    text = "FROM a\n# gobuildgui ignore=all\nRUN <<EOF\nneedle\n"
    assert found(text, RUN, NEEDLE) == [("GB001", 3)]
    doc = parse(text)
    assert ALL in parse_pragmas(doc)[0].keys


def test_syntax_errors_are_suppressed_when_named() -> None:
    text = "FROM a\n# gobuildgui ignore=GB001,GB901\nRUN <<EOF\nneedle\n"
    assert found(text, RUN) == []


def test_star_is_all_for_gobuildgui_only() -> None:
    assert found("FROM a\n# gobuildgui ignore=*\nRUN one\n", RUN) == []
    assert found("FROM a\n# hadolint ignore=*\nRUN one\n", RUN) == [("GB901", 3)]


def test_unknown_code_is_reported_at_the_code_with_a_suggestion() -> None:
    text = "FROM a\n# gobuildgui ignore=GB90,GB901\nRUN one\n"
    result = lint(text, rules=[RUN])
    (d,) = result.diagnostics
    assert d.code == "GB003"
    assert d.name == "invalid-pragma"
    assert d.severity.value == "info"
    assert (d.span.line, d.span.column, d.span.end_column) == (2, 21, 25)
    assert "'GB90'" in d.message


def test_unknown_rule_name_is_reported() -> None:
    text = "FROM a\n# gobuildgui ignore=fake-rum\nRUN one\n"
    messages = [d.message for d in lint(text, rules=[RUN]).diagnostics if d.code == "GB003"]
    assert messages == ["unknown rule 'fake-rum' in pragma; did you mean fake-run?"]


def test_unknown_dl_codes_in_gobuildgui_pragmas_are_not_reported() -> None:
    text = "FROM a\n# gobuildgui ignore=DL3006,GB901\nRUN one\n"
    assert found(text, RUN) == []


def test_malformed_pragma_is_reported() -> None:
    text = "FROM a\n# gobuildgui ignore GB901\nRUN one\n"
    result = lint(text, rules=[RUN])
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("GB003", 2), ("GB901", 3)]
    assert "malformed" in result.diagnostics[0].message


def test_blank_separated_codes_are_reported() -> None:
    text = "FROM a\n# gobuildgui ignore=GB901 GB903\nRUN needle\n"
    result = lint(text, rules=[RUN, NEEDLE])
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("GB003", 2), ("GB903", 3)]
    assert "separate codes with commas" in result.diagnostics[0].message


def test_plain_comments_mentioning_gobuildgui_are_not_pragmas() -> None:
    text = "# gobuildgui checks this file in CI\nFROM a\n"
    assert found(text, FROM) == [("GB902", 2)]


def test_gb003_can_be_ignored_by_config() -> None:
    text = "FROM a\n# gobuildgui ignore=GB90\nRUN one\n"
    config = LintConfig(ignore=frozenset({"GB003"}))
    assert found(text, RUN, config=config) == [("GB901", 3)]


def test_gb003_can_be_suppressed_by_a_global_pragma() -> None:
    text = "# gobuildgui global ignore=GB003\nFROM a\n# gobuildgui ignore=GB90\nRUN one\n"
    assert found(text, RUN) == [("GB901", 4)]
