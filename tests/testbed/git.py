"""A private Git host on loopback: smart HTTP(S) via ``git http-backend``, basic auth optional.

It serves one bare repository holding a small Go module (tag v1.0.0), for the probes'
"git over HTTPS to the private module host" check: ``git ls-remote`` with the right
credentials lists the tag; without them the server answers 401, as GitHub and GitLab do.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import os
import socketserver
import ssl
import subprocess
import threading
from pathlib import Path
from typing import Any

from tests.testbed._util import make_tempdir, need_binary, run
from tests.testbed.netns import Netns
from tests.testbed.tls import ServerCertificate

GIT_HTTP_BACKEND = Path("/usr/lib/git-core/git-http-backend")
PRIVATE_MODULE = "git.corp.test/team/mod"


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: GitServer
    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        wrapped = self.tls.wrap_socket(request, server_side=True, do_handshake_on_connect=False)
        try:
            wrapped.settimeout(10)
            try:
                wrapped.do_handshake()
            except (OSError, ssl.SSLError):
                return
            wrapped.settimeout(None)
            super().finish_request(wrapped, client_address)
        finally:
            with contextlib.suppress(OSError):
                wrapped.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._cgi(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._cgi(self.rfile.read(length))

    def _cgi(self, body: bytes) -> None:
        owner = self.server.owner
        path, _, query = self.path.partition("?")
        owner.requests.append(self.path)
        if "go-get=1" in query.split("&"):
            self._go_import(path)
            return
        if owner.credentials is not None and not self._authorized(owner.credentials):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="gbg git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": str(owner.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_USER": owner.credentials[0] if owner.credentials else "",
        }
        for header in ("Content-Encoding", "Git-Protocol"):
            if header in self.headers:
                env["HTTP_" + header.upper().replace("-", "_")] = self.headers[header]
        proc = subprocess.run(
            [str(GIT_HTTP_BACKEND)],
            input=body,
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        head, sep, payload = proc.stdout.partition(b"\r\n\r\n")
        if not sep:
            head, _, payload = proc.stdout.partition(b"\n\n")
        status = 200
        headers = []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _go_import(self, path: str) -> None:
        """The ``<meta name="go-import">`` page the go command asks for (no auth, as the
        big hosts answer it even for private repositories)."""
        owner = self.server.owner
        host = self.headers.get("Host", owner.host)
        prefix = owner.module.split("/", 1)[1]
        if path.strip("/") != prefix and not path.strip("/").startswith(prefix + "/"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        repo = f"{owner.scheme}://{host}{owner.repo_path}"
        page = (
            f'<html><head><meta name="go-import" content="{owner.module} git {repo}">'
            "</head></html>\n"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def _authorized(self, credentials: tuple[str, str]) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(token).decode().partition(":")
        except ValueError:
            return False
        return (user, password) == credentials


class GitServer:
    """``git http-backend`` behind a threaded HTTP(S) server on ``127.0.0.1:<free port>``.

    ``repo_url`` is the clone URL of the module's repository; ``credentials`` turn on basic
    auth (401 without or with wrong ones); ``certificate`` makes it HTTPS; ``requests``
    records the paths asked for. ``?go-get=1`` pages name the repository for the go
    command; on port 443 (in a namespace) ``go mod download`` fetches the module for real.
    """

    def __init__(
        self,
        *,
        module: str = PRIVATE_MODULE,
        credentials: tuple[str, str] | None = None,
        certificate: ServerCertificate | None = None,
        netns: Netns | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._git = need_binary("git", package="git")
        if not GIT_HTTP_BACKEND.exists():
            need_binary("git-http-backend", package="git")
        self.module = module
        self.credentials = credentials
        self.certificate = certificate
        self.netns = netns
        self.host = host
        self.port = port
        self.root = make_tempdir("git")
        self.repo_path = "/" + module.split("/", 1)[1] + ".git"
        self.requests: list[str] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._make_repository()

    def _make_repository(self) -> None:
        work = self.root / "work"
        work.mkdir()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "gbg",
            "GIT_AUTHOR_EMAIL": "gbg@corp.test",
            "GIT_COMMITTER_NAME": "gbg",
            "GIT_COMMITTER_EMAIL": "gbg@corp.test",
        }
        (work / "go.mod").write_text(f"module {self.module}\n\ngo 1.16\n")
        (work / "mod.go").write_text('package mod\n\n// Secret is private.\nconst Secret = "42"\n')
        for cmd in (
            ["init", "-q", "-b", "main"],
            ["add", "."],
            ["commit", "-q", "-m", "v1.0.0"],
            ["tag", "v1.0.0"],
        ):
            run([self._git, "-C", str(work), *cmd], env=env)
        bare = self.root / self.repo_path.lstrip("/")
        bare.parent.mkdir(parents=True, exist_ok=True)
        run([self._git, "clone", "-q", "--bare", str(work), str(bare)], env=env)

    @property
    def scheme(self) -> str:
        return "https" if self.certificate is not None else "http"

    def repo_url(
        self, host: str | None = None, *, credentials: tuple[str, str] | None = None
    ) -> str:
        auth = f"{credentials[0]}:{credentials[1]}@" if credentials else ""
        return f"{self.scheme}://{auth}{host or self.host}:{self.port}{self.repo_path}"

    def start(self) -> GitServer:
        def make() -> _Server:
            return _Server((self.host, self.port), _Handler)

        server = self.netns.call(make) if self.netns is not None else make()
        server.owner = self
        if self.certificate is not None:
            server.tls = self.certificate.server_context()
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

    def __enter__(self) -> GitServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
