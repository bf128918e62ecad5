"""A Go module proxy served from generated files, over HTTP or HTTPS, with injectable faults."""

from __future__ import annotations

import base64
import contextlib
import fnmatch
import hashlib
import http.server
import io
import json
import socket
import socketserver
import ssl
import struct
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from tests.testbed.netns import Netns
from tests.testbed.tls import ServerCertificate

MODULE = "example.com/hello"
VERSIONS = ("v1.0.0", "v1.1.0")
GO_LINE = "1.16"  # go1.19 (Debian's) must accept every go.mod served here


@dataclass(frozen=True)
class Module:
    """A real, small Go module: ``package hello`` with ``func Hello() string``."""

    path: str = MODULE
    versions: tuple[str, ...] = VERSIONS
    time: str = "2024-01-01T00:00:00Z"

    @property
    def package(self) -> str:
        return self.path.rsplit("/", 1)[-1].replace("-", "_").replace(".", "_")

    def go_mod(self, version: str) -> bytes:
        return f"module {self.path}\n\ngo {GO_LINE}\n".encode()

    def files(self, version: str) -> dict[str, bytes]:
        source = (
            f"// Package {self.package} is a test module served by the gobuildgui test bed.\n"
            f"package {self.package}\n\n"
            f"// Hello says which version was downloaded.\n"
            f'func Hello() string {{ return "hello from {self.path} {version}" }}\n'
        )
        return {"go.mod": self.go_mod(version), "hello.go": source.encode()}

    def info(self, version: str) -> bytes:
        return json.dumps({"Version": version, "Time": self.time}).encode()

    def zip(self, version: str) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in sorted(self.files(version).items()):
                archive.writestr(f"{self.path}@{version}/{name}", data)
        return buf.getvalue()

    def h1(self, version: str) -> str:
        """The go.sum hash of the module zip (golang.org/x/mod dirhash Hash1)."""
        files = {f"{self.path}@{version}/{n}": d for n, d in self.files(version).items()}
        return _hash1(files)

    def h1_mod(self, version: str) -> str:
        return _hash1({"go.mod": self.go_mod(version)})

    def go_sum_lines(self, version: str) -> str:
        return (
            f"{self.path} {version} {self.h1(version)}\n"
            f"{self.path} {version}/go.mod {self.h1_mod(version)}\n"
        )


def _hash1(files: dict[str, bytes]) -> str:
    summary = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    )
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


