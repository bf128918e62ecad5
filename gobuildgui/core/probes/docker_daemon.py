"""Docker daemon probe: ping, version and the settings that shape a build's network.

Through the docker SDK with a timeout. The daemon's own DNS servers are not in
``docker info``; they come from daemon.json (``ProbeTarget.daemon_dns``).
"""

from __future__ import annotations

from typing import Any

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeResult,
    ProbeSpec,
    ProbeTimeoutError,
    Status,
    call_in_thread,
)
from gobuildgui.core.probes.target import ProbeTarget


def docker_client(docker_host: str | None, timeout: float) -> Any:
    """A ``docker.DockerClient`` for ``docker_host`` (None: the environment's default)."""
    import docker

    seconds = max(1, int(timeout + 0.999))
    if docker_host:
        return docker.DockerClient(base_url=docker_host, timeout=seconds, version="auto")
    return docker.from_env(timeout=seconds)


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
        version, info = call_in_thread(query, token, deadline)
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
