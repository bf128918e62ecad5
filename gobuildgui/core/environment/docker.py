"""Docker's settings: client config.json proxies, daemon.json, systemd drop-ins, docker info."""

from __future__ import annotations

import hashlib
import json
import shlex
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PureWindowsPath
from typing import Any

from gobuildgui.core.environment.model import Setting, SourceKind

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"
# config.json ProxyConfig field -> the variable it becomes in builds and containers.
CLIENT_PROXY_FIELDS = {
    "httpProxy": "HTTP_PROXY",
    "httpsProxy": "HTTPS_PROXY",
    "noProxy": "NO_PROXY",
    "ftpProxy": "FTP_PROXY",
    "allProxy": "ALL_PROXY",
}
PROXY_VARIABLES = (
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
    "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
)  # fmt: skip
# daemon.json keys that matter for builds that download Go modules.
DAEMON_KEYS = (
    "dns", "dns-opts", "dns-search", "registry-mirrors", "insecure-registries", "mtu", "bip",
    "default-address-pools", "proxies", "features", "data-root", "hosts",
)  # fmt: skip


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- client ~/.docker/config.json ------------------------------------------------------------
def docker_config_file(environ: Mapping[str, str], home: Path | None) -> Path | None:
    """``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``."""
    if environ.get("DOCKER_CONFIG"):
        return Path(environ["DOCKER_CONFIG"]) / "config.json"
    base = environ.get("HOME") or (str(home) if home else "")
    return Path(base) / ".docker" / "config.json" if base else None


def docker_host_setting(
    environ: Mapping[str, str], config_file: Path | None, problems: list[str]
) -> Setting:
    """The daemon the CLI talks to: ``DOCKER_HOST``, else the current context's endpoint
    (``DOCKER_CONTEXT`` or config.json ``currentContext``), else the default socket."""
    if environ.get("DOCKER_HOST"):
        return Setting("DOCKER_HOST", environ["DOCKER_HOST"], "process env", SourceKind.PROCESS_ENV)
    context = environ.get("DOCKER_CONTEXT", "")
    source = "DOCKER_CONTEXT"
    if not context and config_file is not None:
        data = _read_json(config_file, [])  # its problems are reported with the proxies
        if isinstance(data, dict) and isinstance(data.get("currentContext"), str):
            context = data["currentContext"]
            source = f"{config_file} currentContext"
    if context and context != "default" and config_file is not None:
        digest = hashlib.sha256(context.encode()).hexdigest()
        meta = config_file.parent / "contexts" / "meta" / digest / "meta.json"
        data = _read_json(meta, problems)
        endpoints = data.get("Endpoints") if isinstance(data, dict) else None
        endpoint = endpoints.get("docker") if isinstance(endpoints, dict) else None
        host = endpoint.get("Host") if isinstance(endpoint, dict) else None
        if isinstance(host, str) and host:
            return Setting(
                "DOCKER_HOST", host, f"docker context {context!r} ({source}, {meta})",
                SourceKind.DOCKER_CLIENT, meta,
            )  # fmt: skip
        problems.append(f"docker context {context!r} ({source}): no endpoint in {meta}")
    return Setting("DOCKER_HOST", DEFAULT_DOCKER_HOST, "Docker's default", SourceKind.DOCKER_CLIENT)


def client_proxies(path: Path, docker_host: str, problems: list[str]) -> tuple[Setting, ...]:
    """The proxies the CLI injects: the entry for ``docker_host`` if any, else ``default``.

    Entries are not merged (docker/cli ParseProxyConfig).
    """
    data = _read_json(path, problems)
    if not isinstance(data, dict):
        return ()
    proxies = data.get("proxies")
    if proxies is None:
        return ()
    if not isinstance(proxies, dict):
        problems.append(f'{path}: "proxies" is not an object')
        return ()
    key = docker_host if docker_host in proxies else "default"
    entry = proxies.get(key)
    if not isinstance(entry, dict):
        return ()
    out = []
    for field, variable in CLIENT_PROXY_FIELDS.items():
        value = entry.get(field)
        if isinstance(value, str) and value:
            out.append(
                Setting(
                    variable,
                    value,
                    f"{path} proxies.{key}.{field}",
                    SourceKind.DOCKER_CLIENT,
                    path,
                )
            )
    return tuple(out)


# --- daemon.json --------------------------------------------------------------------------------
def daemon_json_paths(
    environ: Mapping[str, str], platform: str, home: Path | None
) -> tuple[Path, ...]:
    """Where daemons read daemon.json on ``platform``, most common first."""
    base = environ.get("HOME") or (str(home) if home else "")
    if platform.startswith("win"):
        program_data = environ.get("ProgramData") or environ.get("PROGRAMDATA") or "C:\\ProgramData"
        paths = [Path(str(PureWindowsPath(program_data) / "docker" / "config" / "daemon.json"))]
        if base:
            paths.append(Path(base) / ".docker" / "daemon.json")  # Docker Desktop
        return tuple(paths)
    paths = [] if platform == "darwin" else [Path("/etc/docker/daemon.json")]
    xdg = environ.get("XDG_CONFIG_HOME")
    if xdg:
        paths.append(Path(xdg) / "docker" / "daemon.json")  # rootless
    elif base:
        paths.append(Path(base) / ".config" / "docker" / "daemon.json")  # rootless
    if base:
        paths.append(Path(base) / ".docker" / "daemon.json")  # Docker Desktop
    return tuple(paths)


