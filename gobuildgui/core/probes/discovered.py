"""A :class:`ProbeTarget` from environment discovery (``gobuildgui.core.environment``).

Host-side probes use the host's resolvers and proxies; the Go settings, the build's
resolvers and the variables passed to in-container probes are the ones a
``RUN go mod download`` step really sees (``effective_for_run_step``).
"""

from __future__ import annotations

from pathlib import Path

from gobuildgui.core.environment import Environment, SourceKind, discover, effective_for_run_step
from gobuildgui.core.probes.netio import is_ip
from gobuildgui.core.probes.target import (
    DEFAULT_GOPROXY,
    DEFAULT_GOSUMDB,
    DEFAULT_TIMEOUT_S,
    ProbeTarget,
    Proxy,
    Resolver,
    proxies_from_env,
    target_from_environment,
)

_RUN_NAMES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "GOPROXY",
    "GOSUMDB",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOINSECURE",
    "GOFLAGS",
)


def _resolvers(env: Environment, build_servers: str | None) -> tuple[Resolver, ...]:
    out: list[Resolver] = []
    if env.resolv is not None:
        out.extend(Resolver("host", ns) for ns in env.resolv.host.nameservers if is_ip(ns))
    dns = env.first("dns", SourceKind.DAEMON_JSON)
    if dns is not None and dns.value:
        out.extend(
            Resolver("daemon", ns.strip()) for ns in dns.value.split(",") if is_ip(ns.strip())
        )
    for ns in (build_servers or "").split():
        if is_ip(ns):
            out.append(Resolver("build", ns))
    return tuple(out)


def target_from_discovery(
    env: Environment,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    dockerfile: Path | None = None,
    builder: str = "buildkit",
) -> ProbeTarget:
    """The probe settings for ``env`` (see the module docstring)."""
    eff = effective_for_run_step(env, builder=builder)

    def run_value(name: str) -> str | None:
        item = eff.get(name)
        return item.value if item is not None else None

    process = {s.name: s.value for s in env.process if s.value}
    proxies = list(proxies_from_env(process, "host"))
    for scheme, name in (("https", "HTTPS_PROXY"), ("http", "HTTP_PROXY")):
        value = run_value(name)
        if value and all(p.url != value for p in proxies):
            url = value if "://" in value else "http://" + value
            proxies.append(Proxy(url, scheme, f"build {name} ({eff[name].source})"))
    daemon_dns = env.first("dns", SourceKind.DAEMON_JSON)
    buildkit = env.first("features.buildkit", SourceKind.DAEMON_JSON)
    host = env.first("DOCKER_HOST")
    build_env = {name: v for name in _RUN_NAMES if (v := run_value(name))}
    gonosumdb, gonoproxy = run_value("GONOSUMDB"), run_value("GONOPROXY")
    return ProbeTarget(
        resolvers=_resolvers(env, run_value("resolv.conf")),
        proxies=tuple(proxies),
        no_proxy=run_value("NO_PROXY") or process.get("NO_PROXY") or process.get("no_proxy", ""),
        goproxy=run_value("GOPROXY") or DEFAULT_GOPROXY,
        gosumdb=run_value("GOSUMDB") or DEFAULT_GOSUMDB,
        goprivate=run_value("GOPRIVATE") or "",
        gonosumdb=gonosumdb,
        gonoproxy=gonoproxy,
        docker_host=host.value if host is not None else None,
        daemon_dns=tuple(ns.strip() for ns in (daemon_dns.value or "").split(",") if ns.strip())
        if daemon_dns is not None
        else (),
        daemon_buildkit=(buildkit.value == "true") if buildkit and buildkit.value else None,
        timeout=timeout,
        dockerfile=dockerfile,
        build_env=build_env,
    )


def discovered_target(
    dockerfile: Path | None, *, timeout: float = DEFAULT_TIMEOUT_S
) -> ProbeTarget:
    """Discover the environment (bounded by ``timeout``) and build a target from it.

    Falls back to :func:`target_from_environment` (process environment and
    /etc/resolv.conf only) if discovery itself fails.
    """
    try:
        env = discover(dockerfile, go_timeout=timeout, docker_timeout=min(timeout, 2.0))
    except Exception:  # discovery is best effort: probing must still work
        return target_from_environment(dockerfile=dockerfile, timeout=timeout)
    return target_from_discovery(env, timeout=timeout, dockerfile=dockerfile)
