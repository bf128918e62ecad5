"""Plain-text rendering of probe results (the CLI's output and the panel's "Copy as text")."""

from __future__ import annotations

from collections.abc import Iterable

from gobuildgui.core.probes.base import ProbeResult, Status
from gobuildgui.core.probes.plan import GROUP_OF, GROUPS


def format_result(res: ProbeResult, *, details: bool = True) -> str:
    """One probe: a status line, then indented evidence, explanation and fixes."""
    lines = [f"  {res.status.value.upper():<9} {res.title}  ({res.duration_s:.2f} s)"]
    lines.append(f"            {res.summary}")
    if details:
        lines.extend(f"              {label}: {value}" for label, value in res.evidence)
        if res.status not in (Status.OK, Status.CANCELLED) and res.explanation:
            lines.append(f"            why: {res.explanation}")
        if res.fix_ids:
            lines.append(f"            fix: {', '.join(res.fix_ids)}")
    return "\n".join(lines) + "\n"


def format_text(results: Iterable[ProbeResult], *, details: bool = True) -> str:
    """Results grouped by meaning, with a one-line tally at the end."""
    results = list(results)
    out: list[str] = []
    for group, _families in GROUPS:
        members = [r for r in results if GROUP_OF.get(r.family) == group]
        if not members:
            continue
        out.append(f"{group}\n")
        out.extend(format_result(r, details=details) for r in members)
        out.append("\n")
    counts = {s: sum(r.status is s for r in results) for s in Status}
    tally = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    out.append(f"{len(results)} probes: {tally or 'none run'}\n")
    return "".join(out)
