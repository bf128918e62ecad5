"""HTTP proxy probe: fetch a URL through one proxy and tell 407 from refused from timeout.

For an ``https://`` target httpx sends ``CONNECT`` like Go does, so a proxy that wants
credentials answers 407 (squid, tinyproxy without credentials) or 401 (tinyproxy with
wrong ones), a proxy that forbids the port answers 403, and a proxy that is not running
refuses the connection.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from gobuildgui.core.probes.base import CancelToken, Deadline, ProbeResult, ProbeSpec, Status
from gobuildgui.core.probes.httpio import HttpOutcome, http_get, proxy_status, verify_context
from gobuildgui.core.probes.target import Proxy


def _has_credentials(url: str) -> bool:
    return urlsplit(url).username is not None


def probe_proxy(
    spec: ProbeSpec,
    token: CancelToken,
    deadline: Deadline,
    *,
    proxy: Proxy,
    url: str,
    cafile: Path | None = None,
) -> ProbeResult:
    """GET ``url`` through ``proxy`` and classify the answer."""
    ctx = verify_context(cafile)
    out = http_get(url, token, deadline, proxy=proxy.url, verify=ctx)
    evidence: list[tuple[str, str]] = [
        ("proxy", f"{proxy.url} ({proxy.source})"),
        ("target", url),
        ("result", out.describe()),
    ]
    for key in ("proxy-authenticate", "www-authenticate", "via"):
        if key in out.headers:
            evidence.append((key, out.headers[key]))
    return _verdict(spec, proxy, url, out, evidence)


def _verdict(
    spec: ProbeSpec,
    proxy: Proxy,
    url: str,
    out: HttpOutcome,
    evidence: list[tuple[str, str]],
) -> ProbeResult:
    status = proxy_status(out)
    creds = _has_credentials(proxy.url)
    # A response the proxy made itself carries no Via header (forwarded ones do).
    from_proxy = out.kind == "proxy-status" or (out.kind is None and "via" not in out.headers)
    fixes = ("client-proxy", "dockerfile-proxy-args")
    if status == 407:
        if creds:
            summary = "the proxy rejected the credentials (407 Proxy Authentication Required)"
        else:
            summary = "the proxy wants credentials (407 Proxy Authentication Required)"
        scheme = out.headers.get("proxy-authenticate", "").split(" ", 1)[0]
        extra = ""
        if scheme and scheme.lower() in ("ntlm", "negotiate", "kerberos"):
            extra = (
                f" It asks for {scheme}, which Go cannot do: run a local auth proxy (cntlm, px)."
            )
        return spec.result(
            Status.FAILED,
            summary,
            evidence,
            "Go sends no credentials unless they are in the proxy URL"
            " (http://user:pass@proxy:port, percent-encoded). Go reports `Proxy Authentication"
            " Required` (CONNECT) or `reading ...: 407 Proxy Authentication Required`." + extra,
            fixes,
        )
    if status == 401 and from_proxy and (creds or out.kind == "proxy-status"):
        return spec.result(
            Status.FAILED,
            "the proxy rejected the credentials (401 Unauthorized)",
            evidence,
            "tinyproxy answers 401 instead of 407 when the credentials in the proxy URL are"
            " wrong. Go reports `401 Unauthorized`. Check the user name and password.",
            fixes,
        )
    if status == 403 and from_proxy:
        port = urlsplit(url).port or 443
        return spec.result(
            Status.FAILED,
            f"the proxy forbids this connection (403, CONNECT to port {port})",
            evidence,
            "The proxy answered but its access rules deny this client or this port.",
            fixes,
        )
    if out.kind == "proxy-status":
        return spec.result(
            Status.FAILED,
            f"the proxy refused the tunnel: {out.error}",
            evidence,
            "The proxy answered CONNECT with an error: it could not reach the target, or"
            " refuses it.",
            fixes,
        )
    if out.kind == "refused":
        return spec.result(
            Status.FAILED,
            f"proxy down: nothing accepts connections at {_hostport(proxy.url)}",
            evidence,
            "Go reports `proxyconnect tcp: dial tcp ...: connect: connection refused`. If the"
            " proxy is on 127.0.0.1 of the host, a build container cannot reach it there:"
            " use the host's bridge address or host.docker.internal.",
            fixes,
        )
    if out.kind == "timeout":
        return spec.result(
            Status.FAILED,
            f"the proxy did not answer within {out.elapsed_ms / 1000:.1f} s",
            evidence,
            "Go reports `proxyconnect tcp: dial tcp ...: i/o timeout`: the proxy address is"
            " not reachable from here, or the proxy hangs on the target.",
            fixes,
        )
    if out.kind == "dns":
        return spec.result(
            Status.FAILED,
            f"the proxy host {urlsplit(proxy.url).hostname} does not resolve",
            evidence,
            "Go reports `proxyconnect tcp: dial tcp: lookup ...: no such host`.",
            ("client-proxy", "daemon-dns"),
        )
    if out.kind == "tls":
        if proxy.url.startswith("https://") and "wrong version number" in out.error.lower():
            return spec.result(
                Status.FAILED,
                "https:// proxy URL for a proxy that speaks plain HTTP",
                evidence,
                "Go reports `proxyconnect tcp: tls: first record does not look like a TLS"
                " handshake`. Write the proxy as http://host:port even in HTTPS_PROXY.",
                fixes,
            )
        return spec.result(
            Status.FAILED,
            "TLS through the proxy failed: " + out.error,
            evidence,
            "The tunnel works but the certificate that came through it is not trusted:"
            " a TLS-inspecting proxy re-signs traffic. Install its CA in the image.",
            ("dockerfile-ca-cert",),
        )
    if out.kind is not None:
        return spec.result(Status.FAILED, f"through the proxy: {out.error}", evidence, "", fixes)
    assert out.status is not None
    if out.status >= 500:
        return spec.result(
            Status.FAILED,
            f"the proxy could not fetch the target ({out.status} {out.reason})",
            evidence,
            "The proxy is up and accepted the request, but answered with a server error.",
            fixes,
        )
    return spec.result(
        Status.OK,
        f"the proxy works: {url} answered {out.status} {out.reason}",
        evidence,
    )


def _hostport(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 80}"
