"""daemon.json edits and the systemd proxy drop-in of the Docker daemon.

:func:`edit_daemon_json` changes only the members it is given (see
:mod:`gobuildgui.core.fixes.jsonedit`) and returns the FileChange plus warnings:
a key that the service's ExecStart also passes as a flag makes dockerd refuse to start
(``the following directives are specified both as a flag and in the configuration
file``), so the plan says so, with the flag's file and the way out.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gobuildgui.core.fixes.files import TargetFile, read_target, split_lines
from gobuildgui.core.fixes.jsonedit import JsonEditor, JsonSyntaxError
from gobuildgui.core.fixes.model import FileChange, Followup, RefusedError

# dockerd flag -> daemon.json key (the key names the flag, plural for repeatable ones).
FLAG_KEYS = {
    "dns": "dns",
    "dns-opt": "dns-opts",
    "dns-search": "dns-search",
    "registry-mirror": "registry-mirrors",
    "insecure-registry": "insecure-registries",
    "mtu": "mtu",
    "bip": "bip",
    "http-proxy": "http-proxy",
    "https-proxy": "https-proxy",
    "no-proxy": "no-proxy",
    "host": "hosts",
    "H": "hosts",
    "data-root": "data-root",
    "storage-driver": "storage-driver",
    "s": "storage-driver",
    "default-address-pool": "default-address-pools",
}
# dockerd flags that exclude a daemon.json key (not the same option, but refused together).
EXCLUSIVE_FLAGS = {"bridge": "bip", "b": "bip"}
# Keys whose change a SIGHUP reload applies (dockerd's reload list).
RELOADABLE = frozenset(
    {
        "registry-mirrors",
        "insecure-registries",
        "features",
        "max-concurrent-downloads",
        "max-download-attempts",
        "debug",
        "labels",
        "live-restore",
    }
)


@dataclass(frozen=True)
class FlagClash:
    """A daemon.json key that the service definition also sets as a dockerd flag."""

    key: str
    flag: str  # as written, e.g. "--dns=10.0.0.2"
    source: Path
    exclusive: bool = False  # another option that dockerd refuses together with key

    def message(self, daemon_json: Path, file_value: Any) -> str:
        """dockerd's own refusal, and the way out."""
        if self.exclusive:
            return (
                f'dockerd will refuse to start: `{self.flag}` in {self.source} and "{self.key}"'
                f" in {daemon_json} exclude each other, and dockerd stops with: failed to start"
                " daemon: You specified -b & --bip, mutually exclusive options. Please specify"
                f' only one. Drop the flag, or leave "{self.key}" out of daemon.json.'
            )
        return (
            f"dockerd will refuse to start: `{self.flag}` in {self.source} sets the same option"
            f' as "{self.key}" in {daemon_json}, and dockerd stops with: unable to configure'
            f" the Docker daemon with file {daemon_json}: the following directives are specified"
            f" both as a flag and in the configuration file: {self.key}: (from flag: ..., from"
            f" file: {file_value})."
            f" Remove the flag (a drop-in with an empty `ExecStart=` line followed by the command"
            f' without it), or keep the flag and leave "{self.key}" out of daemon.json.'
        )


def _exec_start_words(text: str) -> list[str]:
    words: list[str] = []
    logical = re.sub(r"\\\r?\n", " ", text)
    for line in split_lines(logical):
        line = line.strip()
        if not line.startswith("ExecStart="):
            continue
        cmd = line[len("ExecStart=") :].strip()
        if not cmd:
            words = []  # an empty ExecStart= resets the list in a drop-in
            continue
        try:
            words = shlex.split(cmd.lstrip("-@+!:"))
        except ValueError:
            words = cmd.split()
    return words


def _unit_environment(text: str) -> tuple[dict[str, str], list[Path]]:
    """``Environment=`` assignments and ``EnvironmentFile=`` paths of a unit file."""
    env: dict[str, str] = {}
    files: list[Path] = []
    for line in split_lines(text):
        line = line.strip()
        if line.startswith("Environment="):
            try:
                words = shlex.split(line[len("Environment=") :])
            except ValueError:
                continue
            for w in words:
                name, sep, value = w.partition("=")
                if sep:
                    env[name] = value
        elif line.startswith("EnvironmentFile="):
            files.append(Path(line[len("EnvironmentFile=") :].strip().lstrip("-")))
    return env, files


