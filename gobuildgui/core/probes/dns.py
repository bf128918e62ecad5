"""DNS probe: ask one resolver for one host's A and AAAA records, as Go's resolver does.

dnspython builds and parses the messages; the socket is our own (connected UDP), so an
ICMP port-unreachable shows up as "connection refused" instead of a silent timeout,
and the wait is sliced for cancellation. The verdicts name what Go prints in the same
case: NXDOMAIN and an empty answer are ``no such host``, REFUSED and SERVFAIL are
``server misbehaving``, silence is ``i/o timeout``.
"""

from __future__ import annotations

import errno
import select
import socket
import time

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeResult,
    ProbeSpec,
    Status,
)
from gobuildgui.core.probes.target import Resolver

_FIX_BY_LABEL = {"daemon": "daemon-dns", "build": "daemon-dns", "container": "daemon-dns"}
_RESEND_S = (1.0, 2.0, 4.0)


class _Answer:
    def __init__(self, rdtype: str) -> None:
        self.rdtype = rdtype
        self.rcode: str | None = None
        self.addresses: list[str] = []
        self.rtt_ms: float | None = None


def _exchange(
    host: str, resolver: Resolver, token: CancelToken, deadline: Deadline
) -> tuple[dict[str, _Answer], str | None]:
    """Send A and AAAA queries; return the answers and a socket error, if any."""
    family = socket.AF_INET6 if ":" in resolver.address else socket.AF_INET
    queries = {t: dns.message.make_query(host, t, want_dnssec=False) for t in ("A", "AAAA")}
    answers = {t: _Answer(t) for t in queries}
    sent: dict[str, float] = {}
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        try:
            sock.connect((resolver.address, resolver.port))
        except OSError as exc:
            return answers, _socket_error(exc)
        start = time.monotonic()
        resend = list(_RESEND_S)
        pending = set(queries)

        def send(kinds: set[str]) -> str | None:
            for kind in sorted(kinds):
                try:
                    sock.send(queries[kind].to_wire())
                    sent[kind] = time.monotonic()
                except OSError as exc:
                    return _socket_error(exc)
            return None

        err = send(pending)
        if err:
            return answers, err
        while pending:
            readable, _, _ = select.select([sock], [], [], deadline.slice())
            if readable:
                try:
                    wire = sock.recv(65535)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError as exc:
                    return answers, _socket_error(exc)
                try:
                    msg = dns.message.from_wire(wire)
                except Exception:  # garbage on the port: keep waiting
                    continue
                for kind in list(pending):
                    if queries[kind].is_response(msg):
                        pending.discard(kind)
                        ans = answers[kind]
                        ans.rtt_ms = (time.monotonic() - sent[kind]) * 1000
                        ans.rcode = dns.rcode.to_text(msg.rcode())
                        if msg.flags & dns.flags.TC:
                            ans.rcode += " (truncated)"
                        want = dns.rdatatype.from_text(kind)
                        for rrset in msg.answer:
                            if rrset.rdtype == want:
                                ans.addresses.extend(r.to_text() for r in rrset)
                continue
            token.raise_if_cancelled()
            if deadline.expired:
                return answers, None
            if resend and time.monotonic() - start >= resend[0]:
                resend.pop(0)
                err = send(pending)
                if err:
                    return answers, err
    return answers, None


def _socket_error(exc: OSError) -> str:
    if exc.errno == errno.ECONNREFUSED:
        return "connection refused"
    if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL):
        return "network is unreachable"
    return exc.strerror or str(exc)


def probe_dns(
    spec: ProbeSpec,
    token: CancelToken,
    deadline: Deadline,
    *,
    host: str,
    resolver: Resolver,
) -> ProbeResult:
    """Resolve ``host`` with ``resolver`` (A and AAAA) and name what went wrong."""
    answers, sock_err = _exchange(host, resolver, token, deadline)
    a, aaaa = answers["A"], answers["AAAA"]
    evidence: list[tuple[str, str]] = [
        ("resolver", f"{resolver} ({resolver.label})"),
        ("host", host),
    ]
    for ans in (a, aaaa):
        if ans.rcode is None:
            text = sock_err or f"no reply within {deadline.seconds:g} s"
        else:
            text = ans.rcode + (": " + ", ".join(ans.addresses) if ans.addresses else "")
            text += f" ({ans.rtt_ms:.1f} ms)"
        evidence.append((ans.rdtype, text))
    fix = (_FIX_BY_LABEL.get(resolver.label.split("+", 1)[0], "daemon-dns"),)
    go_on = f"lookup {host} on {resolver}"
    addresses = a.addresses + aaaa.addresses
    if addresses:
        other = [x for x in (a, aaaa) if not x.addresses and x.rcode not in (None, "NOERROR")]
        summary = f"{host} → {', '.join(addresses[:4])}"
        if other:
            return spec.result(
                Status.OK,
                summary + f" ({other[0].rdtype} answered {other[0].rcode})",
                evidence,
                "The name resolves. One record type was refused, which Go tolerates.",
            )
        return spec.result(Status.OK, summary, evidence)
    if sock_err == "connection refused":
        return spec.result(
            Status.FAILED,
            f"nothing listens on {resolver} (connection refused)",
            evidence,
            f"The resolver's port answered with ICMP port-unreachable: no DNS server runs"
            f" there. Go reports `{go_on}: read udp ...: connection refused`.",
            fix,
        )
    if sock_err is not None:
        return spec.result(
            Status.FAILED,
            f"cannot reach {resolver}: {sock_err}",
            evidence,
            f"There is no route to the resolver. Go reports `{go_on}: dial udp {resolver}:"
            f" connect: {sock_err}`.",
            fix,
        )
    codes = {x.rcode for x in (a, aaaa) if x.rcode}
    if not codes:
        return spec.result(
            Status.FAILED,
            f"{resolver} did not answer within {deadline.seconds:g} s (timeout)",
            evidence,
            f"Queries went out and nothing came back: the resolver is down or a firewall drops"
            f" DNS to it. Go waits and reports `{go_on}: read udp ...: i/o timeout`.",
            fix,
        )
    if "NXDOMAIN" in codes:
        return spec.result(
            Status.FAILED,
            f"NXDOMAIN: {resolver} says {host} does not exist",
            evidence,
            f"The resolver answered that the name does not exist. Go reports `dial tcp:"
            f" {go_on}: no such host`. A split-horizon or filtering DNS gives this for"
            f" public names; a typo in GOPROXY gives it too.",
            fix,
        )
    if codes & {"REFUSED", "SERVFAIL"}:
        code = "REFUSED" if "REFUSED" in codes else "SERVFAIL"
        return spec.result(
            Status.FAILED,
            f"{code}: {resolver} will not resolve {host}",
            evidence,
            f"The resolver answered {code} (it does not recurse for this client or its"
            f" upstream failed). Go reports `{go_on}: server misbehaving`.",
            fix,
        )
    if a.rcode is None or aaaa.rcode is None:
        return spec.result(
            Status.FAILED,
            f"{resolver} answered only part of the query before {deadline.seconds:g} s",
            evidence,
            "One record type came back empty and the other never came: Go reports an"
            " i/o timeout for this.",
            fix,
        )
    return spec.result(
        Status.FAILED,
        f"no address: {resolver} has no A or AAAA record for {host}",
        evidence,
        f"The name exists but has no addresses. Go reports `{go_on}: no such host`.",
        fix,
    )
