"""GOPROXY protocol probe: ask each entry of the GOPROXY list for one small module, as Go does.

For every URL entry: ``@v/list``, ``@latest``, ``@v/<v>.info``, ``.mod`` and ``.zip``
(through the proxy Go would use for that URL). The verdict follows Go's fallback rules
(``TryProxies`` in cmd/go/internal/modfetch): after ``,`` the next entry is tried only
when this one answered 404 or 410; after ``|`` on any error; ``direct`` fetches from the
module's VCS and ``off`` forbids downloads. The ``goproxy:chain`` probe walks the list
the same way and says what ``go mod download`` will end with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeResult,
    ProbeSpec,
    Status,
)
from gobuildgui.core.probes.httpio import HttpOutcome, http_get, verify_context
from gobuildgui.core.probes.target import GoproxyEntry, ProbeTarget, module_matches


def escape_path(path: str) -> str:
    """Go's module path case-encoding: ``A`` -> ``!a`` (``module.EscapePath``)."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), path)


#: (label, suffix, required): required steps decide the verdict; @v/list and @latest
#: are optional in the protocol.
STEPS: tuple[tuple[str, str, bool], ...] = (
    ("list", "@v/list", False),
    ("latest", "@latest", False),
    ("info", "@v/{v}.info", True),
    ("mod", "@v/{v}.mod", True),
    ("zip", "@v/{v}.zip", True),
)


@dataclass(frozen=True)
class EntryCheck:
    """What one GOPROXY entry answered: ``kind`` is ok, notfound or error."""

    entry: GoproxyEntry
    kind: str
    detail: str
    evidence: tuple[tuple[str, str], ...]
    failing: HttpOutcome | None = None


def _step_url(base: str, module: str, version: str, suffix: str) -> str:
    return f"{base}/{escape_path(module)}/{suffix.format(v=escape_path(version))}"


