"""Environment discovery: which settings are in force, where each comes from, and which of
them a ``RUN go mod download`` step of ``docker build`` actually sees.

Every input location is a parameter (tests pass temp files); every slow step has a
timeout (``go env -json``, ``docker info``). Nothing here raises for a missing or broken
file: it becomes a line in ``Environment.problems``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from gobuildgui.core.environment.docker import (
    DEFAULT_DOCKER_HOST,
    PROXY_VARIABLES,
    InfoFetcher,
    client_proxies,
    daemon_json_paths,
    daemon_settings,
    docker_config_file,
    docker_host_setting,
    docker_info_settings,
    sdk_info,
    systemd_dropin_dirs,
    systemd_settings,
)
from gobuildgui.core.environment.dockerfile import dockerfile_settings
from gobuildgui.core.environment.goenv import (
    GO_DEFAULTS,
    GoToolReport,
    go_env_file,
    go_settings,
    query_go_tool,
    read_go_env_file,
)
from gobuildgui.core.environment.model import Effective, Environment, Setting, SourceKind
from gobuildgui.core.environment.resolv import build_resolv, host_resolv
from gobuildgui.core.secrets import redact

_AUTO = "auto"


def discover(
    dockerfile: Path | None,
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    platform: str | None = None,
    go: str | None = _AUTO,
    go_timeout: float = 5.0,
    docker_config: Path | None = None,
    daemon_json: Sequence[Path] | None = None,
    systemd_dirs: Sequence[Path] | None = None,
    docker_host: str | None = None,
    docker_info: bool = True,
    docker_timeout: float = 2.0,
    info_fetcher: InfoFetcher = sdk_info,
    resolv_conf: Path = Path("/etc/resolv.conf"),
    systemd_resolv_conf: Path = Path("/run/systemd/resolve/resolv.conf"),
    ipv6: bool = False,
    dockerfile_text: str | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Environment:
    """Collect the settings that decide whether ``go mod download`` works in a build.

    ``environ`` defaults to this process's environment; ``home`` to ``Path.home()``;
    ``go`` is the go binary (``"auto"``: from PATH of ``environ``; ``None``: don't run
    it, read the env file instead); ``daemon_json``/``systemd_dirs`` default to the
    platform's locations; ``docker_host`` to ``DOCKER_HOST`` or the default socket;
    ``docker_info=False`` skips asking a daemon. ``dockerfile_text`` is the editor's
    (possibly unsaved) text of ``dockerfile``. ``cancelled`` is polled while waiting for
    the go tool or a daemon: when it returns True they are abandoned at once (reported
    in ``problems``).
    """
    env = dict(os.environ if environ is None else environ)
    platform = platform or sys.platform
    if home is None:
        home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    problems: list[str] = []
    notes: list[str] = []

    # --- this process's proxy variables -----------------------------------------------------
    process = tuple(
        Setting(name, env[name], "process env", SourceKind.PROCESS_ENV)
        for name in PROXY_VARIABLES
        if env.get(name)
    )

    # --- Go ---------------------------------------------------------------------------------
    env_file = go_env_file(env, platform, home)
    file_values: dict[str, tuple[str, int]] = {}
    if env_file is not None:
        try:
            file_values = read_go_env_file(env_file)
        except FileNotFoundError:
            pass
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"cannot read the go env file {env_file}: {exc}")
    tool: GoToolReport | None = None
    go_binary = shutil.which("go", path=env.get("PATH")) if go == _AUTO else go
    if go_binary:
        tool = query_go_tool(go_binary, env, timeout=go_timeout, cancelled=cancelled)
        if tool.error:
            problems.append(tool.error)
            tool = None
    goroot_file: Path | None = None
    goroot_values: dict[str, tuple[str, int]] = {}
    goroot = (tool.values.get("GOROOT") if tool else None) or env.get("GOROOT")
    if goroot:
        candidate = Path(goroot) / "go.env"
        try:
            goroot_values = read_go_env_file(candidate)
            goroot_file = candidate
        except (OSError, UnicodeDecodeError):
            pass
    if tool is None and not go_binary:
        notes.append("no go tool found: Go settings read from the environment and env file")
    go_values = go_settings(env, env_file, file_values, tool, goroot_values, goroot_file)

    # --- Docker client ----------------------------------------------------------------------
    config_file = docker_config or docker_config_file(env, home)
    if docker_host:
        host_setting = Setting("DOCKER_HOST", docker_host, "given", SourceKind.DOCKER_CLIENT)
    else:
        host_setting = docker_host_setting(env, config_file, problems)
    host = host_setting.value or DEFAULT_DOCKER_HOST
    client: tuple[Setting, ...] = (host_setting,)
    if config_file:
        client += client_proxies(config_file, host, problems)

    # --- Docker daemon ----------------------------------------------------------------------
    daemon_files = tuple(
        daemon_json if daemon_json is not None else daemon_json_paths(env, platform, home)
    )
    daemon: list[Setting] = []
    for path in daemon_files:
        daemon.extend(daemon_settings(path, problems))
    dirs = systemd_dirs if systemd_dirs is not None else systemd_dropin_dirs(env, home)
    daemon.extend(systemd_settings(dirs, problems))
    if docker_info:
        daemon.extend(docker_info_settings(host, docker_timeout, problems, info_fetcher, cancelled))

    # --- Dockerfile -------------------------------------------------------------------------
    dockerfile_values: tuple[Setting, ...] = ()
    step_line: int | None = None
    if dockerfile is not None:
        try:
            if dockerfile_text is not None:
                text = dockerfile_text
            else:
                text = dockerfile.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            problems.append(f"cannot read {dockerfile}: {exc.strerror or exc}")
        else:
            view = dockerfile_settings(dockerfile, text)
            dockerfile_values, step_line = view.settings, view.step_line
            if step_line is None:
                notes.append(f"{dockerfile} runs no go command that downloads modules")

    # --- resolv.conf of builds --------------------------------------------------------------
    host_file, host_conf = host_resolv(resolv_conf, systemd_resolv_conf, problems)
    first_dns = _daemon_value(daemon, "dns")
    resolv = build_resolv(
        host_file,
        host_conf,
        daemon_dns=_split(first_dns),
        daemon_dns_search=_split(_daemon_value(daemon, "dns-search")),
        daemon_dns_opts=_split(_daemon_value(daemon, "dns-opts")),
        daemon_source=_daemon_source(daemon, "dns"),
        ipv6=ipv6,
    )

    return Environment(
        process=process,
        go=go_values,
        docker_client=client,
        daemon=tuple(daemon),
        dockerfile=dockerfile_values,
        resolv=resolv,
        go_env_file=env_file,
        docker_config_file=config_file,
        daemon_files=tuple(p for p in daemon_files if p.exists()),
        dockerfile_path=dockerfile,
        dockerfile_step_line=step_line,
        problems=tuple(redact(p) for p in problems),
        notes=tuple(notes),
    )


def _daemon_value(daemon: Iterable[Setting], key: str) -> str | None:
    return next(
        (s.value for s in daemon if s.name == key and s.kind is SourceKind.DAEMON_JSON), None
    )


def _daemon_source(daemon: Iterable[Setting], key: str) -> str:
    return next(
        (s.source for s in daemon if s.name == key and s.kind is SourceKind.DAEMON_JSON), ""
    )


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


# ------------------------------------------------------------------------------------------
# What a RUN step sees

RUN_PROXY_NAMES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY")
RUN_GO_NAMES = (
    "GOPROXY",
    "GOSUMDB",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOINSECURE",
    "GOFLAGS",
)


def effective_for_run_step(
    env: Environment, *, builder: str = "buildkit", network: str = "default"
) -> dict[str, Effective]:
    """Per variable: the value a ``RUN go mod download`` step sees, where it comes from, why,
    and which settings found elsewhere do not reach it.

    - Proxies: the Dockerfile's ENV (or ARG default) wins; otherwise the client
      config.json proxies, which the CLI sends as build args (predefined ARGs, no ARG line
      needed); the daemon's proxies (daemon.json, systemd, ``docker info``) and the
      shell's variables never reach RUN.
    - Go: the Dockerfile's ENV/ARG/``go env -w``/image defaults, else Go's defaults
      (GOPROXY ``https://proxy.golang.org,direct``, GOSUMDB ``sum.golang.org``,
      GONOPROXY/GONOSUMDB from GOPRIVATE); the host's go env file and variables don't.
    - ``resolv.conf``: the nameservers for ``builder`` (``buildkit``/``classic``) and
      ``network`` (``default``/``host``).
    """
    out: dict[str, Effective] = {}
    docker_file = {s.name: s for s in env.dockerfile}
    client = {s.name: s for s in env.docker_client}
    for upper in RUN_PROXY_NAMES:
        names = (upper, upper.lower())
        ignored: list[tuple[Setting, str]] = []
        for s in env.process:
            if s.name in names:
                ignored.append((s, "the shell's variables are not passed to docker build"))
        for s in env.daemon:
            if s.name in names or s.name == f"proxies.{upper.lower().replace('_', '-')}":
                ignored.append((s, "the daemon's proxy is for its own pulls, not RUN steps"))
        declared = next((docker_file[n] for n in names if n in docker_file), None)
        from_client = client.get(upper)
        if declared is not None and declared.value is not None:
            if from_client is not None and declared.source.startswith("Dockerfile ENV"):
                ignored.append((from_client, "the Dockerfile's ENV overrides the build arg"))
            out[upper] = Effective(
                upper, declared.value, declared.source, "set in the Dockerfile", tuple(ignored)
            )
        elif from_client is not None:
            reason = "the docker CLI passes client proxies as build args; RUN sees them"
            if upper == "ALL_PROXY" and builder == "buildkit":
                reason = "passed by the classic CLI only (buildx leaves out ALL_PROXY)"
            out[upper] = Effective(
                upper, from_client.value, from_client.source, reason, tuple(ignored)
            )
        elif declared is not None:
            reason = f"{declared.source} has no default: set only by --build-arg {upper}"
            out[upper] = Effective(upper, None, declared.source, reason, tuple(ignored))
        else:
            reason = "no Dockerfile ENV/ARG and no client proxies in config.json"
            out[upper] = Effective(upper, None, "", reason, tuple(ignored))

    host_go = {s.name: s for s in env.go}
    for name in RUN_GO_NAMES:
        ignored = []
        if name in host_go and host_go[name].kind is not SourceKind.GO_DEFAULT:
            ignored.append(
                (host_go[name], "the host's Go settings are not inside the build container")
            )
        declared = docker_file.get(name)
        if declared is not None and declared.value not in (None, ""):
            out[name] = Effective(
                name, declared.value, declared.source, "set in the Dockerfile", tuple(ignored)
            )
            continue
        if declared is not None:
            ignored.append((declared, "declared without a value: unset unless --build-arg"))
        if name in GO_DEFAULTS:
            out[name] = Effective(
                name, GO_DEFAULTS[name], "Go's default", "unset in the build", tuple(ignored)
            )
        elif name in ("GONOPROXY", "GONOSUMDB") and out.get("GOPRIVATE", _UNSET).value:
            private = out["GOPRIVATE"]
            out[name] = Effective(
                name, private.value, "Go's default (= GOPRIVATE)", "unset; follows GOPRIVATE",
                tuple(ignored),
            )  # fmt: skip
        else:
            out[name] = Effective(name, None, "", "unset in the build", tuple(ignored))

    if env.resolv is not None:
        conf = {
            ("buildkit", "default"): env.resolv.buildkit_default,
            ("buildkit", "host"): env.resolv.buildkit_host,
            ("classic", "default"): env.resolv.classic_bridge,
            ("classic", "host"): env.resolv.classic_host,
        }[(builder, network)]
        out["resolv.conf"] = Effective(
            "resolv.conf",
            " ".join(conf.nameservers),
            conf.source,
            "; ".join(conf.notes) or f"{builder} builder, {network} network",
        )
    return out


_UNSET = Effective("", None, "", "")
