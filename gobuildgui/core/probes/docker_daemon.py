"""Docker daemon probe: ping, version and the settings that shape a build's network.

Through the docker SDK with a timeout. The daemon's own DNS servers are not in
``docker info``; they come from daemon.json (``ProbeTarget.daemon_dns``).
"""

from __future__ import annotations

import socket
import warnings
from typing import Any

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeCancelled,
    ProbeResult,
    ProbeSpec,
    ProbeTimeoutError,
    Status,
    call_in_thread,
)
from gobuildgui.core.probes.target import ProbeTarget


def _load_sdk() -> Any:
    """Import the docker SDK now, on the importing (main) thread.

    Imported lazily from probe threads it raced with itself (a half-initialised
    ``requests``), and urllib3 warns while ``requests`` loads when PySocks is absent;
    the warning filter can only be changed safely while one thread runs, as here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
        try:
            import docker
        except ImportError:
            return None
    return docker


_SDK = _load_sdk()


def import_docker() -> Any:
    """The docker SDK module; ImportError when it is not installed."""
    if _SDK is None:
        raise ImportError("the docker Python SDK is not installed (pip install docker)")
    return _SDK


def docker_client(docker_host: str | None, timeout: float) -> Any:
    """A ``docker.DockerClient`` for ``docker_host`` (None: ``DOCKER_HOST`` or the default).

    The API version is asked first with a throw-away low-level client that is always
    closed (the SDK's own ``version="auto"`` leaks its socket when the daemon is absent).
    """
    docker = import_docker()
    seconds = max(1, int(timeout + 0.999))
    base_url = daemon_url(docker_host)
    probe = docker.APIClient(base_url=base_url, version="1.24", timeout=seconds)
    try:
        api = str(probe.version(api_version=False)["ApiVersion"])
    finally:
        probe.close()
    return docker.DockerClient(base_url=base_url, version=api, timeout=seconds)


def daemon_url(docker_host: str | None) -> str:
    """The daemon address the SDK will use."""
    import os

    return docker_host or os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def precheck(base_url: str, token: CancelToken, deadline: Deadline) -> None:
    """Connect once ourselves, so a missing daemon fails here, sliced and without leaks.

    (The SDK leaves its unix socket open when ``connect`` fails.) Raises OSError
    subclasses, :class:`ProbeTimeoutError` or ``ProbeCancelled``.
    """
    from urllib.parse import urlsplit

    from gobuildgui.core.probes.netio import connect, resolve

    parts = urlsplit(base_url)
    if parts.scheme in ("unix", "http+unix"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(max(0.05, deadline.slice(1.0)))
            sock.connect(parts.path)
        return
    if parts.scheme in ("tcp", "http", "https") and parts.hostname:
        port = parts.port or (2376 if parts.scheme == "https" else 2375)
        address = resolve(parts.hostname, port, token, deadline)[0]
        connect(address, port, token, deadline).close()


def daemon_error(exc: BaseException) -> str:
    """A short reason for a daemon connection failure."""
    text = str(exc)
    low = text.lower()
    if "permission denied" in low:
        return "permission denied on the socket (is the user in the docker group?)"
    if "no such file" in low or "filenotfound" in low:
        return "no daemon socket there"
    if "refused" in low:
        return "connection refused"
    if "timed out" in low or "timeout" in low:
        return "timed out"
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _buildkit(version: str, target: ProbeTarget) -> str:
    try:
        major = int(version.split(".", 1)[0])
    except ValueError:
        major = 0
    if target.daemon_buildkit is not None:
        return f"features.buildkit = {str(target.daemon_buildkit).lower()} (daemon.json)"
    if major >= 23:
        return "default builder (Engine 23+ on Linux)"
    return "classic builder by default (Engine < 23): BuildKit only with DOCKER_BUILDKIT=1"


def probe_docker(
    spec: ProbeSpec, token: CancelToken, deadline: Deadline, *, target: ProbeTarget
) -> ProbeResult:
    """Ping the daemon and report its version, BuildKit, DNS, mirrors and proxies."""
    where = target.docker_host or "the default (DOCKER_HOST or /var/run/docker.sock)"
    evidence: list[tuple[str, str]] = [("daemon", where)]

    def query() -> tuple[dict[str, Any], dict[str, Any]]:
        client = docker_client(target.docker_host, deadline.remaining())
        try:
            client.ping()
            return client.version(), client.info()
        finally:
            client.close()

    try:
        precheck(daemon_url(target.docker_host), token, deadline)
        version, info = call_in_thread(query, token, deadline)
    except ProbeCancelled:
        raise
    except ProbeTimeoutError:
        return spec.result(
            Status.FAILED,
            f"the Docker daemon did not answer within {deadline.seconds:g} s",
            evidence,
            "The socket accepted the connection but the daemon is hung or very busy.",
        )
    except Exception as exc:
        return spec.result(
            Status.FAILED,
            f"no Docker daemon: {daemon_error(exc)}",
            [*evidence, ("error", str(exc)[:300])],
            "Nothing else in the Docker checks can run. Start the daemon (systemctl start"
            " docker, or Docker Desktop) or point DOCKER_HOST at it.",
        )
    server = str(version.get("Version", "?"))
    evidence += [
        ("version", f"Engine {server}, API {version.get('ApiVersion', '?')}"),
        ("OS", f"{info.get('OperatingSystem', '?')} ({info.get('OSType', '?')})"),
        ("BuildKit", _buildkit(server, target)),
        ("DNS (daemon.json)", ", ".join(target.daemon_dns) or "not set: builds copy the host's"),
    ]
    mirrors = (info.get("RegistryConfig") or {}).get("Mirrors") or []
    evidence.append(("registry mirrors", ", ".join(mirrors) or "none"))
    proxies = [
        f"{key}={info[key]}" for key in ("HttpProxy", "HttpsProxy", "NoProxy") if info.get(key)
    ]
    evidence.append(("daemon proxies", "; ".join(proxies) or "none"))
    summary = f"Docker Engine {server} answers"
    if proxies:
        return spec.result(
            Status.OK,
            summary + " (with a daemon proxy)",
            evidence,
            "The daemon's proxy serves image pulls only; `RUN go mod download` does not see"
            " it. Builds get proxies from ~/.docker/config.json or --build-arg.",
            ("client-proxy",),
        )
    return spec.result(Status.OK, summary, evidence)
