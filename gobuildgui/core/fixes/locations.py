"""Where Docker and Go keep the files the fixes edit, per platform.

Platforms (``FixContext.platform``):

- ``linux``: rootful Docker Engine (``/etc/docker/daemon.json``, systemd unit)
- ``linux-rootless``: rootless dockerd (``$XDG_CONFIG_HOME/docker/daemon.json``, else
  ``~/.config/docker/daemon.json``; user unit drop-ins under ``~/.config/systemd/user``)
- ``macos``: Docker Desktop (``~/.docker/daemon.json``, edited via Settings → Docker Engine)
- ``windows``: Docker Desktop (``%USERPROFILE%\\.docker\\daemon.json``)
- ``windows-server``: Docker Engine on Windows (``%ProgramData%\\docker\\config\\daemon.json``)

The client's ``config.json`` is ``$DOCKER_CONFIG/config.json`` or ``~/.docker/config.json``
everywhere. Go's env file is ``$GOENV`` if set (``off`` disables it), else
``os.UserConfigDir()/go/env``: ``$XDG_CONFIG_HOME`` or ``~/.config`` on Linux,
``~/Library/Application Support`` on macOS, ``%AppData%`` on Windows.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path, PureWindowsPath

from gobuildgui.core.fixes.model import Target

PLATFORMS = ("linux", "linux-rootless", "macos", "windows", "windows-server")
_WINDOWS = frozenset({"windows", "windows-server"})

# Units and drop-ins whose ExecStart may pass dockerd flags (rootful Linux).
SYSTEM_SERVICE_FILES = (
    Path("/lib/systemd/system/docker.service"),
    Path("/usr/lib/systemd/system/docker.service"),
    Path("/etc/systemd/system/docker.service"),
)
SYSTEM_DROPIN_DIR = Path("/etc/systemd/system/docker.service.d")


def detect_platform(env: Mapping[str, str] | None = None) -> str:
    """A best guess of the platform this process runs on.

    Linux counts as rootless when ``DOCKER_HOST`` points at a socket under
    ``$XDG_RUNTIME_DIR`` (what ``dockerd-rootless-setuptool.sh`` tells users to set).
    """
    env = os.environ if env is None else env
    if sys.platform == "darwin":
        return "macos"
    if sys.platform == "win32":
        return "windows"
    host = env.get("DOCKER_HOST", "")
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and host.startswith(f"unix://{runtime}/"):
        return "linux-rootless"
    return "linux"


def _home(platform: str, env: Mapping[str, str]) -> str:
    if platform in _WINDOWS:
        return env.get("USERPROFILE") or env.get("HOME") or "C:\\Users\\Default"
    return env.get("HOME") or str(Path.home())


def _join(platform: str, base: str, *parts: str) -> Path:
    if platform in _WINDOWS:
        return Path(str(PureWindowsPath(base, *parts)))
    return Path(base, *parts)


def user_config_dir(platform: str, env: Mapping[str, str]) -> Path:
    """Go's ``os.UserConfigDir()`` for ``platform``."""
    if platform in _WINDOWS:
        appdata = env.get("APPDATA") or str(
            PureWindowsPath(_home(platform, env), "AppData", "Roaming")
        )
        return _join(platform, appdata)
    if platform == "macos":
        return _join(platform, _home(platform, env), "Library", "Application Support")
    xdg = env.get("XDG_CONFIG_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg)
    return Path(_home(platform, env), ".config")


def daemon_json_path(platform: str, env: Mapping[str, str]) -> Path:
    """The daemon.json the daemon of ``platform`` reads by default."""
    if platform == "linux":
        return Path("/etc/docker/daemon.json")
    if platform == "linux-rootless":
        return user_config_dir(platform, env) / "docker" / "daemon.json"
    if platform == "windows-server":
        data = env.get("ProgramData") or env.get("PROGRAMDATA") or "C:\\ProgramData"
        return _join(platform, data, "docker", "config", "daemon.json")
    return _join(platform, _home(platform, env), ".docker", "daemon.json")


def client_config_path(platform: str, env: Mapping[str, str]) -> Path:
    """The Docker CLI's config.json (``DOCKER_CONFIG`` honoured)."""
    folder = env.get("DOCKER_CONFIG")
    if folder:
        return _join(platform, folder, "config.json")
    return _join(platform, _home(platform, env), ".docker", "config.json")


def go_env_path(platform: str, env: Mapping[str, str]) -> Path | None:
    """Go's env file (``GOENV`` honoured); None when ``GOENV=off``."""
    goenv = env.get("GOENV")
    if goenv == "off":
        return None
    if goenv:
        return _join(platform, goenv)
    return _join(platform, str(user_config_dir(platform, env)), "go", "env")


def systemd_dropin_path(platform: str, env: Mapping[str, str]) -> Path | None:
    """The proxy drop-in of the docker service; None where there is no systemd."""
    if platform == "linux":
        return SYSTEM_DROPIN_DIR / "http-proxy.conf"
    if platform == "linux-rootless":
        base = user_config_dir(platform, env)
        return base / "systemd" / "user" / "docker.service.d" / "http-proxy.conf"
    return None


def service_files(platform: str, env: Mapping[str, str]) -> tuple[Path, ...]:
    """The unit files and drop-ins that define dockerd's command line."""
    if platform == "linux":
        dropins = sorted(SYSTEM_DROPIN_DIR.glob("*.conf")) if SYSTEM_DROPIN_DIR.is_dir() else []
        return (*SYSTEM_SERVICE_FILES, *dropins)
    if platform == "linux-rootless":
        user = user_config_dir(platform, env) / "systemd" / "user"
        folder = user / "docker.service.d"
        dropins = sorted(folder.glob("*.conf")) if folder.is_dir() else []
        return (user / "docker.service", *dropins)
    return ()


def default_path(target: Target, platform: str, env: Mapping[str, str]) -> Path | None:
    """The default file of ``target`` on ``platform`` (None: there is none)."""
    if target is Target.DAEMON_JSON:
        return daemon_json_path(platform, env)
    if target is Target.CLIENT_CONFIG:
        return client_config_path(platform, env)
    if target is Target.GO_ENV:
        return go_env_path(platform, env)
    if target is Target.SYSTEMD_DROPIN:
        return systemd_dropin_path(platform, env)
    return None
