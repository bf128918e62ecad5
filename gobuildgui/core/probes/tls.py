"""TLS probe: handshake with a server and verify its chain against several trust stores.

The chain is read once without verification (for the evidence: subject and issuer of
every certificate the server sent), then verified against this machine's store, against
Mozilla's bundle (certifi: what ``ca-certificates`` in a golang image trusts) and against
each CA file the user named. The pattern of passes and failures tells a healthy public
chain from a TLS-inspecting proxy that re-signs traffic with a corporate CA.
"""

from __future__ import annotations

import ssl
import time
from pathlib import Path
from typing import Any

import certifi

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeResult,
    ProbeSpec,
    ProbeTimeoutError,
    Status,
)
from gobuildgui.core.probes.httpio import verify_context
from gobuildgui.core.probes.netio import (
    HostPort,
    TcpConnectError,
    connect,
    tls_handshake,
)
from gobuildgui.core.probes.tcp import resolve_for_probe

_INTERCEPT = (
    "A TLS-inspecting proxy re-signs traffic with its own CA; install its CA in the image"
    " (COPY it to /usr/local/share/ca-certificates/ and run update-ca-certificates before"
    " `go mod download`)."
)


def _name(parts: Any) -> str:
    """``CN=x, O=y`` from ssl's nested ``((("commonName", "x"),), ...)`` form."""
    out: list[str] = []
    short = {"commonName": "CN", "organizationName": "O", "organizationalUnitName": "OU"}
    for rdn in parts or ():
        for key, value in rdn:
            out.append(f"{short.get(key, key)}={value}")
    return ", ".join(out) or "(empty)"


def _chain_of(tls: ssl.SSLSocket) -> list[dict[str, Any]]:
    """Info dicts of every certificate the server sent (private API, guarded)."""
    sslobj = getattr(tls, "_sslobj", None)
    getter = getattr(sslobj, "get_unverified_chain", None)
    if getter is None:
        return []
    try:
        return [cert.get_info() for cert in getter() or ()]
    except Exception:  # an interpreter without the private helper: no chain evidence
        return []


def _context(cafile: Path | None, *, verify: bool) -> ssl.SSLContext:
    if not verify:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    return verify_context(cafile)


def _handshake(
    address: str,
    endpoint: HostPort,
    ctx: ssl.SSLContext,
    token: CancelToken,
    deadline: Deadline,
) -> tuple[ssl.SSLSocket | None, str | None]:
    """A finished handshake, or ``(None, reason)`` when verification failed."""
    sock = connect(address, endpoint.port, token, deadline)
    try:
        return tls_handshake(sock, ctx, endpoint.host, token, deadline), None
    except ssl.SSLCertVerificationError as exc:
        sock.close()
        return None, str(exc.verify_message or exc.reason or exc)
    except ssl.SSLError as exc:
        sock.close()
        raise _NotTlsError(str(exc.reason or exc)) from exc
    except BaseException:
        sock.close()
        raise


class _NotTlsError(Exception):
    pass


