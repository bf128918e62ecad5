"""Helpers for rule tests: run one rule on a text, with optional files beside it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule
from gobuildgui.core.model import apply_edits

RunRule = Callable[..., list[Finding]]
FixRule = Callable[..., tuple[str, list[Finding]]]


def _project(tmp: Path, files: Mapping[str, str] | None) -> ProjectContext:
    if files is None:
        return ProjectContext.empty()
    for name, content in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return ProjectContext(tmp)


@pytest.fixture
def run_rule(tmp_path: Path) -> RunRule:
    """``run_rule(rule, text, files=None)``: the rule's findings on ``text``.

    ``files`` maps names (``go.mod``, ``.dockerignore``, ``vendor/modules.txt``) to
    contents written beside the Dockerfile; None means "no folder known" (stdin).
    """

    def run(rule: Rule, text: str, files: Mapping[str, str] | None = None) -> list[Finding]:
        ctx = LintContext(parse(text), _project(tmp_path, files))
        return list(rule.check(ctx))

    return run


@pytest.fixture
def fix_rule(tmp_path: Path) -> FixRule:
    """``fix_rule(rule, text, files=None, index=0)``: apply the index-th finding's fix.

    Returns the fixed text and the rule's findings on it (re-linted).
    """

    def run(
        rule: Rule, text: str, files: Mapping[str, str] | None = None, index: int = 0
    ) -> tuple[str, list[Finding]]:
        project = _project(tmp_path, files)
        findings = list(rule.check(LintContext(parse(text), project)))
        fix = findings[index].fix
        assert fix is not None, f"{rule.code} offered no fix"
        fixed = apply_edits(text, fix.edits)
        return fixed, list(rule.check(LintContext(parse(fixed), project)))

    return run