def _file_get(url: str) -> HttpOutcome:
    path = Path(unquote(urlsplit(url).path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return HttpOutcome(url=url, status=404, reason="Not Found (no such file)")
    except OSError as exc:
        return HttpOutcome(url=url, kind="error", error=str(exc))
    return HttpOutcome(url=url, status=200, reason="OK (file)", body=data[:400], size=len(data))


def check_entry(
    entry: GoproxyEntry,
    target: ProbeTarget,
    token: CancelToken,
    deadline: Deadline,
    *,
    steps: tuple[tuple[str, str, bool], ...] = STEPS,
) -> EntryCheck:
    """Run the protocol steps against one URL entry; stop at the first required failure."""
    evidence: list[tuple[str, str]] = [("entry", f"#{entry.index + 1} {entry.url}")]
    proxy = target.proxy_for(entry.url)
    evidence.append(("HTTP proxy", f"{proxy.url} ({proxy.source})" if proxy else "none"))
    ctx = verify_context(target.system_ca_file)
    for label, suffix, required in steps:
        deadline.check(token)
        url = _step_url(entry.url, target.module, target.version, suffix)
        if url.startswith("file://"):
            out = _file_get(url)
        else:
            out = http_get(url, token, deadline, proxy=proxy.url if proxy else None, verify=ctx)
        text = out.describe()
        if "redirected-from" in out.headers:
            text += f", redirected to {urlsplit(out.url).hostname}"
        evidence.append((label, f"GET {url} → {text}"))
        if out.ok:
            continue
        if not required and out.kind is None and out.status in (404, 410):
            continue
        if out.kind is None and out.status in (404, 410):
            snippet = out.snippet()
            detail = f"reading {url}: {out.status} {out.reason}"
            if snippet:
                evidence.append(("server response", snippet))
            return EntryCheck(entry, "notfound", detail, tuple(evidence), out)
        if out.kind is None:
            detail = f"reading {url}: {out.status} {out.reason}"
        else:
            detail = f'Get "{url}": {out.kind}: {out.error}'
        return EntryCheck(entry, "error", detail, tuple(evidence), out)
    return EntryCheck(entry, "ok", f"{target.module}@{target.version} served", tuple(evidence))


def _fallback_text(entry: GoproxyEntry) -> str:
    if entry.fallback == ",":
        return "`,` after it: Go tries the next entry only on 404/410"
    if entry.fallback == "|":
        return "`|` after it: Go tries the next entry on any error"
    return "it is the last entry: nothing to fall back to"


def _fix_ids(check: EntryCheck) -> tuple[str, ...]:
    out = check.failing
    if out is not None and out.kind == "tls":
        return ("dockerfile-ca-cert", "go-proxy")
    if out is not None and out.kind == "proxy-status":
        return ("client-proxy", "dockerfile-proxy-args")
    if check.kind == "notfound":
        return ("go-private", "go-proxy")
    return ("go-proxy", "dockerfile-goproxy")


def probe_goproxy_entry(
    spec: ProbeSpec,
    token: CancelToken,
    deadline: Deadline,
    *,
    target: ProbeTarget,
    entry: GoproxyEntry,
) -> ProbeResult:
    """The protocol check of one GOPROXY entry, judged by what its separator means."""
    mod = f"{target.module}@{target.version}"
    if entry.url == "off":
        return spec.result(
            Status.FAILED,
            "GOPROXY=off: module downloads are disabled",
            [("entry", f"#{entry.index + 1} off")],
            "Go stops here with `module lookup disabled by GOPROXY=off` for every module"
            " not already in the module cache.",
            ("go-proxy", "dockerfile-goproxy"),
        )
    if entry.url == "direct":
        return spec.result(
            Status.SKIPPED,
            "direct: modules are fetched from their version control hosts",
            [("entry", f"#{entry.index + 1} direct")],
            "Go clones each module's repository (git over HTTPS or SSH) instead of asking a"
            " proxy; that needs git in the image and access to every VCS host. The TCP/TLS"
            " and private-git probes cover those hosts.",
        )
    if module_matches(target.noproxy, target.module):
        return spec.result(
            Status.SKIPPED,
            f"{target.module} matches GONOPROXY/GOPRIVATE: Go never asks a proxy for it",
            [("GONOPROXY", target.noproxy)],
        )
    check = check_entry(entry, target, token, deadline)
    evidence = [*check.evidence, ("fallback", _fallback_text(entry))]
    if check.kind == "ok":
        return spec.result(Status.OK, f"{entry.url} serves {mod}", evidence)
    falls_back = entry.fallback == "|" or (entry.fallback == "," and check.kind == "notfound")
    if check.kind == "notfound":
        why = (
            f"The proxy does not have {mod} (404/410). A public proxy answers 410 Gone for"
            " private modules it cannot fetch; a private proxy answers 404 without"
            " credentials."
        )
    else:
        why = f"The proxy failed with an error other than 404/410 ({_kind(check)})."
        if entry.fallback == ",":
            why += " Go does not fall back on this after `,`: use `|` to fall back on any error."
    if falls_back:
        return spec.result(
            Status.WARNING,
            f"{entry.url}: {_short(check)}; Go moves on to the next entry",
            evidence,
            f"{why} {_fallback_text(entry)[0].upper()}{_fallback_text(entry)[1:]}.",
            _fix_ids(check),
        )
    return spec.result(
        Status.FAILED,
        f"{entry.url}: {_short(check)}",
        evidence,
        why + f" Go stops here: `{check.detail}`.",
        _fix_ids(check),
    )


def _kind(check: EntryCheck) -> str:
    out = check.failing
    if out is None:
        return check.kind
    if out.kind is None:
        return f"HTTP {out.status}"
    return out.kind


def _short(check: EntryCheck) -> str:
    out = check.failing
    if out is None:
        return check.kind
    if out.kind is None:
        return f"{out.status} {out.reason}"
    return {
        "timeout": "timeout",
        "refused": "connection refused",
        "dns": "host does not resolve",
        "tls": "TLS verification failed",
        "proxy-status": f"HTTP proxy said {out.error}",
        "unreachable": "network unreachable",
    }.get(out.kind, out.error)


def probe_goproxy_chain(
    spec: ProbeSpec, token: CancelToken, deadline: Deadline, *, target: ProbeTarget
) -> ProbeResult:
    """Walk the GOPROXY list the way ``go mod download`` does and give its outcome."""
    entries = target.goproxy_entries
    mod = f"{target.module}@{target.version}"
    evidence: list[tuple[str, str]] = [("GOPROXY", target.goproxy), ("module", mod)]
    last: EntryCheck | None = None
    for entry in entries:
        if entry.url == "off":
            evidence.append((f"#{entry.index + 1}", "off: downloads disabled"))
            return spec.result(
                Status.FAILED,
                "the list reaches `off`: downloads are disabled",
                evidence,
                "Go reports `module lookup disabled by GOPROXY=off`.",
                ("go-proxy",),
            )
        if entry.url == "direct":
            evidence.append((f"#{entry.index + 1}", "direct: fetch from the module's VCS"))
            return spec.result(
                Status.WARNING,
                f"no proxy served {mod}; Go falls back to direct VCS access",
                evidence,
                "Every proxy before `direct` said not-found (or failed before a `|`), so Go"
                " clones the repository itself: that needs git in the image and direct"
                " access to the VCS host, which corporate networks usually block.",
                ("go-proxy", "go-private"),
            )
        check = check_entry(entry, target, token, deadline, steps=tuple(s for s in STEPS if s[2]))
        last = check
        evidence.append((f"#{entry.index + 1}", f"{entry.url}: {check.kind} ({check.detail})"))
        if check.kind == "ok":
            return spec.result(
                Status.OK,
                f"go mod download gets {mod} from {entry.url}",
                evidence,
                "" if entry.index == 0 else "Earlier entries were skipped as Go would skip them.",
            )
        if check.kind == "notfound" and entry.fallback:
            continue
        if check.kind == "error" and entry.fallback == "|":
            continue
        break
    assert last is not None
    return spec.result(
        Status.FAILED,
        f"go mod download fails: {last.detail}",
        evidence,
        f"Entry {last.entry.url} ends the walk ({_fallback_text(last.entry)}).",
        _fix_ids(last),
    )
