"""The data of a fix: settings the user types, the plan of file changes, and the errors.

Everything here is a frozen dataclass or an exception; nothing reads or writes files.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gobuildgui.core.errors import Error
from gobuildgui.core.model import Applicability, Diagnostic


class FieldKind(enum.Enum):
    """How the wizard renders a setting and how it is checked."""

    TEXT = "text"
    URL = "url"  # one URL
    URL_LIST = "url-list"  # comma or newline separated URLs
    IP_LIST = "ip-list"  # comma or newline separated IP addresses
    HOST_LIST = "host-list"  # comma separated host names / patterns / CIDRs
    PATTERN_LIST = "pattern-list"  # Go module path globs, comma separated
    INT = "int"
    CIDR = "cidr"
    BOOL = "bool"  # "true" / "false"
    CHOICE = "choice"  # one of ``Field.choices``
    SECRET = "secret"  # masked while typed and in every display
    PATH = "path"


Validator = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Field:
    """One setting a fix takes, validated as the user types.

    ``validate(value)`` returns None when the value is acceptable, else a one-line
    message saying what is wrong and what to type instead. An empty value means
    "remove this setting" for fields that are not ``required``.
    """

    name: str
    label: str
    kind: FieldKind
    help: str = ""
    default: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False
    secret: bool = False  # mask in the UI and in every plan display
    placeholder: str = ""
    check: Validator | None = field(default=None, compare=False, repr=False)

    def validate(self, value: str) -> str | None:
        """The error message for ``value``, or None when it is acceptable."""
        text = value.strip()
        if not text:
            return f"{self.label} is required" if self.required else None
        if self.kind is FieldKind.BOOL and text.lower() not in {"true", "false"}:
            return f"{self.label}: type true or false, not {value!r}"
        if self.kind is FieldKind.CHOICE and self.choices and text not in self.choices:
            return f"{self.label}: choose one of {', '.join(self.choices)} (not {value!r})"
        if self.check is not None:
            return self.check(text)
        return None


@dataclass(frozen=True)
class FixOption:
    """One way to cure the cause, with its trade-off.

    Presets for this fix's fields (``settings``); or a pointer to another fix
    (``fix_id``) that reaches the same goal differently; or ``manual``: a command the
    user runs instead, changing no file (``docker build --network host .``).
    """

    option_id: str
    title: str
    tradeoff: str
    settings: Mapping[str, str] = field(default_factory=dict)
    fix_id: str | None = None
    recommended: bool = False
    manual: str = ""


@dataclass(frozen=True)
class FileChange:
    """One file a plan changes: its text before and after.

    ``old_text`` is None for a file that does not exist yet. ``old_digest`` is the
    SHA-256 of the bytes read at planning time ("" for a new file); the writer refuses
    when the bytes on disk differ from it. ``encoding`` is ``utf-8`` or ``utf-8-sig``
    (a UTF-8 file that starts with a byte-order mark keeps it).
    """

    path: Path
    old_text: str | None
    new_text: str
    old_digest: str
    description: str
    needs_root: bool = False
    encoding: str = "utf-8"
    mode: int | None = None  # permission bits of the existing file (or to create with)
    owner: tuple[int, int] | None = None  # (uid, gid) of the existing file

    @property
    def is_new(self) -> bool:
        """Whether the file is created by the change."""
        return self.old_text is None

    @property
    def new_bytes(self) -> bytes:
        """The bytes to write."""
        return self.new_text.encode(self.encoding)

    @property
    def changed(self) -> bool:
        """Whether applying the change would alter the file."""
        return self.old_text != self.new_text


@dataclass(frozen=True)
class Followup:
    """Something the user must do after the files are written (core never runs it)."""

    description: str
    command: str | None = None  # the exact command, when there is one


@dataclass(frozen=True)
class FixPlan:
    """A fix as data: the files it changes and everything the user must know.

    ``secrets`` lists values (passwords, URLs with credentials) that every display
    of this plan must mask; :func:`gobuildgui.core.fixes.write.unified_diff` does so.
    """

    fix_id: str
    title: str
    summary: str
    changes: tuple[FileChange, ...]
    applicability: Applicability = Applicability.SAFE
    followups: tuple[Followup, ...] = ()
    verify_probes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    commands_to_copy: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()

    @property
    def needs_root(self) -> bool:
        """Whether any file of the plan can only be written as root."""
        return any(c.needs_root for c in self.changes)

    @property
    def is_empty(self) -> bool:
        """Whether applying the plan would change nothing."""
        return not any(c.changed for c in self.changes)


def digest(data: bytes | None) -> str:
    """SHA-256 hex of ``data`` ("" for a file that does not exist)."""
    return "" if data is None else hashlib.sha256(data).hexdigest()


class Target(enum.Enum):
    """The kinds of file a fix edits."""

    DAEMON_JSON = "daemon-json"
    CLIENT_CONFIG = "client-config"
    GO_ENV = "go-env"
    SYSTEMD_DROPIN = "systemd-dropin"
    DOCKERFILE = "dockerfile"


# -- errors -------------------------------------------------------------------------


class FixError(Error):
    """A fix cannot be planned or applied; ``str(err)`` says what happened and what to do."""


class InvalidSettingsError(FixError):
    """Settings that fail their field's validation (``errors``: name -> message)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class RefusedError(FixError):
    """An editor will not touch a file (invalid JSON, duplicate keys, UTF-16, ...).

    ``reason`` says what is wrong (with line and column where known), ``hint`` how
    to get out (fix by hand, the exact command, or point at another file).
    """

    def __init__(self, path: Path, reason: str, hint: str) -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        super().__init__(f"{path}: {reason}. {hint}")


