"""Small servers the test bed does not provide (built here, loopback only).

- :class:`BlackholeTcp`: a listening socket whose accept queue is full, so new
  connections get no SYN-ACK and time out (a firewall that drops packets).
- :class:`BannerServer`: accepts and sends one line (an SSH server's version banner).
- :class:`GitHttpServer`: answers ``/<repo>/info/refs?service=git-upload-pack`` like a
  smart-HTTP git server, optionally demanding credentials.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from typing import Any, Self

from gobuildgui.core.probes import CancelToken, ProbeResult, ProbeSpec


class BlackholeTcp:
    """127.0.0.1:<port> that never completes a TCP handshake."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._held: list[socket.socket] = []

    def __enter__(self) -> Self:
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self.port = self._listener.getsockname()[1]
        # Fill the accept queue; the kernel then drops every further SYN.
        for _ in range(3):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", self.port))
            self._held.append(sock)
        time.sleep(0.05)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        for sock in [*self._held, self._listener]:
            sock.close()


class BannerServer:
    """Accepts connections and sends ``banner`` (default: an OpenSSH-like line)."""

    def __init__(self, banner: bytes = b"SSH-2.0-OpenSSH_9.2 gbg-test\r\n") -> None:
        self.banner = banner
        self._listener = socket.socket()
        self._stop = threading.Event()

    def __enter__(self) -> Self:
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            with contextlib.suppress(OSError), conn:
                conn.sendall(self.banner)
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._listener.close()


class _GitHandler(http.server.BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        wanted = self.server.auth
        if wanted and self.headers.get("Authorization") != wanted:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not self.path.endswith("/info/refs?service=git-upload-pack"):
            self.send_error(404)
            return
        body = b"001e# service=git-upload-pack\n0000"
        self.send_response(200)
        self.send_header("Content-Type", "application/x-git-upload-pack-advertisement")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class GitHttpServer:
    """A plain-HTTP smart-git look-alike on 127.0.0.1 (``auth``: required header value)."""

    def __init__(self, auth: str | None = None) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _GitHandler)
        self.server.auth = auth  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]

    def __enter__(self) -> Self:
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def spec_of(specs: list[ProbeSpec], probe_id: str) -> ProbeSpec:
    """The spec with ``probe_id`` (a clear failure listing the ids otherwise)."""
    for spec in specs:
        if spec.probe_id == probe_id:
            return spec
    raise AssertionError(f"{probe_id} not in {[s.probe_id for s in specs]}")


def run_one(spec: ProbeSpec, timeout: float = 3.0) -> ProbeResult:
    """Run one probe to completion with a fresh token."""
    return spec.run(CancelToken(), timeout)


def evidence(result: ProbeResult) -> dict[str, str]:
    """The evidence as a dict (labels are unique within one result)."""
    return dict(result.evidence)
