"""A TLS-inspecting proxy, as corporate firewalls run them: it answers CONNECT, presents a
certificate for the requested host signed by its own CA, and relays the decrypted bytes to
the real server over a second TLS connection.

Clients that trust only the real CA fail with "certificate signed by unknown authority"
(issuer: the inspection CA); clients given the inspection CA succeed. Python's ssl module
does the TLS on both sides; certificates come from a :class:`CertificateAuthority`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import select
import socket
import socketserver
import ssl
import threading
from collections.abc import Mapping
from typing import Any

from tests.testbed.netns import Netns
from tests.testbed.tls import CertificateAuthority, ServerCertificate


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    owner: InterceptingProxy

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that reject the certificate just hang up


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        owner = self.server.owner
        client: socket.socket = self.request
        client.settimeout(30)
        head = _read_head(client)
        if not head:
            return
        words = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        padded = [*words, "", ""]
        method, target = padded[0], padded[1]
        if method != "CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port_text = target.rpartition(":")
        host = host.strip("[]")
        owner.connects.append(target)
        address = owner.hosts.get(host, host)
        try:
            ipaddress.ip_address(address)
        except ValueError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return  # never resolve a name with the machine's DNS
        try:
            upstream_raw = socket.create_connection((address, int(port_text)), timeout=10)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        try:
            tls_client = owner.context_for(host).wrap_socket(client, server_side=True)
        except (OSError, ssl.SSLError) as exc:
            owner.rejected.append(f"{host}: {exc}")
            upstream_raw.close()
            return
        try:
            upstream = owner.upstream_context.wrap_socket(upstream_raw, server_hostname=host)
        except (OSError, ssl.SSLError):
            tls_client.close()
            upstream_raw.close()
            return
        owner.intercepted.append(host)
        _relay(tls_client, upstream)


def _read_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            return b""
        data += chunk
    return data


def _relay(a: ssl.SSLSocket, b: ssl.SSLSocket) -> None:
    """Copy bytes both ways in ONE thread: an SSL socket must not be read and written from
    two threads at once (TLS 1.3 session tickets arrive on the read side at any time)."""
    peers = {a: b, b: a}
    try:
        for sock in peers:
            sock.setblocking(False)
        while True:
            ready = [s for s in peers if s.pending()] or select.select(list(peers), [], [], 30)[0]
            if not ready:
                return  # idle for 30 s
            for sock in ready:
                try:
                    data = sock.recv(65536)
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    continue  # a TLS record that carried no application data
                if not data:
                    return
                other = peers[sock]
                other.setblocking(True)
                try:
                    other.sendall(data)
                finally:
                    other.setblocking(False)
    except (OSError, ssl.SSLError, ValueError):
        return
    finally:
        for sock in peers:
            with contextlib.suppress(OSError):
                sock.close()


class InterceptingProxy:
    """A CONNECT proxy on ``127.0.0.1:<free port>`` that inspects TLS with ``ca``.

    ``hosts`` maps names to IPs (names are never resolved otherwise); ``upstream_ca`` is
    what the proxy trusts towards the real servers (None: it does not verify them).
    ``connects``, ``intercepted`` and ``rejected`` record what happened.
    """

    def __init__(
        self,
        ca: CertificateAuthority,
        *,
        upstream_ca: CertificateAuthority | None = None,
        hosts: Mapping[str, str] | None = None,
        netns: Netns | None = None,
    ) -> None:
        self.ca = ca
        self.hosts = {"localhost": "127.0.0.1", **(hosts or {})}
        self.netns = netns
        if upstream_ca is not None:
            self.upstream_context = upstream_ca.client_context()
        else:
            self.upstream_context = ssl.create_default_context()
            self.upstream_context.check_hostname = False
            self.upstream_context.verify_mode = ssl.CERT_NONE
        self.connects: list[str] = []  # CONNECT targets, host:port
        self.intercepted: list[str] = []
        self.rejected: list[str] = []
        self._certs: dict[str, ServerCertificate] = {}
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.host = "127.0.0.1"
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def reset_state(self) -> None:
        self.connects.clear()
        self.intercepted.clear()
        self.rejected.clear()

    def context_for(self, host: str) -> ssl.SSLContext:
        with self._lock:  # one certificate per name, made on first use
            context = self._contexts.get(host)
            if context is None:
                cert = self.ca.issue([host])
                self._certs[host] = cert
                context = cert.server_context()
                self._contexts[host] = context
            return context

    def start(self) -> InterceptingProxy:
        def make() -> _Server:
            return _Server((self.host, self.port), _Handler)

        server = self.netns.call(make) if self.netns is not None else make()
        server.owner = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> InterceptingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
