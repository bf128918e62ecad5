"""Shareable reports (Markdown and self-contained HTML) of what the app found.

A report gathers plain sections: the environment in force, lint findings, probe
results, the diagnosis of a build log and the fixes applied. Every string that reaches
the output passes through :func:`mask`, which applies
:func:`gobuildgui.core.secrets.redact` plus the masking that only makes sense with
context (the value of a variable whose *name* says it is secret, ``.netrc`` lines), so
a report can be pasted into a ticket without leaking a proxy password.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from gobuildgui import __version__
from gobuildgui.core.diagnose.engine import Finding
from gobuildgui.core.diagnose.render import ordered_facts
from gobuildgui.core.environment import Environment
from gobuildgui.core.model import Diagnostic
from gobuildgui.core.secrets import MASK, redact
from gobuildgui.core.textfile import atomic_write

# ``machine host login user password secret`` (.netrc): the value follows a space, which
# ``redact``'s NAME=value rule does not cover.
# Variable names whose value is a credential even when it has no recognisable shape.
_SECRET_NAME_RE = re.compile(
    r"(?i)(TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_KEY|GOAUTH|CREDENTIAL|AUTH|NETRC|_PAT$)"
)


def mask(text: str) -> str:
    """``text`` with every credential masked (see :func:`gobuildgui.core.secrets.redact`)."""
    return redact(text)


def mask_value(name: str, value: str) -> str:
    """The value of variable ``name``, masked entirely when the name says it is secret."""
    if _SECRET_NAME_RE.search(name) and value and not value.startswith("$"):
        return MASK
    return mask(value)


@dataclass(frozen=True, slots=True)
class EnvEntry:
    """One setting in force: ``GOPROXY`` = ``...`` from ``Dockerfile ENV (line 4)``."""

    name: str
    value: str
    source: str


class ProbeLike(Protocol):
    """What a report needs of a probe result (the probes' ProbeResult converts to it)."""

    @property
    def title(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def evidence(self) -> Sequence[tuple[str, str]]: ...


@dataclass(frozen=True, slots=True)
class ProbeEntry:
    """A probe result as the report shows it."""

    title: str
    status: str  # "ok", "failed", "warning", "skipped"...
    summary: str
    evidence: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, probe: ProbeLike) -> ProbeEntry:
        return cls(probe.title, probe.status, probe.summary, tuple(probe.evidence))


@dataclass(frozen=True, slots=True)
class FixEntry:
    """A fix that was applied, and the files it changed."""

    title: str
    files: tuple[str, ...] = ()
    fix_id: str = ""


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything a report shows; every section may be empty."""

    title: str = "gobuildgui report"
    dockerfile: str | None = None
    log: str | None = None
    environment: tuple[EnvEntry, ...] = ()
    lint: tuple[Diagnostic, ...] = ()
    probes: tuple[ProbeEntry, ...] = ()
    findings: tuple[Finding, ...] = ()
    fixes: tuple[FixEntry, ...] = ()
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))


def environment_section(env: Environment) -> tuple[EnvEntry, ...]:
    """The settings :func:`gobuildgui.core.environment.discover` found, as report rows
    (raw values: the report masks them, by value and by name)."""
    return tuple(
        EnvEntry(s.name, s.value if s.value is not None else "(set at build time)", s.source)
        for s in env.settings()
    )


def lint_section(path: Path) -> tuple[Path, tuple[Diagnostic, ...]]:
    """Lint the Dockerfile at ``path`` (or in that folder) for a report (raises Error)."""
    from gobuildgui.core.config import discover_config
    from gobuildgui.core.dockerfile.lint import lint
    from gobuildgui.core.dockerfile.source import load_dockerfile

    loaded = load_dockerfile(path)
    result = lint(loaded.text, project=loaded.project, config=discover_config(loaded.path.parent))
    return loaded.path, result.diagnostics


# -- Markdown -----------------------------------------------------------------------------


def _md(text: str) -> str:
    """Masked text safe inside a Markdown table cell or paragraph."""
    t = mask(text).replace("\\", "\\\\").replace("|", "\\|")
    for ch in "*_`[]<>":
        t = t.replace(ch, "\\" + ch)
    return t.replace("\r", " ").replace("\n", " ")


def _code(text: str) -> str:
    """Masked text as inline code (backticks inside are widened around)."""
    t = mask(text).replace("\n", " ").replace("|", "\\|")
    ticks = "``" if "`" in t else "`"
    return f"{ticks} {t} {ticks}" if ticks == "``" else f"`{t}`"


def build_markdown(data: ReportData) -> str:
    """The report as GitHub-flavoured Markdown."""
    out: list[str] = [f"# {_md(data.title)}", ""]
    out.append(f"Generated {data.generated:%Y-%m-%d %H:%M UTC} by gobuildgui {__version__}.")
    if data.dockerfile:
        out.append(f"Dockerfile: {_code(data.dockerfile)}.")
    if data.log:
        out.append(f"Build log: {_code(data.log)}.")
    out.append("")
    out += ["## Diagnosis of the build log", ""]
    if not data.findings:
        out.append("No log diagnosed, or no known failure found." if data.log is None
                   else "No known failure found in the log.")  # fmt: skip
    for i, f in enumerate(data.findings, 1):
        out.append(f"### {i}. {f.code} {_md(f.title)}")
        out.append("")
        out.append(f"Category `{f.category}`, line {f.line}" + (
            f", seen {f.count} times." if f.count > 1 else "."))  # fmt: skip
        out.append("")
        out.append("```text")
        out += [f"{e.line:>6} | {mask(e.text).replace('```', '` ` `')}" for e in f.evidence]
        out.append("```")
        out.append("")
        facts = ordered_facts(f)
        if facts:
            out += ["| Fact | Value |", "| --- | --- |"]
            out += [f"| {_md(k)} | {_code(v)} |" for k, v in facts]
            out.append("")
        out.append(_md(f.explanation))
        out.append("")
        if f.probes:
            out.append("Probes that confirm it: " + ", ".join(f"`{p}`" for p in f.probes) + ".")
        if f.fixes:
            out.append("Fixes: " + ", ".join(f"`{x}`" for x in f.fixes) + ".")
        out.append("")
    out += ["## Dockerfile lint", ""]
    if not data.lint:
        out.append("No Dockerfile linted, or no problems found." if not data.dockerfile
                   else "No problems found.")  # fmt: skip
    else:
        out += ["| Line | Severity | Code | Message |", "| ---: | --- | --- | --- |"]
        out += [
            f"| {d.span.line} | {d.severity.value} | {d.code} | {_md(d.message)} |"
            for d in data.lint
        ]
    out.append("")
    out += ["## Probe results", ""]
    if not data.probes:
        out.append("No probes were run.")
    for p in data.probes:
        out.append(f"- **{_md(p.title)}**: {_md(p.status)}. {_md(p.summary)}")
        for k, v in p.evidence:
            out.append(f"  - {_md(k)}: {_code(mask_value(k, v))}")
    out.append("")
    out += ["## Environment in force", ""]
    if not data.environment:
        out.append("Not collected.")
    else:
        out += ["| Name | Value | Source |", "| --- | --- | --- |"]
        out += [
            f"| {_code(e.name)} | {_code(mask_value(e.name, e.value))} | {_md(e.source)} |"
            for e in data.environment
        ]
    out.append("")
    out += ["## Fixes applied", ""]
    if not data.fixes:
        out.append("None.")
    for fx in data.fixes:
        files = ", ".join(_code(x) for x in fx.files)
        fid = f" (`{_md(fx.fix_id)}`)" if fx.fix_id else ""
        out.append(f"- {_md(fx.title)}{fid}" + (f": {files}" if files else ""))
    out.append("")
    out.append("Credentials are masked as `****`.")
    return "\n".join(out) + "\n"


# -- HTML ---------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.6rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;
text-align:left;vertical-align:top}code,pre{font-family:ui-monospace,"DejaVu Sans Mono",monospace;
font-size:.9em}pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.cat{display:inline-block;border-radius:1rem;padding:0 .5rem;background:#ddf4ff;color:#0969da}
.sev-error,.st-failed{color:#cf222e}.sev-warning,.st-warning{color:#9a6700}.st-ok{color:#1a7f37}
.muted{color:#656d76}
@media (prefers-color-scheme: dark){body{background:#0d1117;color:#e6edf3}pre{background:#161b22}
td,th{border-color:#30363d}.cat{background:#0c2d6b;color:#a5d6ff}.muted{color:#8d96a0}}
"""


def _h(text: str) -> str:
    return html.escape(mask(text), quote=True)


def build_html(data: ReportData) -> str:
    """The report as one self-contained HTML page (no external resources, all escaped)."""
    o: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(data.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_h(data.title)}</h1>",
        f'<p class="muted">Generated {data.generated:%Y-%m-%d %H:%M UTC} by gobuildgui '
        f"{html.escape(__version__)}.",
    ]
    if data.dockerfile:
        o.append(f" Dockerfile: <code>{_h(data.dockerfile)}</code>.")
    if data.log:
        o.append(f" Build log: <code>{_h(data.log)}</code>.")
    o.append("</p>")
    o.append("<h2>Diagnosis of the build log</h2>")
    if not data.findings:
        o.append("<p>No log diagnosed, or no known failure found.</p>")
    for i, f in enumerate(data.findings, 1):
        o.append(f"<h3>{i}. {_h(f.code)} {_h(f.title)}</h3>")
        seen = f", seen {f.count} times" if f.count > 1 else ""
        o.append(f'<p><span class="cat">{_h(f.category)}</span> line {f.line}{seen}</p>')
        o.append("<pre>" + "\n".join(f"{e.line:>6} | {_h(e.text)}" for e in f.evidence) + "</pre>")
        facts = ordered_facts(f)
        if facts:
            o.append("<table><tr><th>Fact</th><th>Value</th></tr>")
            o += [f"<tr><td>{_h(k)}</td><td><code>{_h(v)}</code></td></tr>" for k, v in facts]
            o.append("</table>")
        o.append(f"<p>{_h(f.explanation)}</p>")
        if f.probes:
            o.append("<p>Probes that confirm it: " + ", ".join(
                f"<code>{_h(p)}</code>" for p in f.probes) + "</p>")  # fmt: skip
        if f.fixes:
            o.append("<p>Fixes: " + ", ".join(f"<code>{_h(x)}</code>" for x in f.fixes) + "</p>")
    o.append("<h2>Dockerfile lint</h2>")
    if not data.lint:
        o.append("<p>No Dockerfile linted, or no problems found.</p>")
    else:
        o.append("<table><tr><th>Line</th><th>Severity</th><th>Code</th><th>Message</th></tr>")
        o += [
            f'<tr><td>{d.span.line}</td><td class="sev-{_h(d.severity.value)}">'
            f"{_h(d.severity.value)}</td><td>{_h(d.code)}</td><td>{_h(d.message)}</td></tr>"
            for d in data.lint
        ]
        o.append("</table>")
    o.append("<h2>Probe results</h2>")
    if not data.probes:
        o.append("<p>No probes were run.</p>")
    else:
        o.append("<ul>")
        for p in data.probes:
            st = re.sub(r"[^a-z]", "", p.status.lower())
            o.append(f'<li><b>{_h(p.title)}</b>: <span class="st-{st}">{_h(p.status)}</span>. '
                     f"{_h(p.summary)}")  # fmt: skip
            if p.evidence:
                o.append("<ul>" + "".join(
                    f"<li>{_h(k)}: <code>{_h(mask_value(k, v))}</code></li>" for k, v in p.evidence
                ) + "</ul>")  # fmt: skip
            o.append("</li>")
        o.append("</ul>")
    o.append("<h2>Environment in force</h2>")
    if not data.environment:
        o.append("<p>Not collected.</p>")
    else:
        o.append("<table><tr><th>Name</th><th>Value</th><th>Source</th></tr>")
        o += [
            f"<tr><td>{_h(e.name)}</td><td><code>{_h(mask_value(e.name, e.value))}</code></td>"
            f"<td>{_h(e.source)}</td></tr>"
            for e in data.environment
        ]
        o.append("</table>")
    o.append("<h2>Fixes applied</h2>")
    if not data.fixes:
        o.append("<p>None.</p>")
    else:
        o.append("<ul>")
        for fx in data.fixes:
            files = ", ".join(f"<code>{_h(x)}</code>" for x in fx.files)
            fid = f" (<code>{_h(fx.fix_id)}</code>)" if fx.fix_id else ""
            o.append(f"<li>{_h(fx.title)}{fid}{': ' + files if files else ''}</li>")
        o.append("</ul>")
    o.append('<p class="muted">Credentials are masked as <code>****</code>.</p>')
    o.append("</body></html>")
    return "\n".join(o) + "\n"


def build_report(data: ReportData, fmt: str = "md") -> str:
    """``build_markdown`` for ``"md"``, ``build_html`` for ``"html"``."""
    if fmt == "md":
        return build_markdown(data)
    if fmt == "html":
        return build_html(data)
    raise ValueError(f"unknown report format {fmt!r} (expected md or html)")


def write_report(path: Path, text: str) -> None:
    """Write atomically (temp file, fsync, rename): never a half-written report."""
    atomic_write(path, text.encode("utf-8"))