def daemon_settings(path: Path, problems: list[str]) -> tuple[Setting, ...]:
    data = _read_json(path, problems, allow_empty=True)
    if data is None:
        return ()
    if not isinstance(data, dict):
        problems.append(f"{path}: the top level is not a JSON object")
        return ()
    out = []
    source = f"daemon.json {path}"
    for key in DAEMON_KEYS:
        if key not in data:
            continue
        value = data[key]
        if key == "proxies" and isinstance(value, dict):
            for sub in ("http-proxy", "https-proxy", "no-proxy"):
                if sub in value:
                    out.append(
                        Setting(
                            f"proxies.{sub}", _text(value[sub]), source, SourceKind.DAEMON_JSON,
                            path, note="daemon's own pulls only (Docker >= 23)",
                        )
                    )  # fmt: skip
            continue
        if key == "features" and isinstance(value, dict):
            for sub, flag in value.items():
                out.append(
                    Setting(f"features.{sub}", _text(flag), source, SourceKind.DAEMON_JSON, path)
                )
            continue
        out.append(Setting(key, _text(value), source, SourceKind.DAEMON_JSON, path))
    return tuple(out)


def _read_json(path: Path, problems: list[str], *, allow_empty: bool = False) -> Any:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        problems.append(f"cannot read {path}: {exc.strerror or exc}")
        return None
    text = raw.decode("utf-8-sig", errors="replace")
    if not text.strip():
        return {} if allow_empty else None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        return None


# --- systemd drop-ins ------------------------------------------------------------------------
def systemd_dropin_dirs(environ: Mapping[str, str], home: Path | None) -> tuple[Path, ...]:
    dirs = [
        Path("/etc/systemd/system/docker.service.d"),
        Path("/run/systemd/system/docker.service.d"),
    ]
    base = environ.get("HOME") or (str(home) if home else "")
    if base:
        dirs.append(Path(base) / ".config" / "systemd" / "user" / "docker.service.d")
    return tuple(dirs)


def systemd_settings(directories: Iterable[Path], problems: list[str]) -> tuple[Setting, ...]:
    """Proxy variables from ``Environment=`` lines of ``*.conf`` drop-ins."""
    out: list[Setting] = []
    for directory in directories:
        try:
            files = sorted(p for p in directory.glob("*.conf") if p.is_file())
        except OSError:
            continue
        for path in files:
            try:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError as exc:
                problems.append(f"cannot read {path}: {exc.strerror or exc}")
                continue
            for number, line in enumerate(lines, 1):
                for name, value in _environment_assignments(line):
                    if name in PROXY_VARIABLES:
                        out.append(
                            Setting(
                                name, value, f"systemd drop-in {path}", SourceKind.SYSTEMD,
                                path, number, "daemon's own pulls only, not RUN steps",
                            )
                        )  # fmt: skip
    return tuple(out)


def _environment_assignments(line: str) -> list[tuple[str, str]]:
    stripped = line.strip()
    key, eq, rest = stripped.partition("=")
    if not eq or key.strip() != "Environment":
        return []
    try:
        words = shlex.split(rest, posix=True)
    except ValueError:
        words = rest.split()
    pairs = []
    for word in words:
        name, eq, value = word.partition("=")
        if eq:
            pairs.append((name, value.replace("%%", "%")))  # systemd's escape of %
    return pairs


# --- docker info through the SDK ------------------------------------------------------------
InfoFetcher = Callable[[str, float], Mapping[str, Any]]


def sdk_info(host: str, timeout: float) -> Mapping[str, Any]:
    """``docker info`` over the API (the docker SDK); raises on any failure.

    A fixed, old API version (1.25, accepted by every daemon since 2017) spares the
    version round trip and lets the client be closed even when the daemon is absent.
    """
    import docker

    if host.startswith("unix://"):
        # The SDK leaks its socket when a unix connect fails; find that out first ourselves.
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(timeout)
            probe.connect(host[len("unix://") :])
    client = docker.APIClient(base_url=host, timeout=timeout, version="1.25")
    try:
        info: Mapping[str, Any] = client.info()
        return info
    finally:
        client.close()


def docker_info_settings(
    host: str,
    timeout: float,
    problems: list[str],
    fetch: InfoFetcher = sdk_info,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[Setting, ...]:
    """Proxy, mirror and version facts of a running daemon; nothing if none answers.

    The call runs in a helper thread with a hard deadline, so a daemon that accepts and
    never answers cannot hold discovery longer than ``timeout``.
    """
    result: list[Mapping[str, Any]] = []
    errors: list[str] = []

    def call() -> None:
        try:
            result.append(fetch(host, timeout))
        except Exception as exc:  # any SDK/transport error means "no daemon answered"
            errors.append(f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=call, name="env-docker-info", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout + 0.5
    while thread.is_alive() and time.monotonic() < deadline:
        if cancelled is not None and cancelled():
            problems.append(f"docker info ({host}): cancelled")
            return ()
        thread.join(0.05)
    if not result:
        reason = errors[0] if errors else f"no answer within {timeout:g} s"
        problems.append(f"docker info ({host}): {reason[:300]}")
        return ()
    info = result[0]
    source = f"docker info ({host})"
    out = []
    for key, name in (
        ("ServerVersion", "ServerVersion"),
        ("OperatingSystem", "OperatingSystem"),
        ("HttpProxy", "HTTP_PROXY"),
        ("HttpsProxy", "HTTPS_PROXY"),
        ("NoProxy", "NO_PROXY"),
    ):
        value = info.get(key)
        if isinstance(value, str) and value:
            note = "" if name == key else "daemon's own pulls only, not RUN steps"
            out.append(Setting(name, value, source, SourceKind.DOCKER_INFO, note=note))
    registry = info.get("RegistryConfig")
    mirrors = registry.get("Mirrors") if isinstance(registry, dict) else None
    if mirrors:
        out.append(Setting("registry-mirrors", _text(mirrors), source, SourceKind.DOCKER_INFO))
    return tuple(out)
