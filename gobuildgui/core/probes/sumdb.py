"""Checksum database probe: find the sumdb the way Go does, then ask for ``/latest`` and a lookup.

Go first asks each GOPROXY entry for ``<proxy>/sumdb/<name>/supported``: 200 means all
sumdb traffic goes through that proxy, 404/410 (or any error before a ``|``) means try
the next entry, anything else makes the database unavailable; ``direct``, ``off`` or the
end of the list means "connect to the database directly" (``initBase`` in
cmd/go/internal/modfetch/sumdb.go). A URL in GOSUMDB bypasses proxies.
"""

from __future__ import annotations

import ssl

from gobuildgui.core.probes.base import CancelToken, Deadline, ProbeResult, ProbeSpec, Status
from gobuildgui.core.probes.goproxy import escape_path
from gobuildgui.core.probes.httpio import HttpOutcome, http_get, verify_context
from gobuildgui.core.probes.target import ProbeTarget, Proxy, module_matches, parse_gosumdb


def probe_sumdb(
    spec: ProbeSpec, token: CancelToken, deadline: Deadline, *, target: ProbeTarget
) -> ProbeResult:
    """Locate the checksum database like Go and check that it answers."""
    try:
        name, url = parse_gosumdb(target.gosumdb)
    except ValueError as exc:
        return spec.result(
            Status.FAILED, str(exc), [("GOSUMDB", target.gosumdb)], "", ("go-proxy",)
        )
    evidence: list[tuple[str, str]] = [("GOSUMDB", target.gosumdb)]
    if name == "off":
        return spec.result(
            Status.SKIPPED,
            "GOSUMDB=off: downloads are not checked against a checksum database",
            evidence,
            "Nothing to probe. Only go.sum protects the build; prefer GONOSUMDB for private"
            " module prefixes over turning the database off.",
        )
    mod = f"{target.module}@{target.version}"
    if module_matches(target.nosumdb, target.module):
        return spec.result(
            Status.SKIPPED,
            f"{target.module} matches GONOSUMDB/GOPRIVATE: Go does not look it up",
            [*evidence, ("GONOSUMDB", target.nosumdb)],
        )
    ctx = verify_context(target.system_ca_file)
    base = url
    how = "GOSUMDB names its URL" if url else ""
    if base is None:
        for entry in target.goproxy_entries:
            if entry.keyword:
                break
            supported = f"{entry.url}/sumdb/{name}/supported"
            proxy = target.proxy_for(supported)
            out = _get(supported, token, deadline, proxy, ctx)
            evidence.append(("supported", f"GET {supported} → {out.describe()}"))
            if out.ok:
                base = f"{entry.url}/sumdb/{name}"
                how = f"proxied by {entry.url}"
                break
            if out.kind is None and out.status in (404, 410):
                continue
            if entry.fallback == "|":
                continue
            return spec.result(
                Status.FAILED,
                f"the checksum database is unavailable through {entry.url}",
                evidence,
                "The proxy answered the sumdb support check with an error other than"
                " 404/410, so Go treats the database as unavailable and verification fails.",
                ("go-proxy", "go-private"),
            )
        if base is None:
            base = f"https://{name}"
            how = "direct (no proxy in the list supports it)"
    evidence.append(("database", f"{base} ({how})"))
    latest = f"{base}/latest"
    lookup = f"{base}/lookup/{escape_path(target.module)}@{escape_path(target.version)}"
    verdicts: list[HttpOutcome] = []
    for step_url in (latest, lookup):
        deadline.check(token)
        out = _get(step_url, token, deadline, target.proxy_for(step_url), ctx)
        verdicts.append(out)
        evidence.append(
            (
                step_url.rsplit("/", 2)[-2] if "lookup" in step_url else "latest",
                f"GET {step_url} → {out.describe()}",
            )
        )
        if not out.ok:
            break
    bad = next((v for v in verdicts if not v.ok), None)
    if bad is None:
        first = verdicts[0].snippet()[:80]
        return spec.result(
            Status.OK,
            f"{name} answers ({how}); {mod} is recorded",
            [*evidence, ("tree head", first)],
        )
    if bad.kind is None and bad.status in (404, 410) and bad.url == lookup:
        return spec.result(
            Status.FAILED,
            f"{name} has no record of {mod} ({bad.status})",
            evidence,
            "The public checksum database cannot know private modules. Go reports"
            f" `verifying {mod}: ... reading {lookup}: {bad.status} {bad.reason}`. List the"
            " private prefix in GOPRIVATE or GONOSUMDB.",
            ("go-private", "dockerfile-goproxy"),
        )
    detail = f"{bad.status} {bad.reason}" if bad.kind is None else f"{bad.kind}: {bad.error}"
    return spec.result(
        Status.FAILED,
        f"the checksum database is unreachable: {detail}",
        evidence,
        f"Go verifies every new module against {name}; when it cannot reach it,"
        f' `go mod download` fails with `verifying {mod}: ... Get "{bad.url}": ...`.'
        " Use a GOPROXY that proxies the database (it answers /sumdb/<name>/supported),"
        " or let the proxy/firewall allow it.",
        ("go-proxy", "client-proxy"),
    )


def _get(
    url: str,
    token: CancelToken,
    deadline: Deadline,
    proxy: Proxy | None,
    ctx: ssl.SSLContext,
) -> HttpOutcome:
    return http_get(url, token, deadline, proxy=proxy.url if proxy else None, verify=ctx)
