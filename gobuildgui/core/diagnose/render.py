"""Plain-text rendering of findings for ``gobuildgui diagnose``."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from gobuildgui.core.diagnose.engine import Finding
from gobuildgui.core.diagnose.patterns import PATTERNS
from gobuildgui.core.secrets import redact

_FACT_ORDER = (
    "host", "resolver", "address", "port", "proxy", "url", "module", "version",
    "go_required", "go_running", "gotoolchain", "status", "image", "path", "step",
)  # fmt: skip


def ordered_facts(f: Finding) -> list[tuple[str, str]]:
    """Facts in a stable, readable order (the well-known ones first)."""
    facts = f.facts_dict()
    out = [(k, facts.pop(k)) for k in _FACT_ORDER if k in facts]
    return out + sorted(facts.items())


def format_finding_text(f: Finding, index: int) -> str:
    lines = [f"{index}. {f.code} [{f.category}] {f.title}  (line {f.line})"]
    for e in f.evidence:
        lines.append(f"   {e.line:>6} | {redact(e.text)}")
    if f.count > len(f.evidence):
        lines.append(f"          (seen {f.count} times)")
    facts = ordered_facts(f)
    if facts:
        lines.append("   facts: " + ", ".join(f"{k}={redact(v)}" for k, v in facts))
    wrapped = textwrap.fill(
        redact(f.explanation), width=96, initial_indent="   ", subsequent_indent="   "
    )
    lines.append(wrapped)
    if f.probes:
        lines.append(f"   probes: {', '.join(f.probes)}  (gobuildgui probe --only {f.probes[0]})")
    if f.fixes:
        lines.append("   fixes:  " + ", ".join(f.fixes))
    return "\n".join(lines) + "\n"


def format_findings_text(findings: Sequence[Finding]) -> str:
    """The text report: one block per finding, most likely root cause first."""
    if not findings:
        return "No known failure found in the log.\n"
    n = len(findings)
    head = f"{n} finding{'s' if n != 1 else ''}, most likely root cause first:\n\n"
    return head + "\n".join(format_finding_text(f, i) for i, f in enumerate(findings, 1))


def format_patterns(*, json_output: bool = False) -> str:
    """The pattern catalogue: code, category and title (JSON: with probes and fixes)."""
    if json_output:
        import json

        rows = [
            {"code": p.code, "name": p.name, "category": p.category, "title": p.title,
             "probes": list(p.probes), "fixes": list(p.fixes)}
            for p in sorted(PATTERNS, key=lambda p: p.code)
        ]  # fmt: skip
        return json.dumps(rows, indent=2) + "\n"
    width = max(len(p.category) for p in PATTERNS)
    return "".join(
        f"{p.code}  {p.category:<{width}}  {p.title}\n"
        for p in sorted(PATTERNS, key=lambda p: p.code)
    )
