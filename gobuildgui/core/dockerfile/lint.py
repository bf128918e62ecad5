"""The lint engine: parse, run every rule, then apply configuration and pragmas.

Order of what happens to a diagnostic, the same for rule findings and parse problems:

1. Rules the configuration turns off (``ignore`` or severity ``"off"``) are not run;
   a parse problem (``GB001``) or engine diagnostic whose code is turned off is dropped.
2. A pragma comment that covers it hides it (see :mod:`pragmas`).
3. A severity override from the configuration replaces its severity.

``LintResult.suppressed`` counts the diagnostics produced and then hidden by steps 1
and 2 (rules that were not run produced nothing, so they add nothing).  The failure
threshold plays no part here: it only decides the CLI's exit code, and every kept
diagnostic is reported whatever its severity.

Pragma comments that cannot work are reported by the engine as ``GB003``
invalid-pragma (a code or name is "known" when a registered rule or one of the rules
of the run has it), so config can turn that check off like any rule.

A rule that raises does not stop linting: the engine reports a ``GB000``
internal-error naming the rule and the exception instead of that rule's findings,
and goes on with the next rule.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from gobuildgui.core.config import LintConfig
from gobuildgui.core.dockerfile.nodes import Dockerfile
from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.pragmas import Suppressions, pragma_findings
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule
from gobuildgui.core.dockerfile.rules import (
    ALL_RULES,
    INTERNAL_ERROR,
    INVALID_PRAGMA,
    RULES_BY_CODE,
    RULES_BY_NAME,
)
from gobuildgui.core.model import Diagnostic, sort_diagnostics

_DEFAULT_CONFIG = LintConfig()


@dataclass(frozen=True, slots=True)
class LintResult:
    """The outcome of linting one document."""

    doc: Dockerfile
    diagnostics: tuple[Diagnostic, ...]  # sorted; parse problems included
    suppressed: int = 0  # produced but hidden by the configuration or a pragma

    def failed(self, config: LintConfig) -> bool:
        """Whether any diagnostic is at or above ``config``'s failure threshold."""
        return any(config.fails(d.severity) for d in self.diagnostics)


def lint(
    source: str | Dockerfile,
    *,
    project: ProjectContext | None = None,
    config: LintConfig | None = None,
    rules: Sequence[Rule] | None = None,
) -> LintResult:
    """Lint Dockerfile text (or an already parsed document).

    Args:
        source: the text, or the result of :func:`parse`.
        project: the files beside the Dockerfile; unknown (rules that need them stay
            silent) by default.
        config: ignores, severity overrides; the defaults by default.
        rules: the rules to run; all registered rules by default.
    """
    with _gc_paused():
        return _lint(source, project, config, rules)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while one document is linted.

    A lint allocates tens of thousands of small, mostly long-lived objects (nodes,
    spans, memoised analyses); with the collector on, CPython scans the survivors again
    at every generation-0 and -1 collection, about 15 % of the lint's time. Paused, they
    are scanned once afterwards.  Nested or concurrent calls leave it as they found it
    (a concurrent call may re-enable it early, which costs only speed).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _lint(
    source: str | Dockerfile,
    project: ProjectContext | None,
    config: LintConfig | None,
    rules: Sequence[Rule] | None,
) -> LintResult:
    doc = parse(source) if isinstance(source, str) else source
    cfg = config if config is not None else _DEFAULT_CONFIG
    ctx = LintContext(doc, project if project is not None else ProjectContext.empty())
    produced: list[Diagnostic] = list(doc.problems)
    run = ALL_RULES if rules is None else tuple(rules)
    for r in run:
        if cfg.is_enabled(r.code):
            produced.extend(run_rule(r, ctx))
    if cfg.is_enabled(INVALID_PRAGMA.code):
        produced.extend(_pragma_diagnostics(doc, run))

    suppressions = Suppressions(doc)
    kept: list[Diagnostic] = []
    suppressed = 0
    for d in produced:
        severity = cfg.severity_for(d.code, d.severity)
        if severity is None or suppressions.suppresses(d):
            suppressed += 1
            continue
        kept.append(d if severity is d.severity else dataclasses.replace(d, severity=severity))
    return LintResult(doc, tuple(sort_diagnostics(kept)), suppressed)


def _pragma_diagnostics(doc: Dockerfile, run: Sequence[Rule]) -> list[Diagnostic]:
    """``GB003`` for pragmas that cannot work; known rules: the registry and ``run``."""
    if not doc.comments:
        return []
    codes = {*RULES_BY_CODE, *(r.code for r in run)}
    names = {*RULES_BY_NAME, *(r.name for r in run)}
    return [_diagnostic(INVALID_PRAGMA, f) for f in pragma_findings(doc, codes, names)]


def run_rule(r: Rule, ctx: LintContext) -> list[Diagnostic]:
    """Run one rule; an exception becomes a single ``GB000`` internal-error diagnostic."""
    try:
        return [_diagnostic(r, f) for f in r.check(ctx)]
    except Exception as exc:
        return [internal_error(r, exc, ctx.doc)]


def _diagnostic(r: Rule, f: Finding) -> Diagnostic:
    return Diagnostic(
        code=r.code,
        name=r.name,
        severity=r.severity,
        message=f.message or r.summary,
        span=f.span,
        fix=f.fix,
        notes=tuple(f.notes),
    )


def internal_error(r: Rule, exc: BaseException, doc: Dockerfile) -> Diagnostic:
    """The diagnostic that replaces the findings of rule ``r`` when it raised ``exc``."""
    detail = str(exc).splitlines()[0] if str(exc) else ""
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    notes: tuple[str, ...] = ()
    if frames:
        last = frames[-1]
        notes = (f"raised at {last.filename}:{last.lineno} in {last.name}",)
    return Diagnostic(
        code=INTERNAL_ERROR.code,
        name=INTERNAL_ERROR.name,
        severity=INTERNAL_ERROR.severity,
        message=(
            f"rule {r.code} ({r.name}) crashed with {what}; its findings are missing"
            " (this is a gobuildgui bug, please report it)"
        ),
        span=doc.span(0, 0),
        notes=notes,
    )
