"""Formatters for lint results: compiler-style text, JSON and SARIF 2.1.0.

All three render the same :class:`FileReport` objects, so the CLI, CI uploads and
tests agree on what was found.  Lines and columns are 1-based and end columns are
exclusive everywhere, as in :class:`~gobuildgui.core.model.Span` and in SARIF.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gobuildgui import __version__
from gobuildgui.core.model import Applicability, Diagnostic, Edit, Fix, LineIndex, Severity, Span

if TYPE_CHECKING:
    from gobuildgui.core.dockerfile.lint import LintResult
    from gobuildgui.core.dockerfile.rule import Rule

TOOL_NAME = "gobuildgui"
INFORMATION_URI = "https://pypi.org/project/gobuildgui/"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"

_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.STYLE: "note",
}
# GitHub code scanning's "problem.severity" for non-security rules.
_PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
    Severity.STYLE: "recommendation",
}
_COLOR = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
    Severity.STYLE: "\x1b[35m",
}
# Display-only fixes are advice to read, not edits for a tool to apply: not in SARIF.
_APPLIED = frozenset({Applicability.SAFE, Applicability.UNSAFE})
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


@dataclass(frozen=True, slots=True)
class FileReport:
    """The diagnostics of one file, with what is needed to place them.

    Attributes:
        path: the file as the user named it (``-`` for standard input).
        diagnostics: sorted diagnostics.
        index: line index of the linted text (to give edits lines and columns).
        suppressed: how many diagnostics were hidden by configuration or pragmas.
    """

    path: str
    diagnostics: tuple[Diagnostic, ...]
    index: LineIndex
    suppressed: int = 0

    @classmethod
    def of(cls, path: str, result: LintResult) -> FileReport:
        """The report of a lint result for the file ``path``."""
        return cls(path, result.diagnostics, result.doc.index, result.suppressed)


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only for a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# -- text ---------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word in ("info", "style") else f"{n} {word}s"


def format_text(reports: Sequence[FileReport], *, color: bool = False) -> str:
    """``path:line:column: severity CODE message`` lines, fix hints and a summary line."""

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines: list[str] = []
    counts = dict.fromkeys(Severity, 0)
    fixable = suppressed = files_with = 0
    for rep in reports:
        suppressed += rep.suppressed
        files_with += bool(rep.diagnostics)
        for d in rep.diagnostics:
            counts[d.severity] += 1
            where = paint(_BOLD, f"{rep.path}:{d.span.line}:{d.span.column}:")
            sev = paint(_COLOR[d.severity], d.severity.value)
            lines.append(f"{where} {sev} {d.code} {d.message}")
            for note in d.notes:
                lines.append(paint(_DIM, f"    note: {note}"))
            if d.fix is not None:
                fixable += 1
                lines.append(paint(_DIM, f"    fix ({d.fix.applicability.value}): {d.fix.title}"))
    total = sum(counts.values())
    checked = _plural(len(reports), "file")
    if total == 0:
        summary = f"No problems found ({checked} checked)"
    else:
        parts = ", ".join(_plural(counts[s], s.value) for s in Severity if counts[s])
        summary = f"Found {_plural(total, 'problem')} ({parts})"
        if len(reports) > 1:
            summary += f" in {files_with} of {checked}"
        if fixable:
            summary += f"; {fixable} with a fix"
    if suppressed:
        summary += f"; {suppressed} suppressed"
    lines.append(summary + ".")
    return "\n".join(lines) + "\n"


# -- JSON ---------------------------------------------------------------------------


def _edit_json(edit: Edit, index: LineIndex) -> dict[str, Any]:
    line, column = index.position(edit.start)
    end_line, end_column = index.position(edit.end)
    return {
        "start": edit.start,
        "end": edit.end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "replacement": edit.replacement,
    }


def _fix_json(fix: Fix | None, index: LineIndex) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "title": fix.title,
        "applicability": fix.applicability.value,
        "edits": [_edit_json(e, index) for e in fix.edits],
    }


def finding_json(path: str, d: Diagnostic, index: LineIndex) -> dict[str, Any]:
    """One finding as the JSON object of ``--format json``."""
    return {
        "file": path,
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "message": d.message,
        "fix": _fix_json(d.fix, index),
    }


def format_json(reports: Sequence[FileReport]) -> str:
    """A JSON array of findings, file by file, in position order."""
    import json

    items = [finding_json(r.path, d, r.index) for r in reports for d in r.diagnostics]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


# -- SARIF --------------------------------------------------------------------------


def _rule_descriptor(r: Rule) -> dict[str, Any]:
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.first_paragraph or r.summary},
        "help": {"text": r.doc or r.summary, "markdown": r.doc or r.summary},
        "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
        "properties": {
            "tags": [r.category],
            "problem.severity": _PROBLEM_SEVERITY[r.severity],
        },
    }


def _bare_descriptor(d: Diagnostic) -> dict[str, Any]:
    """For a diagnostic whose rule is not in the rule list (e.g. a test's fake rule)."""
    return {
        "id": d.code,
        "name": d.name,
        "shortDescription": {"text": d.name},
        "defaultConfiguration": {"level": _SARIF_LEVEL[d.severity]},
    }


def artifact_location(path: str, base: Path | None = None) -> dict[str, str]:
    """SARIF artifactLocation: relative to ``base`` (default: the working folder) when inside it."""
    from urllib.parse import quote

    root = Path(os.path.abspath(base if base is not None else Path.cwd()))
    p = Path(path)
    full = Path(os.path.abspath(root / p))
    try:
        rel = full.relative_to(root)
    except ValueError:
        return {"uri": full.as_uri()}
    return {"uri": quote(rel.as_posix()), "uriBaseId": SRCROOT}


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _edit_region(edit: Edit, index: LineIndex) -> dict[str, int]:
    line, column = index.position(edit.start)
    end_line, end_column = index.position(edit.end)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _sarif_fix(fix: Fix, location: dict[str, str], index: LineIndex) -> dict[str, Any]:
    replacements: list[dict[str, Any]] = []
    for e in sorted(fix.edits, key=lambda e: (e.start, e.end)):
        rep: dict[str, Any] = {"deletedRegion": _edit_region(e, index)}
        if e.replacement:
            rep["insertedContent"] = {"text": e.replacement}
        replacements.append(rep)
    return {
        "description": {"text": fix.title},
        "artifactChanges": [{"artifactLocation": dict(location), "replacements": replacements}],
        "properties": {"applicability": fix.applicability.value},
    }


def sarif_log(
    reports: Sequence[FileReport],
    *,
    rules: Iterable[Rule] | None = None,
    base: Path | None = None,
) -> dict[str, Any]:
    """The SARIF 2.1.0 log of ``reports`` as a JSON-ready dict.

    ``rules`` go into ``tool.driver.rules`` (default: every registered rule); a
    diagnostic whose code is not among them gets a minimal descriptor, so every
    result's ``ruleIndex`` is valid.  Paths inside ``base`` (default: the working
    folder) are written relative to ``%SRCROOT%``, as GitHub code scanning expects.
    """
    if rules is None:
        from gobuildgui.core.dockerfile.rules import ALL_RULES

        rules = ALL_RULES
    descriptors: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    for r in rules:
        if r.code not in index_of:
            index_of[r.code] = len(descriptors)
            descriptors.append(_rule_descriptor(r))
    results: list[dict[str, Any]] = []
    for rep in reports:
        location = artifact_location(rep.path, base)
        for d in rep.diagnostics:
            if d.code not in index_of:
                index_of[d.code] = len(descriptors)
                descriptors.append(_bare_descriptor(d))
            text = d.message if not d.notes else "\n".join((d.message, *d.notes))
            result: dict[str, Any] = {
                "ruleId": d.code,
                "ruleIndex": index_of[d.code],
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": dict(location),
                            "region": _region(d.span),
                        }
                    }
                ],
            }
            if d.fix is not None and d.fix.edits and d.fix.applicability in _APPLIED:
                result["fixes"] = [_sarif_fix(d.fix, location, rep.index)]
            results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def format_sarif(
    reports: Sequence[FileReport],
    *,
    rules: Iterable[Rule] | None = None,
    base: Path | None = None,
) -> str:
    """SARIF 2.1.0 text (see :func:`sarif_log`)."""
    import json

    return json.dumps(sarif_log(reports, rules=rules, base=base), indent=2) + "\n"


