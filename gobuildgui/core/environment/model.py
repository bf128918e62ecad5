"""Plain data of environment discovery: settings with their origin, resolv.conf views."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from gobuildgui.core.secrets import redact


class SourceKind(enum.Enum):
    """Where a setting lives; the GUI groups by this, ``Setting.source`` says exactly where."""

    PROCESS_ENV = "process env"
    GO_ENV_FILE = "go env file"
    GO_TOOL = "go env (go tool)"
    GOROOT_ENV = "$GOROOT/go.env"
    GO_DEFAULT = "go default"
    DOCKER_CLIENT = "docker client config"
    DAEMON_JSON = "daemon.json"
    SYSTEMD = "systemd drop-in"
    DOCKER_INFO = "docker info"
    DOCKERFILE = "Dockerfile"
    RESOLV_CONF = "resolv.conf"


@dataclass(frozen=True)
class Setting:
    """One value in force, e.g. ``GOPROXY`` from ``go env file /home/u/.config/go/env``.

    ``value`` is raw (probes need the real proxy URL); show ``display_value``, which has
    credentials masked. ``value`` is None for a Dockerfile ``ARG`` without a default (its
    value comes from ``--build-arg`` or the client's proxies at build time).
    """

    name: str
    value: str | None
    source: str
    kind: SourceKind
    path: Path | None = None
    line: int | None = None
    note: str = ""

    @property
    def display_value(self) -> str:
        if self.value is None:
            return "(set at build time)"
        return redact(self.value)

    def describe(self) -> str:
        note = f"; {self.note}" if self.note else ""
        return f"{self.name}={self.display_value}  [{self.source}{note}]"


@dataclass(frozen=True)
class ResolvConf:
    """The resolv.conf a container or build step gets, and why."""

    nameservers: tuple[str, ...]
    search: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    source: str = ""
    notes: tuple[str, ...] = ()
    fallback: bool = False  # Google's public servers were put in because nothing was left

    def text(self) -> str:
        lines = [f"nameserver {ns}" for ns in self.nameservers]
        if self.search:
            lines.append("search " + " ".join(self.search))
        if self.options:
            lines.append("options " + " ".join(self.options))
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class BuildResolv:
    """resolv.conf as Docker computes it for RUN steps, per builder and network mode."""

    host_file: Path
    host: ResolvConf  # what the host file says (after following systemd-resolved)
    classic_bridge: ResolvConf  # classic builder, default bridge network
    classic_host: ResolvConf  # classic builder, --network host
    buildkit_default: ResolvConf  # built-in BuildKit, default network
    buildkit_host: ResolvConf  # built-in BuildKit, --network host


@dataclass(frozen=True)
class Environment:
    """Everything :func:`~gobuildgui.core.environment.discover` found, grouped by where it lives."""

    process: tuple[Setting, ...] = ()  # proxy variables of this process
    go: tuple[Setting, ...] = ()  # Go's settings on the host, each from where Go takes it
    docker_client: tuple[Setting, ...] = ()  # ~/.docker/config.json proxies
    daemon: tuple[Setting, ...] = ()  # daemon.json, systemd drop-ins, docker info
    dockerfile: tuple[Setting, ...] = ()  # ARG/ENV seen by the go command that downloads
    resolv: BuildResolv | None = None
    go_env_file: Path | None = None
    docker_config_file: Path | None = None
    daemon_files: tuple[Path, ...] = ()
    dockerfile_path: Path | None = None
    dockerfile_step_line: int | None = None  # the RUN line of `go mod download` (1-based)
    problems: tuple[str, ...] = ()  # unreadable or invalid files, timeouts (redacted)
    notes: tuple[str, ...] = field(default=())

    def settings(self) -> tuple[Setting, ...]:
        return self.process + self.go + self.docker_client + self.daemon + self.dockerfile

    def find(self, name: str, kind: SourceKind | None = None) -> tuple[Setting, ...]:
        return tuple(
            s for s in self.settings() if s.name == name and (kind is None or s.kind is kind)
        )

    def first(self, name: str, kind: SourceKind | None = None) -> Setting | None:
        found = self.find(name, kind)
        return found[0] if found else None


@dataclass(frozen=True)
class Effective:
    """What a ``RUN go mod download`` step sees for one variable, and why.

    ``value`` None: unset in the step. ``ignored`` lists settings found elsewhere that do
    NOT reach the step, each with the reason, so the UI can say "your daemon proxy is not
    what the build uses".
    """

    name: str
    value: str | None
    source: str
    reason: str
    ignored: tuple[tuple[Setting, str], ...] = ()

    @property
    def display_value(self) -> str:
        return "(unset)" if self.value is None else redact(self.value)