@dataclass
class Fault:
    """What to do to requests whose path matches ``pattern`` (fnmatch, e.g. ``*.zip``).

    ``delay`` seconds first (interrupted by ``stop``), then a reset (RST, no response) if
    ``reset``, else ``status`` with ``body`` if set, else the normal answer.
    """

    pattern: str
    status: int | None = None
    delay: float = 0.0
    reset: bool = False
    body: bytes = b""
    hits: int = 0


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    host: str
    headers: dict[str, str] = field(default_factory=dict)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: GoModuleProxy
    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        # Handshake in the request's own thread, so one bad client never blocks accept().
        wrapped = self.tls.wrap_socket(request, server_side=True, do_handshake_on_connect=False)
        try:
            wrapped.settimeout(10)
            try:
                wrapped.do_handshake()
            except (OSError, ssl.SSLError) as exc:
                self.owner.handshake_errors.append(str(exc))
                return
            wrapped.settimeout(None)
            super().finish_request(wrapped, client_address)
        finally:
            with contextlib.suppress(OSError):
                wrapped.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that go away (resets, timeouts) are part of the tests


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, *, head: bool) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        owner.requests.append(
            Request(self.command, path, self.headers.get("Host", ""), dict(self.headers.items()))
        )
        fault = owner.fault_for(path)
        if fault is not None:
            fault.hits += 1
            if fault.delay and owner.stopping.wait(fault.delay):
                return
            if fault.reset:
                self._reset()
                return
            if fault.status is not None:
                self._send(fault.status, fault.body or f"fault {fault.status}\n".encode(), head)
                return
        status, body, ctype = owner.content(path)
        self._send(status, body, head, ctype)

    def _send(self, status: int, body: bytes, head: bool, ctype: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _reset(self) -> None:
        sock = self.connection
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            sock.close()
        self.close_connection = True


class GoModuleProxy:
    """A GOPROXY (and checksum-database look-alike) on ``127.0.0.1:<free port>``.

    Serves for each module ``@v/list``, ``@v/<v>.info|.mod|.zip`` and ``@latest``; ``/`` says
    hello; anything else is 404. ``/sumdb/<name>/supported`` is 404 unless
    ``sumdb_supported`` is set, then ``/sumdb/<name>/latest|lookup/...`` answer too; the
    root paths ``/latest`` and ``/lookup/<module>@<version>`` always answer (a sumdb
    reachability target; its signature is fake, so real ``go`` runs need ``GOSUMDB=off`` or
    ``GONOSUMDB=<module>``). ``requests`` records every request. With ``certificate=`` it
    speaks HTTPS; with ``netns=`` it listens inside that namespace.
    """

    def __init__(
        self,
        modules: Sequence[Module] = (Module(),),
        *,
        certificate: ServerCertificate | None = None,
        netns: Netns | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.modules = {m.path: m for m in modules}
        self.certificate = certificate
        self.netns = netns
        self.host = host
        self.port = port
        self.sumdb_supported = False
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self.handshake_errors: list[str] = []
        self.stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle -------------------------------------------------------------------
    def start(self) -> Self:
        def make() -> _Server:
            return _Server((self.host, self.port), _Handler)

        server = self.netns.call(make) if self.netns is not None else make()
        server.owner = self
        if self.certificate is not None:
            server.tls = self.certificate.server_context()
        self.port = server.server_address[1]
        self._server = server
        self.stopping.clear()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses --------------------------------------------------------------------
    @property
    def scheme(self) -> str:
        return "https" if self.certificate is not None else "http"

    @property
    def url(self) -> str:
        return self.url_for(self.host)

    def url_for(self, host: str) -> str:
        """The base URL under another name (one the test's DnsServer maps to this host)."""
        return f"{self.scheme}://{host}:{self.port}"

    # --- faults -----------------------------------------------------------------------
    def set_fault(
        self,
        pattern: str,
        *,
        status: int | None = None,
        delay: float = 0.0,
        reset: bool = False,
        body: bytes = b"",
    ) -> Fault:
        fault = Fault(pattern, status, delay, reset, body)
        self.faults.insert(0, fault)  # the newest wins
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def reset_state(self) -> None:
        """Back to the defaults: no faults, sumdb not supported, empty request log."""
        self.faults.clear()
        self.requests.clear()
        self.handshake_errors.clear()
        self.sumdb_supported = False

    def fault_for(self, path: str) -> Fault | None:
        return next((f for f in self.faults if fnmatch.fnmatchcase(path, f.pattern)), None)

    def paths_requested(self) -> list[str]:
        return [r.path for r in self.requests]

    # --- content ----------------------------------------------------------------------
    def content(self, path: str) -> tuple[int, bytes, str]:
        text = "text/plain; charset=utf-8"
        if path == "/":
            return 200, b"gobuildgui test server\n", text
        if path.startswith("/sumdb/"):
            _, _, rest = path.partition("/sumdb/")
            _name, _, sub = rest.partition("/")
            if sub == "supported":
                return (200, b"", text) if self.sumdb_supported else (404, b"not found\n", text)
            if not self.sumdb_supported:
                return 404, b"not found\n", text
            path = "/" + sub
        if path == "/latest":
            return 200, self._tree_head(), text
        if path.startswith("/lookup/"):
            wanted, _, version = path[len("/lookup/") :].rpartition("@")
            found = self.modules.get(wanted)
            if found is None or version not in found.versions:
                return 404, f"not found: {wanted}@{version}\n".encode(), text
            body = f"1\n{found.go_sum_lines(version)}\n".encode() + self._tree_head()
            return 200, body, text
        for module in self.modules.values():
            prefix = f"/{module.path}/"
            if not path.startswith(prefix):
                continue
            rest = path[len(prefix) :]
            if rest == "@v/list":
                return 200, "".join(f"{v}\n" for v in module.versions).encode(), text
            if rest == "@latest":
                return 200, module.info(module.versions[-1]), "application/json"
            if rest.startswith("@v/"):
                version, dot, ext = rest[3:].rpartition(".")
                if dot and version in module.versions:
                    if ext == "info":
                        return 200, module.info(version), "application/json"
                    if ext == "mod":
                        return 200, module.go_mod(version), text
                    if ext == "zip":
                        return 200, module.zip(version), "application/zip"
        return 404, f"not found: {path}\n".encode(), text

    @staticmethod
    def _tree_head() -> bytes:
        # Shaped like a signed note; the signature is not valid for any real key.
        fake = base64.b64encode(b"\0" * 68).decode()
        return f"go.sum database tree\n1\n{fake[:44]}\n\n— gbg.test {fake}\n".encode()


class TlsServer(GoModuleProxy):
    """The same server over HTTPS with a certificate from a test CA (``.ca_pem_path``)."""

    def __init__(
        self,
        certificate: ServerCertificate,
        modules: Sequence[Module] = (Module(),),
        *,
        netns: Netns | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(modules, certificate=certificate, netns=netns, host=host, port=port)

    @property
    def ca_pem_path(self) -> Path:
        assert self.certificate is not None
        return self.certificate.issuer.ca_pem_path