# -- rules --------------------------------------------------------------------------


def rule_json(r: Rule) -> dict[str, Any]:
    """A rule's metadata and documentation as JSON (``gobuildgui rules --format json``)."""
    return {
        "code": r.code,
        "name": r.name,
        "severity": r.severity.value,
        "category": r.category,
        "fix": r.fix.value if r.fix is not None else None,
        "needs_project": r.needs_project,
        "summary": r.summary,
        "doc": r.doc,
    }


def format_rules_text(rules: Sequence[Rule]) -> str:
    """One line per rule: code, severity, name, a fix marker and the summary."""
    if not rules:
        return ""
    name_w = max(len(r.name) for r in rules)
    lines = [
        f"{r.code:<7} {r.severity.value:<7} {r.name:<{name_w}} {'fix' if r.fix else '   '}"
        f"  {r.summary}"
        for r in rules
    ]
    lines.append("")
    lines.append("fix: the rule offers an automatic or suggested fix")
    return "\n".join(lines) + "\n"


def format_rules_markdown(rules: Sequence[Rule]) -> str:
    """A Markdown table of the rules (README's rule list).

    Go-specific ``GB`` rules come first, in code order (codes are grouped by topic:
    GB10x module cache, GB11x GOPROXY and toolchain, GB12x proxies, GB13x checksums
    and private modules, GB14x the final stage, GB15x build context); then the general
    rules that share hadolint's ``DL`` codes.
    """
    lines = [
        "| code | name | severity | category | fix | what it finds |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in sorted(rules, key=lambda r: (not r.code.startswith("GB"), r.code)):
        fix = r.fix.value if r.fix is not None else ""
        summary = r.summary.replace("|", "\\|")
        lines.append(
            f"| {r.code} | `{r.name}` | {r.severity.value} | {r.category} | {fix} | {summary} |"
        )
    return "\n".join(lines) + "\n"


def format_rule_text(r: Rule) -> str:
    """A rule's full documentation, with a header line."""
    fix = f", fix: {r.fix.value}" if r.fix is not None else ""
    header = f"{r.code} {r.name} ({r.severity.value}, {r.category}{fix})"
    return f"{header}\n\n{r.summary}\n\n{r.doc.strip()}\n"