def _read_env_file(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for line in split_lines(text):
        line = line.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        name, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[name.strip().removeprefix("export ").strip()] = value
    return out


def service_flag_clashes(files: Sequence[Path], keys: Sequence[str]) -> list[FlagClash]:
    """dockerd flags in the ExecStart of ``files`` that clash with daemon.json ``keys``.

    Later files win (drop-ins after the unit), like systemd's ExecStart override.
    ``$VAR``/``${VAR}`` in the command are expanded from the units' ``Environment=`` and
    ``EnvironmentFile=`` (Debian passes ``$DOCKER_OPTS`` from /etc/default/docker).
    """
    words: list[str] = []
    source: Path | None = None
    env: dict[str, str] = {}
    origin: dict[str, Path] = {}
    for f in files:
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = _exec_start_words(text)
        if "ExecStart=" in text:
            words, source = found, f
        assigned, env_files = _unit_environment(text)
        for name in assigned:
            origin[name] = f
        env.update(assigned)
        for ef in env_files:
            from_file = _read_env_file(ef)
            for name in from_file:
                origin[name] = ef
            env.update(from_file)
    if source is None:
        return []
    expanded: list[tuple[str, Path]] = []
    for w in words[1:]:
        m = re.fullmatch(r"\$(\w+)|\$\{(\w+)\}", w)
        if m is None:
            expanded.append((w, source))
            continue
        name = m.group(1) or m.group(2)
        value = env.get(name, "")
        where = origin.get(name, source)
        parts = value.split() if m.group(1) else [value]
        expanded += [(p, where) for p in parts if p]
    wanted = set(keys)
    out: list[FlagClash] = []
    for w, where in expanded:
        m = re.match(r"^--?([A-Za-z][\w-]*)", w)
        if not m:
            continue
        exclusive = EXCLUSIVE_FLAGS.get(m.group(1))
        if exclusive is not None:
            if exclusive in wanted and all(c.key != exclusive for c in out):
                out.append(FlagClash(exclusive, w, where, exclusive=True))
            continue
        key = FLAG_KEYS.get(m.group(1))
        if key and key in wanted and all(c.key != key for c in out):
            out.append(FlagClash(key, w, where))
    return out


def load_daemon_json(path: Path, *, euid: int | None = None) -> tuple[TargetFile, JsonEditor]:
    """Read daemon.json for editing; refuse invalid JSON with line and column."""
    target = read_target(path, euid=euid, what="daemon configuration")
    try:
        editor = JsonEditor(target.text or "")
    except JsonSyntaxError as exc:
        raise RefusedError(
            path,
            f"it is not valid JSON: {exc}",
            "dockerd would not start with it either. Fix that line by hand (or move the file"
            " away), then run the fix again; nothing was changed.",
        ) from None
    return target, editor


def edit_daemon_json(
    path: Path,
    values: Mapping[tuple[str, ...], Any],
    *,
    description: str,
    euid: int | None = None,
) -> tuple[FileChange, JsonEditor]:
    """Set (value not None) or remove (None) members of daemon.json."""
    target, editor = load_daemon_json(path, euid=euid)
    for key_path, value in values.items():
        try:
            if value is None:
                editor.remove(key_path)
            else:
                editor.set(key_path, value)
        except ValueError as exc:
            raise RefusedError(
                path, str(exc), "Fix that member by hand, then run the fix again."
            ) from None
    text = editor.text
    if target.text is None and not text.endswith("\n"):
        text += "\n"
    return target.change(text, description, new_mode=0o644), editor


def restart_followup(platform: str, keys: Sequence[str]) -> Followup:
    """Reload or restart, whichever the changed keys need."""
    reload_only = all(k in RELOADABLE for k in keys)
    if platform in {"macos", "windows"}:
        return Followup("Restart Docker Desktop (whale menu → Restart) to apply the change.")
    if platform == "windows-server":
        return Followup("Restart the docker service.", "Restart-Service docker")
    user = platform == "linux-rootless"
    sudo = "" if user else "sudo "
    scope = " --user" if user else ""
    if reload_only:
        return Followup(
            "Reload the daemon's configuration (these keys need no restart).",
            f"{sudo}systemctl{scope} reload docker",
        )
    return Followup(
        "Restart the Docker daemon: these keys are read only at start-up"
        " (running containers stop unless live-restore is on).",
        f"{sudo}systemctl{scope} restart docker",
    )


def _systemd_escape(value: str) -> str:
    # systemd expands %-specifiers in Environment=; a literal % is written %%.
    return value.replace("%", "%%").replace("\\", "\\\\").replace('"', '\\"')


def edit_proxy_dropin(
    path: Path, proxies: Mapping[str, str], *, euid: int | None = None
) -> FileChange:
    """The drop-in with ``Environment="HTTP_PROXY=..."`` lines for the daemon.

    ``proxies`` maps ``http``/``https``/``no`` to a value ("" removes it); variables
    not in it are left alone. Existing lines of the file are kept; the proxy variables
    (either case) are replaced in place, new ones are added to the ``[Service]`` section.
    """
    target = read_target(path, euid=euid, what="systemd drop-in")
    lines = split_lines((target.text or ""), keepends=True)
    names = {
        var: proxies[key]
        for key, var in (("http", "HTTP_PROXY"), ("https", "HTTPS_PROXY"), ("no", "NO_PROXY"))
        if key in proxies
    }
    env_re = re.compile(r'^\s*Environment\s*=\s*"?(?P<name>[A-Za-z_]+)=')
    done: set[str] = set()
    out: list[str] = []
    for line in lines:
        m = env_re.match(line)
        name = m.group("name").upper() if m else ""
        if name in names:
            value = names[name]
            if value and name not in done:
                out.append(f'Environment="{name}={_systemd_escape(value)}"\n')
                done.add(name)
            continue  # drop the lower-case twin and removed values
        out.append(line)
    new_lines = [
        f'Environment="{n}={_systemd_escape(v)}"\n' for n, v in names.items() if v and n not in done
    ]
    if new_lines:
        if not any(line.strip() == "[Service]" for line in out):
            if out and not out[-1].endswith("\n"):
                out[-1] += "\n"
            out.append("[Service]\n")
        idx = max(i for i, line in enumerate(out) if line.strip() == "[Service]") + 1
        while idx < len(out) and out[idx].strip() and not out[idx].lstrip().startswith("["):
            idx += 1
        out[idx:idx] = new_lines
    return target.change("".join(out), "daemon proxy environment (systemd drop-in)")


def supports_proxies_key(version: str | None) -> bool | None:
    """Whether a daemon of ``version`` reads ``proxies`` in daemon.json (Engine >= 23)."""
    if not version:
        return None
    m = re.match(r"(\d+)", version)
    return int(m.group(1)) >= 23 if m else None


def daemon_version(
    docker_host: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 5.0,
) -> str | None:
    """The Docker Engine version of the daemon at ``docker_host`` (default: ``DOCKER_HOST``
    of ``env``/the process, else ``/var/run/docker.sock``); None when it does not answer
    within ``timeout`` seconds or speaks TLS. One ``GET /version`` over a socket that is
    always closed. Call it off the UI thread.
    """
    import json
    import os
    import socket

    environ = os.environ if env is None else env
    host = docker_host or environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    try:
        if host.startswith("unix://") and hasattr(socket, "AF_UNIX"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            with sock:
                sock.connect(host[len("unix://") :])
                raw = _http_get(sock, "/version")
        elif host.startswith("tcp://") and not environ.get("DOCKER_TLS_VERIFY"):
            hostport = host[len("tcp://") :].rstrip("/")
            name, _, port = hostport.rpartition(":")
            with socket.create_connection((name.strip("[]"), int(port)), timeout=timeout) as sock:
                raw = _http_get(sock, "/version")
        else:
            return None
    except (OSError, ValueError):
        return None
    head, _, body = raw.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.") or b" 200 " not in head.split(b"\r\n", 1)[0]:
        return None
    try:
        version = json.loads(body.decode("utf-8", errors="replace")).get("Version")
    except (ValueError, AttributeError):
        return None
    return str(version) if version else None


def _http_get(sock: Any, path: str) -> bytes:
    sock.sendall(f"GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
    chunks: list[bytes] = []
    while True:
        data = sock.recv(65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)
        if sum(map(len, chunks)) > 1_000_000:
            raise ValueError("answer too long")
