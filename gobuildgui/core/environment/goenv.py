"""Go's settings on the host: the ``go env -w`` file, the environment, ``go env -json``."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from gobuildgui.core.environment.model import Setting, SourceKind

# The Go variables a module download depends on, in display order.
GO_VARIABLES = (
    "GOPROXY",
    "GOSUMDB",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOINSECURE",
    "GOFLAGS",
    "GOAUTH",
    "GOTOOLCHAIN",
    "GOMODCACHE",
    "GOPATH",
    "GOVCS",
)
GO_DEFAULTS = {"GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org"}


def user_config_dir(
    environ: Mapping[str, str], platform: str, home: Path | None
) -> PurePosixPath | PureWindowsPath | Path | None:
    """``os.UserConfigDir()`` of Go for ``platform`` (``linux``, ``darwin``, ``win32``)."""
    if platform.startswith("win"):
        appdata = environ.get("AppData") or environ.get("APPDATA")
        return PureWindowsPath(appdata) if appdata else None
    if platform == "darwin":
        base = environ.get("HOME") or (str(home) if home else "")
        return Path(base) / "Library" / "Application Support" if base else None
    xdg = environ.get("XDG_CONFIG_HOME", "")
    if xdg and PurePosixPath(xdg).is_absolute():  # Go ignores a relative XDG_CONFIG_HOME
        return Path(xdg)
    base = environ.get("HOME") or (str(home) if home else "")
    return Path(base) / ".config" if base else None


def go_env_file(environ: Mapping[str, str], platform: str, home: Path | None) -> Path | None:
    """Where ``go env -w`` writes: ``$GOENV`` (``off`` = none), else UserConfigDir/go/env."""
    goenv = environ.get("GOENV")
    if goenv == "off":
        return None
    if goenv:
        return Path(goenv)
    base = user_config_dir(environ, platform, home)
    return Path(str(base)) / "go" / "env" if base is not None else None


def read_go_env_file(path: Path) -> dict[str, tuple[str, int]]:
    """``KEY=value`` lines as Go reads them (no quoting, later lines win) -> (value, line)."""
    values: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        key, eq, value = line.partition("=")
        if not eq or not line or not ("A" <= line[0] <= "Z"):
            continue
        values[key] = (value, number)
    return values


@dataclass(frozen=True)
class GoToolReport:
    values: dict[str, str]
    error: str = ""


def query_go_tool(
    go: str,
    environ: Mapping[str, str],
    *,
    timeout: float,
    cwd: Path | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> GoToolReport:
    """``go env -json`` with the given environment; an error text instead of raising.

    The process is killed when ``timeout`` passes or ``cancelled()`` turns True (polled
    every 50 ms).
    """
    try:
        proc = subprocess.Popen(
            [go, "env", "-json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(environ),
            cwd=cwd,
        )
    except OSError as exc:
        return GoToolReport({}, f"cannot run {go}: {exc.strerror or exc}")
    deadline = time.monotonic() + timeout
    while True:
        try:
            out, err = proc.communicate(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            stop = (
                "was cancelled"
                if cancelled is not None and cancelled()
                else f"did not answer within {timeout:g} s"
                if time.monotonic() > deadline
                else ""
            )
            if stop:
                proc.kill()
                proc.communicate()
                return GoToolReport({}, f"`go env -json` {stop}")
    if proc.returncode != 0:
        return GoToolReport({}, f"`go env -json` failed: {err.strip()[:300]}")
    try:
        data = json.loads(out)
    except json.JSONDecodeError as exc:
        return GoToolReport({}, f"`go env -json` printed no JSON: {exc}")
    return GoToolReport({k: str(v) for k, v in data.items() if isinstance(k, str)})


def go_settings(
    environ: Mapping[str, str],
    env_file: Path | None,
    file_values: Mapping[str, tuple[str, int]],
    tool: GoToolReport | None,
    goroot_values: Mapping[str, tuple[str, int]],
    goroot_file: Path | None,
) -> tuple[Setting, ...]:
    """Each Go variable with the place Go itself takes it from.

    Precedence (cmd/go cfg.Getenv): a non-empty process variable, then the user env file,
    then ``$GOROOT/go.env`` (Go 1.21+), then Go's built-in default. GONOPROXY and GONOSUMDB
    default to GOPRIVATE. When the go tool answered, its value is the one shown; a
    difference from the files is noted (e.g. a newer Go's own defaults).
    """
    out: list[Setting] = []
    resolved: dict[str, str] = {}
    for name in GO_VARIABLES:
        setting: Setting | None = None
        if environ.get(name):
            setting = Setting(name, environ[name], "process env", SourceKind.PROCESS_ENV)
        elif name in file_values and env_file is not None:
            value, line = file_values[name]
            setting = Setting(
                name, value, f"go env file {env_file}", SourceKind.GO_ENV_FILE, env_file, line
            )
        elif name in goroot_values and goroot_file is not None:
            value, line = goroot_values[name]
            setting = Setting(
                name, value, f"$GOROOT/go.env {goroot_file}", SourceKind.GOROOT_ENV,
                goroot_file, line,
            )  # fmt: skip
        elif name in GO_DEFAULTS:
            setting = Setting(name, GO_DEFAULTS[name], "Go's default", SourceKind.GO_DEFAULT)
        elif name in ("GONOPROXY", "GONOSUMDB") and resolved.get("GOPRIVATE"):
            setting = Setting(
                name, resolved["GOPRIVATE"], "Go's default (= GOPRIVATE)", SourceKind.GO_DEFAULT
            )
        if tool is not None and name in tool.values:
            reported = tool.values[name]
            if setting is None:
                if reported:
                    setting = Setting(name, reported, "go env (go tool)", SourceKind.GO_TOOL)
            elif setting.value != reported:
                setting = Setting(
                    name,
                    reported,
                    "go env (go tool)",
                    SourceKind.GO_TOOL,
                    note=f"the files say {setting.display_value!s} ({setting.source})",
                )
            else:
                setting = Setting(
                    setting.name, setting.value, setting.source, setting.kind, setting.path,
                    setting.line, "go env agrees",
                )  # fmt: skip
        if setting is not None:
            resolved[name] = setting.value or ""
            out.append(setting)
    return tuple(out)
