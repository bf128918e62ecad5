"""Sockets that honour a deadline and a cancel token: connect, resolve, TLS, read.

Each function uses non-blocking sockets and waits with ``select`` in short slices,
so a cancel is seen within :data:`~.base.SLICE_S` and the deadline bounds the whole
call. Errors keep their kind: :class:`TcpConnectError` says whether the peer refused,
the network was unreachable or nothing answered, because those point at different
causes (nothing listening, no route, a firewall dropping packets).
"""

from __future__ import annotations

import errno
import ipaddress
import select
import socket
import ssl
from dataclasses import dataclass

from gobuildgui.core.probes.base import CancelToken, Deadline, ProbeTimeoutError, call_in_thread


@dataclass(frozen=True)
class HostPort:
    """A host name or IP address with a port."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @classmethod
    def parse(cls, text: str, default_port: int) -> HostPort:
        """``host``, ``host:port``, ``[v6]:port`` or a bare IPv6 address."""
        text = text.strip()
        if text.startswith("["):
            host, _, rest = text[1:].partition("]")
            return cls(host, int(rest[1:]) if rest.startswith(":") else default_port)
        if text.count(":") == 1:
            host, _, port = text.partition(":")
            return cls(host, int(port))
        return cls(text, default_port)


class TcpConnectError(OSError):
    """A TCP connection could not be made; ``kind`` is refused/unreachable/timeout/reset."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


_KINDS = {
    errno.ECONNREFUSED: "refused",
    errno.ENETUNREACH: "unreachable",
    errno.EHOSTUNREACH: "unreachable",
    errno.EADDRNOTAVAIL: "unreachable",
    errno.ECONNRESET: "reset",
    errno.ETIMEDOUT: "timeout",
}


def is_ip(host: str) -> bool:
    """Whether ``host`` is an IPv4 or IPv6 literal."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def resolve(host: str, port: int, token: CancelToken, deadline: Deadline) -> list[str]:
    """The addresses the system resolver gives for ``host`` (getaddrinfo, cancellable).

    Raises ``socket.gaierror`` as the system reports it, :class:`ProbeTimeoutError` when the
    resolver is silent until the deadline.
    """
    if is_ip(host):
        return [host]

    def lookup() -> list[str]:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        seen: list[str] = []
        for info in infos:
            addr = str(info[4][0])
            if addr not in seen:
                seen.append(addr)
        return seen

    return call_in_thread(lookup, token, deadline)


def connect(address: str, port: int, token: CancelToken, deadline: Deadline) -> socket.socket:
    """A connected, non-blocking TCP socket to ``address`` (an IP literal).

    Raises :class:`TcpConnectError` (refused, unreachable, reset) or :class:`ProbeTimeoutError`
    when the SYN is never answered before the deadline.
    """
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        rc = sock.connect_ex((address, port))
        if rc not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
            raise TcpConnectError(
                _KINDS.get(rc, "error"), f"connect: {errno.errorcode.get(rc, rc)}"
            )
        while rc != 0:
            _, writable, _ = select.select([], [sock], [], deadline.slice())
            if writable:
                rc = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if rc != 0:
                    raise TcpConnectError(_KINDS.get(rc, "error"), f"connect: {_strerror(rc)}")
                break
            deadline.check(token)
        return sock
    except BaseException:
        sock.close()
        raise


def _strerror(code: int) -> str:
    import os

    return os.strerror(code).lower()


def recv_some(
    sock: socket.socket, token: CancelToken, deadline: Deadline, limit: int = 4096
) -> bytes:
    """Read what the peer sends first (b"" when it closes), waiting in slices."""
    while True:
        readable, _, _ = select.select([sock], [], [], deadline.slice())
        if readable:
            try:
                return sock.recv(limit)
            except (BlockingIOError, InterruptedError):
                continue
            except ConnectionResetError as exc:
                raise TcpConnectError("reset", "read: connection reset by peer") from exc
        deadline.check(token)


def tls_handshake(
    sock: socket.socket,
    context: ssl.SSLContext,
    server_name: str | None,
    token: CancelToken,
    deadline: Deadline,
) -> ssl.SSLSocket:
    """Wrap a connected non-blocking socket and complete the handshake in slices.

    Raises ``ssl.SSLCertVerificationError`` / ``ssl.SSLError`` as OpenSSL reports them,
    :class:`ProbeTimeoutError` when the handshake stalls (a DPI box or an MTU black hole).
    """
    tls = context.wrap_socket(sock, server_hostname=server_name, do_handshake_on_connect=False)
    try:
        while True:
            try:
                tls.do_handshake()
                return tls
            except ssl.SSLWantReadError:
                select.select([tls], [], [], deadline.slice())
            except ssl.SSLWantWriteError:
                select.select([], [tls], [], deadline.slice())
            except (ConnectionResetError, BrokenPipeError) as exc:
                raise TcpConnectError("reset", "read: connection reset by peer") from exc
            if deadline.expired:
                raise ProbeTimeoutError("TLS handshake timeout")
            token.raise_if_cancelled()
    except BaseException:
        tls.close()  # wrap_socket detached ``sock``: this is the socket to close now
        raise
