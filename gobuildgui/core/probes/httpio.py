"""One HTTP GET with httpx, bounded by a deadline and a cancel token, with a classified outcome.

httpx never reads the environment here (``trust_env=False``): the proxy and the trust
store are explicit, so a probe tests exactly the setting it names. The call runs in a
helper thread (httpx blocks) that its own timeout ends; the waiting probe returns as
soon as the token is cancelled.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpcore
import httpx
from httpcore._backends.sync import SyncStream

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeCancelled,
    ProbeTimeoutError,
    call_in_thread,
)
from gobuildgui.core.probes.netio import TcpConnectError, connect, resolve

#: Bytes of a body kept for evidence and for `server response:` lines.
SNIPPET = 400
#: Bodies are read up to this size (a module zip of the probe module is far smaller).
BODY_CAP = 4 * 1024 * 1024


@dataclass(frozen=True)
class HttpOutcome:
    """What a GET gave: a status, or an error of a known ``kind``.

    ``kind`` is None for a response, else one of ``proxy-status`` (the proxy refused
    CONNECT with ``status``), ``refused``, ``timeout``, ``dns``, ``tls``, ``unreachable``,
    ``reset`` or ``error``.
    """

    url: str
    status: int | None = None
    reason: str = ""
    kind: str | None = None
    error: str = ""
    elapsed_ms: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    size: int = 0
    proxy: str | None = None

    @property
    def ok(self) -> bool:
        """A 2xx response."""
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        """``200 OK (12.3 ms, 345 bytes)`` or the error."""
        if self.kind is None:
            return f"{self.status} {self.reason} ({self.elapsed_ms:.1f} ms, {self.size} bytes)"
        return f"{self.kind}: {self.error} ({self.elapsed_ms:.1f} ms)"

    def snippet(self) -> str:
        """The first bytes of the body as text (one line)."""
        text = self.body[:SNIPPET].decode("utf-8", errors="replace")
        return " ".join(text.split())


_contexts: dict[tuple[str, ...], ssl.SSLContext] = {}
_contexts_lock = threading.Lock()


def verify_context(cafile: Path | None = None) -> ssl.SSLContext:
    """The trust store Go on this host uses (OpenSSL's default, or ``cafile``).

    Cached per file (and its mtime): loading a bundle parses every certificate while
    holding the GIL, which stalled the GUI's event loop when a dozen probes did it at once.
    Contexts are safe to share between threads once built.
    """
    if cafile is not None:
        try:
            stamp = str(os.stat(cafile).st_mtime_ns)
        except OSError:
            stamp = "missing"
        key: tuple[str, ...] = (str(cafile), stamp)
    else:
        key = ("", os.environ.get("SSL_CERT_FILE", ""), os.environ.get("SSL_CERT_DIR", ""))
    with _contexts_lock:
        ctx = _contexts.get(key)
        if ctx is None:
            ctx = ssl.create_default_context(cafile=str(cafile) if cafile else None)
            _contexts[key] = ctx
        return ctx


_STATUS_IN_TEXT = re.compile(r"\b([1-5]\d\d)\b\s*([A-Za-z][\w ]*)?")


def classify_error(exc: Exception) -> tuple[str, str]:
    """``(kind, text)`` for an httpx exception."""
    text = str(exc) or type(exc).__name__
    low = text.lower()
    if isinstance(exc, httpx.ProxyError) and _STATUS_IN_TEXT.search(text):
        return "proxy-status", text
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", f"{type(exc).__name__}: {text}"
    if "certificate" in low or "ssl" in low or "tls" in low or "wrong version number" in low:
        return "tls", text
    if "refused" in low:
        return "refused", text
    if (
        "name or service not known" in low
        or "nodename nor servname" in low
        or "no address associated" in low
        or "temporary failure in name resolution" in low
        or "name resolution" in low
    ):
        return "dns", text
    if "unreachable" in low or "no route" in low or "cannot assign" in low:
        return "unreachable", text
    if "reset" in low or "disconnected" in low or "closed" in low:
        return "reset", text
    return "error", text


def proxy_status(outcome: HttpOutcome) -> int | None:
    """The HTTP status a proxy refused CONNECT with (from httpx's ProxyError text)."""
    if outcome.kind != "proxy-status":
        return outcome.status
    m = _STATUS_IN_TEXT.search(outcome.error)
    return int(m.group(1)) if m else None


class _CancellableBackend(httpcore.SyncBackend):
    """httpcore's sync backend with a sliced, token-aware connect and an abort switch.

    Threads cannot be killed, so a request abandoned on cancel would linger until its
    timeout (and could still be running when the interpreter exits). ``abort()`` shuts
    down every socket this backend opened, which ends any blocking read at once.
    """

    def __init__(self, token: CancelToken, deadline: Deadline) -> None:
        self._token = token
        self._deadline = deadline
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._aborted = False

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            address = resolve(host, port, self._token, self._deadline)[0]
            sock = connect(address, port, self._token, self._deadline)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"[Errno {exc.errno}] {exc.strerror}") from exc
        except TcpConnectError as exc:
            raise httpcore.ConnectError(exc.detail) from exc
        except (ProbeTimeoutError, ProbeCancelled) as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        sock.setblocking(True)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.register(sock)
        return _Stream(sock, self)

    def register(self, sock: socket.socket) -> None:
        """Track ``sock`` for :meth:`abort` (closing it at once if already aborted)."""
        with self._lock:
            if not self._aborted:
                self._socks.append(sock)
                return
        sock.close()
        raise httpcore.ConnectError("cancelled")

    def abort(self) -> None:
        """Shut down every socket opened so far (and refuse new ones)."""
        with self._lock:
            self._aborted = True
            socks, self._socks = self._socks, []
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Stream(SyncStream):
    """A stream whose TLS-wrapped successor is tracked too (wrap_socket detaches ``sock``)."""

    def __init__(self, sock: socket.socket, backend: _CancellableBackend) -> None:
        super().__init__(sock)
        self._backend = backend

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        stream = super().start_tls(ssl_context, server_hostname, timeout)
        inner = stream.get_extra_info("socket")
        if isinstance(inner, socket.socket):
            self._backend.register(inner)
        return stream


def _transport(
    proxy: str | None, ctx: ssl.SSLContext, backend: _CancellableBackend
) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(verify=ctx, proxy=httpx.Proxy(proxy) if proxy else None)
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = backend  # private in httpcore; without it: plain sockets
    return transport


def http_get(
    url: str,
    token: CancelToken,
    deadline: Deadline,
    *,
    proxy: str | None = None,
    verify: ssl.SSLContext | None = None,
    follow_redirects: bool = True,
    auth: tuple[str, str] | None = None,
) -> HttpOutcome:
    """GET ``url`` (through ``proxy``) and classify the result; never raises on network errors."""
    timeout = max(0.05, deadline.remaining())
    ctx = verify if verify is not None else verify_context()
    start = time.monotonic()

    backend = _CancellableBackend(token, deadline)

    def fetch() -> HttpOutcome:
        try:
            with (
                httpx.Client(
                    transport=_transport(proxy, ctx, backend),
                    auth=auth,
                    trust_env=False,
                    timeout=httpx.Timeout(timeout),
                    follow_redirects=follow_redirects,
                    headers={"User-Agent": "gobuildgui-probe"},
                ) as client,
                client.stream("GET", url) as resp,
            ):
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size <= BODY_CAP:
                        chunks.append(chunk)
                    if token.cancelled or size > BODY_CAP:
                        break
                body = b"".join(chunks)
                keep = ("content-type", "location", "proxy-authenticate", "www-authenticate", "via")
                headers = {k: resp.headers[k] for k in keep if k in resp.headers}
                if resp.history:
                    headers["redirected-from"] = str(resp.history[0].url)
                return HttpOutcome(
                    url=url,
                    status=resp.status_code,
                    reason=resp.reason_phrase,
                    elapsed_ms=(time.monotonic() - start) * 1000,
                    headers=headers,
                    body=body,
                    size=size,
                    proxy=proxy,
                )
        except httpx.HTTPError as exc:
            kind, text = classify_error(exc)
            return HttpOutcome(
                url=url,
                kind=kind,
                error=text,
                elapsed_ms=(time.monotonic() - start) * 1000,
                proxy=proxy,
            )

    try:
        outcome = call_in_thread(fetch, token, deadline, on_stop=backend.abort)
        token.raise_if_cancelled()  # an error caused by the cancel is not a verdict
        return outcome
    except ProbeTimeoutError:
        return HttpOutcome(
            url=url,
            kind="timeout",
            error=f"no response within {deadline.seconds:g} s",
            elapsed_ms=(time.monotonic() - start) * 1000,
            proxy=proxy,
        )
