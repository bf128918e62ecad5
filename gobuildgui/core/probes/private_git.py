"""Private module host probes: git over HTTPS (smart-HTTP ref advertisement) and SSH (banner).

When GOPRIVATE names a host, Go bypasses the proxy and the checksum database and clones
from that host directly, with ``GIT_TERMINAL_PROMPT=0``: so a missing credential is a
hard failure (``terminal prompts disabled``), not a prompt.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeResult,
    ProbeSpec,
    ProbeTimeoutError,
    Status,
)
from gobuildgui.core.probes.httpio import http_get, verify_context
from gobuildgui.core.probes.netio import HostPort, TcpConnectError, connect, recv_some
from gobuildgui.core.probes.target import ProbeTarget
from gobuildgui.core.probes.tcp import resolve_for_probe
from gobuildgui.core.secrets import register_secret


def netrc_login(host: str, path: Path | None) -> tuple[str, str] | None:
    """``(login, password)`` for ``host`` from a .netrc (what git and go use), if any."""
    import netrc

    file = path or Path.home() / ".netrc"
    try:
        found = netrc.netrc(str(file)).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return None
    if not found or found[2] is None:
        return None
    register_secret(found[2])
    return (found[0] or "", found[2])


def probe_git_https(
    spec: ProbeSpec,
    token: CancelToken,
    deadline: Deadline,
    *,
    target: ProbeTarget,
    repo: str,
) -> ProbeResult:
    """GET ``https://<repo>/info/refs?service=git-upload-pack`` (what ``git ls-remote`` asks)."""
    base = repo if "://" in repo else f"https://{repo}"
    url = base.rstrip("/") + "/info/refs?service=git-upload-pack"
    proxy = target.proxy_for(url)
    parts = urlsplit(url)
    auth = None
    where = "in the URL" if parts.username else "none"
    if parts.username is None and parts.hostname:
        auth = netrc_login(parts.hostname, target.netrc_file)
        if auth is not None:
            where = f"{target.netrc_file or '~/.netrc'} (login {auth[0]})"
    out = http_get(
        url,
        token,
        deadline,
        proxy=proxy.url if proxy else None,
        verify=verify_context(target.system_ca_file),
        auth=auth,
    )
    evidence: list[tuple[str, str]] = [
        ("URL", url),
        ("HTTP proxy", proxy.url if proxy else "none"),
        ("credentials", where),
        ("result", out.describe()),
    ]
    if "www-authenticate" in out.headers:
        evidence.append(("www-authenticate", out.headers["www-authenticate"]))
    if out.kind is not None:
        fixes = ("dockerfile-ca-cert",) if out.kind == "tls" else ("client-proxy", "go-private")
        return spec.result(
            Status.FAILED,
            f"cannot reach {base}: {out.kind}",
            evidence,
            f"Go clones private modules from this host directly, so it must be reachable from"
            f" the build: {out.error}",
            fixes,
        )
    if out.status in (401, 403):
        return spec.result(
            Status.FAILED,
            f"{base} wants credentials ({out.status} {out.reason})",
            evidence,
            "Go runs git with GIT_TERMINAL_PROMPT=0, so git fails with `could not read"
            " Username ...: terminal prompts disabled`. Give the build a token through a"
            " BuildKit secret (.netrc or git insteadOf), never through ENV. Wrong"
            " credentials look the same (git asks again, and cannot).",
            ("dockerfile-private-auth",),
        )
    if out.status == 404:
        return spec.result(
            Status.FAILED,
            f"{base}: no such repository (404)",
            evidence,
            "The host answers but has no repository at that path, or hides a private one"
            " from anonymous users.",
            ("dockerfile-private-auth", "go-private"),
        )
    ctype = out.headers.get("content-type", "")
    if out.ok and "git-upload-pack-advertisement" in ctype:
        return spec.result(Status.OK, f"{base} advertises its refs (git smart HTTP)", evidence)
    if out.ok:
        return spec.result(
            Status.WARNING,
            f"{base} answered {out.status} but not as a git server ({ctype or 'no type'})",
            evidence,
            "A login page or a proxy's block page answers instead of git.",
            ("dockerfile-private-auth",),
        )
    return spec.result(
        Status.FAILED,
        f"{base}: {out.status} {out.reason}",
        evidence,
        "The git host answered with an error.",
        ("go-private",),
    )


def probe_git_ssh(
    spec: ProbeSpec, token: CancelToken, deadline: Deadline, *, endpoint: HostPort
) -> ProbeResult:
    """Connect to the SSH port and read the server's version banner."""
    addresses = resolve_for_probe(spec, endpoint, token, deadline)
    if isinstance(addresses, ProbeResult):
        return addresses
    evidence: list[tuple[str, str]] = [("endpoint", f"{endpoint} ({addresses[0]})")]
    start = time.monotonic()
    try:
        sock = connect(addresses[0], endpoint.port, token, deadline)
    except TcpConnectError as exc:
        return spec.result(
            Status.FAILED,
            f"no SSH connection to {endpoint}: {exc.detail}",
            evidence,
            "git over SSH (an insteadOf rule to ssh://) cannot work from here.",
            ("dockerfile-private-auth",),
        )
    except ProbeTimeoutError:
        return spec.result(
            Status.FAILED,
            f"{endpoint}: no answer (timeout)",
            evidence,
            "Port 22 is filtered: corporate networks often allow only HTTPS. Use git over"
            " HTTPS with a token instead.",
            ("dockerfile-private-auth",),
        )
    try:
        try:
            banner = recv_some(sock, token, deadline, 256)
        except ProbeTimeoutError:
            banner = b""
    finally:
        sock.close()
    text = banner.decode("ascii", errors="replace").strip()
    evidence.append(("banner", text or "(none)"))
    evidence.append(("time", f"{(time.monotonic() - start) * 1000:.1f} ms"))
    if text.startswith("SSH-"):
        return spec.result(
            Status.OK,
            f"{endpoint} speaks SSH ({text.split()[0]})",
            evidence,
            "Reachable. In a build the key must come from `RUN --mount=type=ssh` and the"
            " host key from known_hosts.",
        )
    return spec.result(
        Status.FAILED,
        f"{endpoint} accepts connections but sends no SSH banner",
        evidence,
        "Something else listens on that port, or a middlebox swallows SSH.",
        ("dockerfile-private-auth",),
    )
