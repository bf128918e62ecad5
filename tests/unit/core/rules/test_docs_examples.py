"""Every rule's documented examples do what the documentation says.

The Dockerfile code block(s) under "## Example" before the "Use instead" line are
the bad example: the rule must fire on them, and (when the rule has a fix) the
first finding's fix must cure them.  The Dockerfile block(s) after "Use instead"
are the good examples: the rule must stay silent on each.  The project files
beside the Dockerfile come from ``FILES`` (a typical module with requirements,
go.sum and a .dockerignore) unless ``FILES_BY_CODE`` says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import pytest

from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.rule import DOC_HEADINGS, Finding, Rule
from gobuildgui.core.dockerfile.rules import (
    ALL_RULES,
    ENGINE_RULES,
    INVALID_PRAGMA,
    RULES_BY_CODE,
    SYNTAX_ERROR,
)
from gobuildgui.core.model import Applicability

RunRule = Callable[..., list[Finding]]
FixRule = Callable[..., tuple[str, list[Finding]]]

GO_MOD = """\
module github.com/acme/app

go 1.24.0

require github.com/acme/lib v1.2.3
"""
GO_SUM = "github.com/acme/lib v1.2.3 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
DOCKERIGNORE = ".git\nbin/\n"

FILES: Mapping[str, str] = {"go.mod": GO_MOD, "go.sum": GO_SUM, ".dockerignore": DOCKERIGNORE}
NO_DOCKERIGNORE: Mapping[str, str] = {"go.mod": GO_MOD, "go.sum": GO_SUM}


class Project(NamedTuple):
    """The files beside the bad and the good examples."""

    bad: Mapping[str, str] = FILES
    good: Mapping[str, str] = FILES


# Rules whose examples imply other project files than ``FILES``.
FILES_BY_CODE: dict[str, Project] = {
    # The good example is the bad Dockerfile with a .dockerignore beside it.
    "GB150": Project(bad=NO_DOCKERIGNORE, good=FILES),
    # The .dockerignore of the example leaves out go.sum; the fixed one re-includes it.
    "GB151": Project(
        bad={**NO_DOCKERIGNORE, ".dockerignore": "# .dockerignore\n*.sum\nvendor\n"},
        good={**NO_DOCKERIGNORE, ".dockerignore": "*.sum\n!go.sum\n"},
    ),
}

# The good example of these rules is not a Dockerfile: the bad Dockerfile is linted
# again with the good project files.
GOOD_IS_PROJECT = {"GB150", "GB151"}

_FENCE = re.compile(r"^```(\w*)\s*$")
_FROM = re.compile(r"^\s*FROM\s", re.IGNORECASE | re.MULTILINE)
# An example without FROM is a fragment of a golang build stage.
FRAGMENT_STAGE = "FROM golang:1.24\n"


def _complete(text: str) -> str:
    return text if _FROM.search(text) else FRAGMENT_STAGE + text


@dataclass(frozen=True)
class Examples:
    bad: tuple[str, ...]
    good: tuple[str, ...]


def examples(doc: str) -> Examples:
    """The Dockerfile blocks of the "## Example" section, before and after "Use instead"."""
    section = doc.split("## Example", 1)[1]
    section = re.split(r"^## ", section, flags=re.MULTILINE)[0]
    bad: list[str] = []
    good: list[str] = []
    after = False
    lang: str | None = None
    block: list[str] = []
    for line in section.splitlines():
        fence = _FENCE.match(line)
        if lang is None:
            if fence:
                lang, block = fence.group(1), []
            elif line.startswith("Use instead"):
                after = True
        elif line == "```":
            if lang == "dockerfile":
                (good if after else bad).append(_complete("\n".join(block) + "\n"))
            lang = None
        else:
            block.append(line)
    assert lang is None, "unterminated code block"
    return Examples(tuple(bad), tuple(good))


LINT_RULES = [r for r in ALL_RULES if r not in ENGINE_RULES]


def _ids(rules: list[Rule]) -> list[str]:
    return [f"{r.code}-{r.name}" for r in rules]


def _project(code: str) -> Project:
    return FILES_BY_CODE.get(code, Project())


def test_examples_parser() -> None:
    doc = (
        "## Example\n```dockerfile\nFROM a\n```\nUse instead:\n```text\nx\n```\n"
        "```dockerfile\nFROM b\n```\nor:\n```dockerfile\nFROM c\n```\n## Fix safety\n"
        "```dockerfile\nFROM d\n```\n"
    )
    assert examples(doc) == Examples(bad=("FROM a\n",), good=("FROM b\n", "FROM c\n"))
    fragment = "## Example\n```dockerfile\nRUN go build\n```\n"
    assert examples(fragment).bad == (FRAGMENT_STAGE + "RUN go build\n",)


@pytest.mark.parametrize("rule", LINT_RULES, ids=_ids(LINT_RULES))
def test_every_rule_has_a_bad_example(rule: Rule) -> None:
    assert examples(rule.doc).bad, f"{rule.code} has no Dockerfile block under ## Example"


@pytest.mark.parametrize("rule", LINT_RULES, ids=_ids(LINT_RULES))
def test_rule_fires_on_its_bad_example(rule: Rule, run_rule: RunRule) -> None:
    for text in examples(rule.doc).bad:
        assert run_rule(rule, text, _project(rule.code).bad), f"{rule.code} is silent on:\n{text}"


@pytest.mark.parametrize("rule", LINT_RULES, ids=_ids(LINT_RULES))
def test_rule_is_silent_on_its_good_example(rule: Rule, run_rule: RunRule) -> None:
    ex = examples(rule.doc)
    good = ex.bad if rule.code in GOOD_IS_PROJECT else ex.good
    for text in good:
        found = run_rule(rule, text, _project(rule.code).good)
        assert found == [], f"{rule.code} fires on its 'use instead' example:\n{text}{found}"


FIX_RULES = [r for r in LINT_RULES if r.fix is not None]
# Fixes documented as advice only: they carry a text to follow and no edits.
ADVICE_FIXES = {"GB150"}
# Rules whose example shows a case the rule deliberately offers no fix for.
UNFIXED_EXAMPLES = {"GB111": "a SOCKS proxy in GOPROXY has no clear replacement"}


@pytest.mark.parametrize("rule", FIX_RULES, ids=_ids(FIX_RULES))
def test_fix_cures_the_bad_example(rule: Rule, run_rule: RunRule, fix_rule: FixRule) -> None:
    text = examples(rule.doc).bad[0]
    files = _project(rule.code).bad
    before = run_rule(rule, text, files)
    assert before, f"{rule.code} is silent on its example"
    fix = before[0].fix
    if rule.code in UNFIXED_EXAMPLES:
        assert fix is None
        return
    assert fix is not None, f"{rule.code} offers no fix on its own example"
    if rule.code in ADVICE_FIXES:
        assert fix.edits == ()
        assert fix.applicability is Applicability.DISPLAY_ONLY
        assert fix.title
        return
    fixed, after = fix_rule(rule, text, files)
    assert fixed != text
    assert len(after) < len(before), f"{rule.code}'s fix did not cure its finding:\n{fixed}"
    # The example may have several findings: fixing them one at a time cures it.
    for _ in range(len(after)):
        fixed, after = fix_rule(rule, fixed, files)
    assert after == [], f"{rule.code} still fires after its fixes:\n{fixed}"


# Rules whose "use instead" is prose (build arguments), not a Dockerfile.
PROSE_GOOD_EXAMPLES = {"GB126", "GB142"}


@pytest.mark.parametrize("rule", LINT_RULES, ids=_ids(LINT_RULES))
def test_every_rule_has_a_good_example(rule: Rule) -> None:
    has_good = bool(examples(rule.doc).good) or rule.code in GOOD_IS_PROJECT
    assert has_good != (rule.code in PROSE_GOOD_EXAMPLES), rule.code


@pytest.mark.parametrize(
    "rule", [SYNTAX_ERROR, INVALID_PRAGMA], ids=_ids([SYNTAX_ERROR, INVALID_PRAGMA])
)
def test_engine_rule_examples(rule: Rule) -> None:
    ex = examples(rule.doc)
    assert ex.bad
    assert ex.good
    # The engine reports these, so lint the whole file with every rule.
    for text in ex.bad:
        assert rule.code in {d.code for d in lint(text).diagnostics}, text
    for text in ex.good:
        assert rule.code not in {d.code for d in lint(text).diagnostics}, text


KNOWN_HEADINGS = (*DOC_HEADINGS, "## Fix safety", "## References")


def _prose(doc: str) -> list[str]:
    """The paragraphs of ``doc`` outside code blocks, each joined into one line."""
    paragraphs: list[str] = []
    current: list[str] = []
    fenced = False
    for line in [*doc.splitlines(), ""]:
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.startswith("#"):  # a heading is a paragraph of its own
            paragraphs.extend([" ".join(current), line] if current else [line])
            current = []
        elif line.strip():
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(list(ALL_RULES)))
def test_doc_is_well_formed_markdown(rule: Rule) -> None:
    """What `gobuildgui rules CODE` prints: headings in order, closed code and backticks."""
    assert rule.summary.strip()
    assert not rule.summary.endswith(".")
    assert rule.first_paragraph
    assert rule.doc.count("```") % 2 == 0, "unclosed code block"
    headings = [p for p in _prose(rule.doc) if p.startswith("#")]
    assert all(h in KNOWN_HEADINGS for h in headings), headings
    assert headings == sorted(headings, key=KNOWN_HEADINGS.index), headings
    assert headings[:3] == list(DOC_HEADINGS)
    for paragraph in _prose(rule.doc):
        assert paragraph.count("`") % 2 == 0, f"unbalanced backticks: {paragraph}"
    assert all(line == line.rstrip() for line in rule.doc.splitlines())
    if rule not in ENGINE_RULES:
        assert "## References" in headings
    if rule.fix is not None:
        assert "## Fix safety" in headings


def test_table_codes_exist() -> None:
    tables = (FILES_BY_CODE, GOOD_IS_PROJECT, ADVICE_FIXES, UNFIXED_EXAMPLES, PROSE_GOOD_EXAMPLES)
    for code in (code for table in tables for code in table):
        assert code in RULES_BY_CODE, code
