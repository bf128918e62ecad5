"""``docker build`` through the Engine API (the Docker SDK), for machines without a docker CLI.

Classic builder only: BuildKit over the API needs a gRPC session the SDK does not speak.
The build's JSON stream (``{"stream": ...}``, ``{"aux": {"ID": ...}}``, ``{"error": ...}``)
is turned into the same lines the CLI prints. A cancel shuts the connection's socket down,
which ends the request; the daemon then stops the build, as when the CLI is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from gobuildgui.core.build import (
    DEFAULT_TIMEOUT,
    LAST_LINES,
    NOTE_PREFIX,
    BuildOutcome,
    BuildRequest,
    CancelToken,
)
from gobuildgui.core.secrets import redact

_DONE = object()


# Every parameter used here exists in API 1.40 (Docker 19.03); a fixed version also means
# the client does not connect while it is being made (it would leak the socket on failure).
API_VERSION = "1.40"


def _client(request: BuildRequest, timeout: float) -> Any:
    import docker

    read_timeout = int(timeout) + 60  # a RUN step may be silent for a long time
    if request.docker_host:
        kwargs: dict[str, Any] = {"base_url": request.docker_host}
    else:
        kwargs = docker.utils.kwargs_from_env()
    client = docker.APIClient(version=API_VERSION, timeout=read_timeout, **kwargs)
    try:
        client.ping()
    except BaseException:
        client.close()
        raise
    return client


def _check_unix_socket(host: str | None) -> None:
    """Connect to a unix socket host once, closing the socket (the SDK leaks it on failure)."""
    if host is None and os.name == "posix":
        host = "unix:///var/run/docker.sock"
    if host is None or not host.startswith("unix://"):
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(5)
        probe.connect(host.removeprefix("unix://"))


def _context(request: BuildRequest) -> tuple[Any, str | None]:
    """The context tar (honouring .dockerignore) and the Dockerfile's name inside it."""
    from docker import utils
    from docker.api.build import process_dockerfile

    path = str(request.context)
    exclude = None
    ignore = request.context / ".dockerignore"
    if ignore.is_file():
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
        exclude = [x.strip() for x in lines if x.strip() and not x.strip().startswith("#")]
    dockerfile = process_dockerfile(str(request.dockerfile), path)
    return utils.tar(path, exclude=exclude, dockerfile=dockerfile), dockerfile[0]


def _messages(response: Any) -> Iterator[dict[str, Any]]:
    for raw in response.iter_lines():
        if raw:
            try:
                message = json.loads(raw)
            except ValueError:
                message = {"stream": raw.decode("utf-8", "replace") + "\n"}
            if isinstance(message, dict):
                yield message


def _shutdown(response: Any) -> None:
    """Wake the reader blocked on the response: shut its socket down, then close it."""
    connection = getattr(getattr(response, "raw", None), "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(Exception):
        response.close()


def run_build_api(
    request: BuildRequest,
    *,
    on_line: Callable[[str], None],
    token: CancelToken | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> BuildOutcome:
    """Like :func:`gobuildgui.core.build.run_build`, through the Engine API (classic builder)."""
    started = time.monotonic()
    last: deque[str] = deque(maxlen=LAST_LINES)

    def emit(line: str) -> None:
        last.append(line)
        on_line(line)

    def note(text: str) -> None:
        emit(NOTE_PREFIX + redact(text))

    def outcome(rc: int, **kw: Any) -> BuildOutcome:
        return BuildOutcome(
            rc=rc,
            cancelled=kw.pop("cancelled", False),
            duration=time.monotonic() - started,
            image_id=kw.pop("image_id", None),
            last_lines=tuple(last),
            builder="classic",
            **kw,
        )

    if request.buildkit:
        note("BuildKit needs the docker CLI; the Docker API builds with the classic builder")
    try:
        import docker  # noqa: F401  (a dependency; checked here for a clear message)
    except ImportError:
        msg = "no docker CLI and no Docker SDK for Python: install the Docker CLI"
        note(msg)
        return outcome(127, error=msg)
    host = request.docker_host or os.environ.get("DOCKER_HOST") or "the default Docker socket"
    try:
        _check_unix_socket(request.docker_host or os.environ.get("DOCKER_HOST"))
        client = _client(request, timeout)
    except Exception as exc:  # DockerException, requests' ConnectionError, OSError
        msg = (
            f"the Docker daemon at {host} is not reachable ({type(exc).__name__}): start Docker"
            " (or set the Docker host to a running daemon) and build again"
        )
        note(msg)
        return outcome(1, error=msg)
    try:
        context, dockerfile = _context(request)
    except OSError as exc:
        client.close()
        msg = f"cannot read the build context {request.context}: {exc.strerror or exc}"
        note(msg)
        return outcome(2, error=msg)
    params: dict[str, Any] = {"dockerfile": dockerfile, "rm": True, "nocache": request.no_cache}
    if request.tag:
        params["t"] = request.tag
    if request.target:
        params["target"] = request.target
    if request.network:
        params["networkmode"] = request.network
    if request.build_args:
        params["buildargs"] = json.dumps(dict(request.build_args))
    note(f"classic builder via the Docker API at {host}: build {request.context}")

    items: queue.Queue[Any] = queue.Queue()
    holder: dict[str, Any] = {}

    def read() -> None:
        try:
            response = client.post(
                f"{client.base_url}/v{client.api_version}/build",
                params=params,
                data=context,
                headers={"Content-Type": "application/tar"},
                stream=True,
            )
            holder["response"] = response
            if response.status_code != 200:
                items.put({"error": f"{response.status_code} {response.text.strip()}"})
                return
            for message in _messages(response):
                items.put(message)
        except Exception as exc:
            items.put({"exception": exc})
        finally:
            items.put(_DONE)

    reader = threading.Thread(target=read, name="docker-api-build", daemon=True)
    reader.start()
    deadline = started + timeout
    cancelled = timed_out = False
    error: str | None = None
    image_id: str | None = None
    partial = ""
    try:
        while True:
            try:
                item = items.get(timeout=0.1)
            except queue.Empty:
                if token is not None and token.is_set():
                    cancelled = True
                    break
                if time.monotonic() > deadline:
                    timed_out = True
                    break
                continue
            if item is _DONE:
                break
            if "stream" in item:
                partial += str(item["stream"])
                *complete, partial = partial.split("\n")
                for line in complete:
                    emit(redact(line.rstrip("\r")))
            elif "aux" in item and isinstance(item["aux"], dict) and "ID" in item["aux"]:
                image_id = str(item["aux"]["ID"])
            elif "error" in item:
                error = redact(str(item["error"]).strip())
                emit(error)
            elif "exception" in item and not (token is not None and token.is_set()):
                kind = type(item["exception"]).__name__
                error = (
                    f"the Docker daemon at {host} is not reachable ({kind}):"
                    " start Docker (or set the Docker host to a running daemon) and build again"
                )
                note(error)
            elif "status" in item:  # image pulls
                emit(redact(str(item["status"])))
    finally:
        response = holder.get("response")
        if response is not None and (cancelled or timed_out):
            _shutdown(response)
        reader.join(timeout=5)
        with contextlib.suppress(Exception):
            client.close()
        context.close()
    if partial:
        emit(redact(partial))
    if cancelled:
        note("build cancelled")
        return outcome(1, cancelled=True)
    if timed_out:
        msg = f"the build did not finish within {timeout:g} s and was stopped"
        note(msg)
        return outcome(1, timed_out=True, error=msg)
    if error is not None or image_id is None:
        return outcome(1, error=error if error and error.startswith("the Docker daemon") else None)
    return outcome(0, image_id=image_id)
