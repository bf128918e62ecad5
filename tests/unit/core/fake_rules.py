"""Fake rules for engine, pragma and report tests, so they do not depend on real rules."""

from __future__ import annotations

from collections.abc import Iterator

from gobuildgui.core.dockerfile.rule import Check, Finding, LintContext, Rule
from gobuildgui.core.model import Applicability, Edit, Fix, Severity

DOC = """
## What it does
A fake rule for tests.

## Why is this bad?
It is not.

## Example
```dockerfile
FROM scratch
```
"""


def make_rule(
    code: str,
    name: str,
    check: Check,
    severity: Severity = Severity.WARNING,
    fix: Applicability | None = None,
) -> Rule:
    """A Rule around ``check`` with a fixed summary and documentation."""
    return Rule(
        code=code,
        name=name,
        severity=severity,
        summary=f"{name} summary",
        doc=DOC,
        check=check,
        fix=fix,
        category="test",
    )


def every_instruction(
    code: str, name: str, keyword: str | None = None, severity: Severity = Severity.WARNING
) -> Rule:
    """Reports the keyword of every instruction (or of every ``keyword`` instruction)."""

    def check(ctx: LintContext) -> Iterator[Finding]:
        for ins in ctx.doc.instructions:
            if keyword is None or ins.keyword == keyword:
                yield Finding(ins.keyword_span, f"{ins.keyword} on line {ins.line}")

    return make_rule(code, name, check, severity)


def every_match(
    code: str, name: str, needle: str, severity: Severity = Severity.WARNING, fixed: bool = False
) -> Rule:
    """Reports every occurrence of ``needle`` in the text (optionally with a fix)."""

    def check(ctx: LintContext) -> Iterator[Finding]:
        text = ctx.doc.text
        pos = text.find(needle)
        while pos != -1:
            fix = None
            if fixed:
                fix = Fix(
                    f"replace {needle}",
                    (Edit(pos, pos + len(needle), needle.upper()),),
                    Applicability.SAFE,
                )
            yield Finding(ctx.doc.span(pos, pos + len(needle)), None, fix)
            pos = text.find(needle, pos + 1)

    return make_rule(code, name, check, severity, Applicability.SAFE if fixed else None)


def broken(code: str, name: str, exc: Exception, after: int = 0) -> Rule:
    """Yields ``after`` findings on the first instruction, then raises ``exc``."""

    def check(ctx: LintContext) -> Iterator[Finding]:
        for _ in range(after):
            yield Finding(ctx.doc.span(0, 1))
        raise exc

    return make_rule(code, name, check)
