"""TCP probe: can this machine open a connection to host:port, and if not, how does it fail?

Refused (RST: nothing listens, or a firewall rejects), unreachable (no route, no IPv6)
and timeout (SYN dropped: an egress firewall that wants a proxy) need different fixes.
"""

from __future__ import annotations

import socket
import time

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeResult,
    ProbeSpec,
    ProbeTimeoutError,
    Status,
)
from gobuildgui.core.probes.netio import HostPort, TcpConnectError, connect, resolve


def resolve_for_probe(
    spec: ProbeSpec, endpoint: HostPort, token: CancelToken, deadline: Deadline
) -> list[str] | ProbeResult:
    """The addresses of ``endpoint`` or a FAILED result saying the name did not resolve."""
    try:
        return resolve(endpoint.host, endpoint.port, token, deadline)
    except socket.gaierror as exc:
        return spec.result(
            Status.FAILED,
            f"cannot resolve {endpoint.host}: {exc.strerror or exc}",
            [("host", endpoint.host), ("resolver", "system (getaddrinfo)")],
            "The system resolver gave no address, so nothing was connected. The DNS probes"
            " tell why (NXDOMAIN, refused, timeout).",
            ("daemon-dns",),
        )
    except ProbeTimeoutError:
        return spec.result(
            Status.FAILED,
            f"resolving {endpoint.host} took longer than {deadline.seconds:g} s",
            [("host", endpoint.host), ("resolver", "system (getaddrinfo)")],
            "The system resolver did not answer in time. See the DNS probes.",
            ("daemon-dns",),
        )


_EXPLAIN = {
    "refused": (
        "The host answered with a reset: nothing listens on that port, or a firewall"
        " rejects the connection. Go reports `dial tcp {ep}: connect: connection refused`."
    ),
    "unreachable": (
        "There is no route to that address (no default route, no IPv6, or a subnet that"
        " collides with Docker's bridge). Go reports `connect: network is unreachable`."
    ),
    "reset": "The connection was reset at once: a middlebox is interfering.",
    "timeout": (
        "The SYN was never answered: a firewall silently drops direct connections, which"
        " usually means a proxy is required. Go reports `dial tcp {ep}: i/o timeout`."
    ),
}


def probe_tcp(
    spec: ProbeSpec, token: CancelToken, deadline: Deadline, *, endpoint: HostPort
) -> ProbeResult:
    """Connect to ``endpoint`` (the first address that answers) and classify failures."""
    addresses = resolve_for_probe(spec, endpoint, token, deadline)
    if isinstance(addresses, ProbeResult):
        return addresses
    evidence: list[tuple[str, str]] = [("endpoint", str(endpoint))]
    failures: list[tuple[str, str]] = []
    for address in addresses:
        start = time.monotonic()
        try:
            sock = connect(address, endpoint.port, token, deadline)
        except TcpConnectError as exc:
            failures.append((exc.kind, address))
            evidence.append((address, f"{exc.detail} after {_ms(start)}"))
            continue
        except ProbeTimeoutError:
            failures.append(("timeout", address))
            evidence.append((address, f"no answer within {deadline.seconds:g} s"))
            break
        sock.close()
        evidence.append((address, f"connected in {_ms(start)}"))
        return spec.result(Status.OK, f"connected to {endpoint} ({address})", evidence)
    kind = failures[0][0] if failures else "timeout"
    ep = HostPort(failures[0][1], endpoint.port) if failures else endpoint
    fixes: tuple[str, ...] = ("client-proxy", "daemon-proxy") if kind == "timeout" else ()
    if kind == "unreachable":
        fixes = ("daemon-mtu",)
    words = {"refused": "connection refused", "unreachable": "network unreachable"}
    return spec.result(
        Status.FAILED,
        f"{endpoint}: {words.get(kind, kind)}",
        evidence,
        _EXPLAIN.get(kind, "The connection failed.").format(ep=ep),
        fixes,
    )


def _ms(start: float) -> str:
    return f"{(time.monotonic() - start) * 1000:.1f} ms"