class UnknownFixError(FixError):
    """A fix id that is not in the catalogue."""


@dataclass(frozen=True)
class FixContext:
    """Where things are and what is known about the machine, for planning a fix.

    ``env`` is the environment used to find files (HOME, XDG_CONFIG_HOME, GOENV,
    DOCKER_CONFIG, APPDATA, USERPROFILE, ProgramData); ``overrides`` points a target
    at another file (``--file``). ``daemon_version`` (e.g. "20.10.24") decides
    between daemon.json ``proxies`` (>= 23) and the systemd drop-in; None = unknown.
    ``service_files`` are the systemd units and drop-ins whose ExecStart is checked
    for dockerd flags that would clash with daemon.json keys (None = the defaults of
    the platform). ``diagnostics`` are the lint findings of ``dockerfile``.
    ``euid`` None means the current process's.
    """

    platform: str = "linux"
    env: Mapping[str, str] = field(default_factory=dict)
    overrides: Mapping[Target, Path] = field(default_factory=dict)
    dockerfile: Path | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    daemon_version: str | None = None
    service_files: tuple[Path, ...] | None = None
    euid: int | None = None

    @classmethod
    def discover(
        cls,
        *,
        dockerfile: Path | None = None,
        env: Mapping[str, str] | None = None,
        platform: str | None = None,
        daemon_version: str | None = None,
        overrides: Mapping[Target, Path] | None = None,
        diagnostics: tuple[Diagnostic, ...] = (),
        ask_daemon: bool = False,
        timeout: float = 3.0,
    ) -> FixContext:
        """The context of this machine: its platform and environment.

        No I/O, unless ``ask_daemon``: then the daemon's version is asked for (one request
        to ``DOCKER_HOST``, at most ``timeout`` seconds; do it off the UI thread) when
        ``daemon_version`` is not given.
        """
        import os

        from gobuildgui.core.fixes import locations

        environ = dict(os.environ if env is None else env)
        if ask_daemon and daemon_version is None:
            from gobuildgui.core.fixes.daemon import daemon_version as ask

            daemon_version = ask(env=environ, timeout=timeout)
        return cls(
            platform=platform or locations.detect_platform(environ),
            env=environ,
            overrides=dict(overrides or {}),
            dockerfile=dockerfile,
            diagnostics=diagnostics,
            daemon_version=daemon_version,
        )

    def path_for(self, target: Target) -> Path | None:
        """The file a target means here (an override wins), None when there is none."""
        from gobuildgui.core.fixes import locations

        if target in self.overrides:
            return self.overrides[target]
        if target is Target.DOCKERFILE:
            return self.dockerfile
        return locations.default_path(target, self.platform, self.env)