def probe_tls(
    spec: ProbeSpec,
    token: CancelToken,
    deadline: Deadline,
    *,
    endpoint: HostPort,
    system_ca_file: Path | None = None,
    ca_files: tuple[Path, ...] = (),
) -> ProbeResult:
    """Handshake with ``endpoint`` and verify it against each trust store."""
    addresses = resolve_for_probe(spec, endpoint, token, deadline)
    if isinstance(addresses, ProbeResult):
        return addresses
    address = addresses[0]
    evidence: list[tuple[str, str]] = [("endpoint", f"{endpoint} ({address})")]
    start = time.monotonic()
    try:
        raw, _ = _handshake(address, endpoint, _context(None, verify=False), token, deadline)
    except TcpConnectError as exc:
        return spec.result(
            Status.FAILED,
            f"no TCP connection to {endpoint}: {exc.detail}",
            evidence,
            "The TLS handshake could not start; see the TCP probe for this endpoint.",
        )
    except ProbeTimeoutError as exc:
        return spec.result(
            Status.FAILED,
            f"{endpoint}: {exc}",
            evidence,
            "The connection or the handshake stalled. Go reports `net/http: TLS handshake"
            " timeout` or `i/o timeout`; a DPI box or an MTU black hole (a large certificate"
            " flight that never arrives) look like this.",
            ("daemon-mtu", "client-proxy"),
        )
    except _NotTlsError as exc:
        return spec.result(
            Status.FAILED,
            f"{endpoint} does not speak TLS: {exc}",
            evidence,
            "The server answered, but not with TLS (a plain-HTTP port, or an https:// URL"
            " for a proxy that speaks plain HTTP). Go: `tls: first record does not look"
            " like a TLS handshake`.",
            ("client-proxy",),
        )
    assert raw is not None
    evidence.append(("handshake", f"{(time.monotonic() - start) * 1000:.1f} ms, {raw.version()}"))
    chain = _chain_of(raw)
    raw.close()
    for i, info in enumerate(chain):
        evidence.append(
            (
                f"certificate {i}",
                f"subject {_name(info.get('subject'))}; issuer {_name(info.get('issuer'))}",
            )
        )
        if i == 0 and info.get("subjectAltName"):
            sans = ", ".join(v for _, v in info["subjectAltName"][:6])
            evidence.append(("names", sans))
        if i == 0 and info.get("notAfter"):
            evidence.append(("valid until", str(info["notAfter"])))
    top_issuer = _name(chain[-1].get("issuer")) if chain else "(unknown)"

    stores: list[tuple[str, Path | None]] = [
        ("system store", system_ca_file),
        ("Mozilla bundle", Path(certifi.where())),
    ]
    stores.extend((f"CA file {p}", p) for p in ca_files)
    verdicts: dict[str, str | None] = {}
    for label, cafile in stores:
        deadline.check(token)
        try:
            ctx = _context(cafile, verify=True)
        except (OSError, ssl.SSLError) as exc:
            verdicts[label] = f"cannot load: {exc}"
            evidence.append((label, verdicts[label] or ""))
            continue
        tls, reason = _handshake(address, endpoint, ctx, token, deadline)
        if tls is not None:
            tls.close()
        verdicts[label] = reason
        evidence.append((label, "verified" if reason is None else f"rejected: {reason}"))

    sys_ok = verdicts["system store"] is None
    moz_ok = verdicts["Mozilla bundle"] is None
    extra_ok = [label for label, _ in stores[2:] if verdicts.get(label) is None]
    reason = verdicts["system store"] or verdicts["Mozilla bundle"] or ""
    if sys_ok and moz_ok:
        return spec.result(Status.OK, f"{endpoint}: verified, issued by {top_issuer}", evidence)
    if "hostname mismatch" in reason.lower() or "ip address mismatch" in reason.lower():
        return spec.result(
            Status.FAILED,
            f"{endpoint}: the certificate is not valid for {endpoint.host}",
            evidence,
            "The server presented a certificate for another name (a captive portal or an"
            " intercepting proxy answering for the real host). Go: `x509: certificate is"
            " valid for ..., not ...`.",
            ("client-proxy",),
        )
    if "expired" in reason.lower() or "not yet valid" in reason.lower():
        return spec.result(
            Status.FAILED,
            f"{endpoint}: certificate expired or not yet valid ({reason})",
            evidence,
            "Either the server's certificate is out of date or this machine's clock is wrong."
            " Go: `x509: certificate has expired or is not yet valid`.",
        )
    if sys_ok and not moz_ok:
        return spec.result(
            Status.WARNING,
            f"{endpoint}: trusted here only through a local CA ({top_issuer})",
            evidence,
            "This machine's trust store accepts the chain but Mozilla's public bundle does"
            " not, so the issuer is a private CA. " + _INTERCEPT + " A golang image trusts"
            " only the public CAs and fails with `x509: certificate signed by unknown"
            " authority`.",
            ("dockerfile-ca-cert",),
        )
    if moz_ok and not sys_ok:
        return spec.result(
            Status.WARNING,
            f"{endpoint}: this machine's trust store lacks the public CA",
            evidence,
            "Mozilla's bundle verifies the chain but the system store does not: the host's"
            " ca-certificates package is old or replaced. Images with current"
            " ca-certificates are not affected.",
        )
    if extra_ok:
        return spec.result(
            Status.FAILED,
            f"{endpoint}: signed by a private CA ({top_issuer}) that only {extra_ok[0]} trusts",
            evidence,
            "Neither the public bundle nor this machine's store trusts the chain, but the CA"
            " file you named does. " + _INTERCEPT,
            ("dockerfile-ca-cert",),
        )
    return spec.result(
        Status.FAILED,
        f"{endpoint}: certificate signed by unknown authority ({top_issuer})",
        evidence,
        "No trust store accepts this chain: its issuer is not a public CA. "
        + _INTERCEPT
        + " Go reports `x509: certificate signed by unknown authority`. If you have the CA"
        " file, name it (--ca-file) to confirm.",
        ("dockerfile-ca-cert",),
    )
