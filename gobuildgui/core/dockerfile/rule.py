"""What a lint rule is: a code, a name, a severity, documentation and a pure check.

A rule's check takes a :class:`LintContext` and yields :class:`Finding` objects; the
engine (``lint.py``) turns them into diagnostics and applies suppressions, ignores
and severity overrides afterwards, never inside a rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gobuildgui.core.dockerfile.nodes import Dockerfile
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.model import Applicability, Fix, Severity, Span

CODE_RE = re.compile(r"^(GB|DL)\d{3,4}$")
DOC_HEADINGS = ("## What it does", "## Why is this bad?", "## Example")


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: where, optionally a specific message, and a fix."""

    span: Span
    message: str | None = None  # None: the rule's summary
    fix: Fix | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LintContext:
    """Everything a rule may look at: the parsed file and the files around it."""

    doc: Dockerfile
    project: ProjectContext = field(default_factory=ProjectContext.empty)


Check = Callable[[LintContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered lint rule.

    Attributes:
        code: stable identifier, ``GBnnn`` for ours, ``DLnnnn`` where the rule means
            the same as hadolint's (so ``# hadolint ignore=`` works for it).
        name: kebab-case name, unique.
        severity: default severity (config may override).
        summary: the default one-line message.
        doc: Markdown documentation under the headings of ``DOC_HEADINGS``.
        fix: the best applicability of the fixes it offers, or None if it offers none.
        category: a short group name for listings (``modules``, ``proxy``, ``hygiene`` ...).
        check: the pure function that finds problems.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Check
    fix: Applicability | None = None
    category: str = "general"
    needs_project: bool = False  # reads go.mod, go.sum, .dockerignore or vendor/

    @property
    def first_paragraph(self) -> str:
        """The first paragraph under "What it does" (for tooltips)."""
        body = self.doc.split("## What it does", 1)[-1].strip()
        return body.split("\n\n", 1)[0].strip()


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    fix: Applicability | None = None,
    category: str = "general",
    needs_project: bool = False,
) -> Callable[[Check], Rule]:
    """Decorator that turns a documented check function into a :class:`Rule`.

    The function's docstring is the rule's documentation.
    """

    def wrap(fn: Check) -> Rule:
        doc = _dedent_doc(fn.__doc__ or "")
        return Rule(
            code=code,
            name=name,
            severity=severity,
            summary=summary,
            doc=doc,
            check=fn,
            fix=fix,
            category=category,
            needs_project=needs_project,
        )

    return wrap


def _dedent_doc(doc: str) -> str:
    """``inspect.cleandoc`` without importing inspect (it costs ~9 ms of CLI start-up)."""
    lines = doc.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents) if indents else 0
    out = [lines[0].strip()] + [line[margin:].rstrip() for line in lines[1:]]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
