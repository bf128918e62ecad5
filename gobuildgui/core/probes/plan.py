"""From a :class:`ProbeTarget` to the concrete probes to run (``ProbeSpec`` list).

Probe ids are stable strings (``dns:proxy.golang.org@127.0.0.53:53``) so the GUI can
re-run one probe and tests can pick results by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from urllib.parse import urlsplit

from gobuildgui.core.probes.base import (
    FAMILIES,
    CancelToken,
    Deadline,
    ProbeFunc,
    ProbeResult,
    ProbeSpec,
    Status,
)
from gobuildgui.core.probes.container import probe_container_dns, probe_container_goproxy
from gobuildgui.core.probes.dns import probe_dns
from gobuildgui.core.probes.docker_daemon import probe_docker
from gobuildgui.core.probes.goproxy import probe_goproxy_chain, probe_goproxy_entry
from gobuildgui.core.probes.netio import HostPort, is_ip
from gobuildgui.core.probes.private_git import probe_git_https, probe_git_ssh
from gobuildgui.core.probes.proxy import probe_proxy
from gobuildgui.core.probes.sumdb import probe_sumdb
from gobuildgui.core.probes.target import (
    GoproxyError,
    ProbeTarget,
    Resolver,
    parse_gosumdb,
    private_hosts,
    private_repos,
)
from gobuildgui.core.probes.tcp import probe_tcp
from gobuildgui.core.probes.tls import probe_tls

#: What results mean, for grouping in the panel and the text report.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Name resolution", ("dns",)),
    ("Network & proxy", ("tcp", "proxy")),
    ("TLS & certificates", ("tls",)),
    ("Go module proxy & checksum DB", ("goproxy", "sumdb", "private-git")),
    ("Docker daemon", ("docker",)),
    ("Inside a container", ("container",)),
)
GROUP_OF: dict[str, str] = {fam: name for name, fams in GROUPS for fam in fams}


def _fixed(
    status: Status, summary: str, explanation: str = "", fix_ids: tuple[str, ...] = ()
) -> partial[ProbeResult]:
    """A probe function that answers at once (nothing to probe, or bad configuration)."""
    return partial(_answer, status=status, summary=summary, explanation=explanation, fixes=fix_ids)


def _answer(
    spec: ProbeSpec,
    token: CancelToken,
    deadline: Deadline,
    *,
    status: Status,
    summary: str,
    explanation: str,
    fixes: tuple[str, ...],
) -> ProbeResult:
    return spec.result(status, summary, (), explanation, fixes)


def endpoints(target: ProbeTarget) -> tuple[HostPort, ...]:
    """TCP/TLS endpoints: the explicit ones, else port 443 of every needed host."""
    if target.endpoints:
        return target.endpoints
    out: list[HostPort] = []
    for host in target.needed_hosts():
        if host not in private_hosts(target.goprivate):
            out.append(HostPort(host, 443))
    try:
        entries = target.goproxy_entries
    except GoproxyError:
        entries = ()
    for entry in entries:
        parts = urlsplit(entry.url)
        if parts.scheme == "https" and parts.hostname and parts.port:
            hp = HostPort(parts.hostname, parts.port)
            if hp not in out:
                out.append(hp)
    return tuple(out)


def proxy_check_url(target: ProbeTarget, scheme: str) -> str:
    """What to fetch through a proxy: the first GOPROXY URL of that scheme, else the default."""
    try:
        entries = target.goproxy_entries
    except GoproxyError:
        entries = ()
    for entry in entries:
        if entry.url.startswith(scheme + "://"):
            return entry.url + "/"
    return f"{scheme}://proxy.golang.org/"


def build_plan(target: ProbeTarget, families: Iterable[str] | None = None) -> list[ProbeSpec]:
    """The probes for ``target``, limited to ``families`` (all when None), in display order."""
    wanted = set(FAMILIES if families is None else families)
    unknown = wanted - set(FAMILIES)
    if unknown:
        raise ValueError(f"unknown probe families: {', '.join(sorted(unknown))}")
    specs: list[ProbeSpec] = []

    def add(probe_id: str, family: str, title: str, func: ProbeFunc) -> None:
        specs.append(ProbeSpec(probe_id, family, title, func))

    if "dns" in wanted:
        resolvers = _distinct_resolvers(target.resolvers)
        if not resolvers:
            add(
                "dns:none",
                "dns",
                "DNS resolvers",
                _fixed(
                    Status.SKIPPED,
                    "no resolver known (none in resolv.conf, none given)",
                    "Name a resolver with --resolver IP[:PORT].",
                ),
            )
        for host in target.needed_hosts():
            if is_ip(host):
                continue  # nothing to resolve
            for res in resolvers:
                add(
                    f"dns:{host}@{res}",
                    "dns",
                    f"{host} via {res} ({res.label})",
                    partial(probe_dns, host=host, resolver=res),
                )
    eps = endpoints(target)
    if "tcp" in wanted:
        for ep in eps:
            add(f"tcp:{ep}", "tcp", f"TCP connect to {ep}", partial(probe_tcp, endpoint=ep))
    if "tls" in wanted:
        for ep in eps:
            add(
                f"tls:{ep}",
                "tls",
                f"TLS handshake with {ep}",
                partial(
                    probe_tls,
                    endpoint=ep,
                    system_ca_file=target.system_ca_file,
                    ca_files=target.ca_files,
                ),
            )
    if "proxy" in wanted:
        if not target.proxies:
            add(
                "proxy:none",
                "proxy",
                "HTTP proxies",
                _fixed(
                    Status.SKIPPED,
                    "no HTTP(S)_PROXY in force: connections go direct",
                    "If direct connections time out (see TCP), a proxy is probably required.",
                ),
            )
        for px in target.proxies:
            url = proxy_check_url(target, px.scheme)
            add(
                f"proxy:{px.scheme}:{px.url}",
                "proxy",
                f"{px.scheme.upper()} via proxy {px.url}",
                partial(probe_proxy, proxy=px, url=url, cafile=target.system_ca_file),
            )
    if "goproxy" in wanted or "sumdb" in wanted:
        try:
            entries = target.goproxy_entries
        except GoproxyError as exc:
            entries = ()
            add(
                "goproxy:invalid",
                "goproxy",
                "GOPROXY value",
                _fixed(
                    Status.FAILED,
                    f"go rejects GOPROXY: {exc}",
                    "Go stops before any download.",
                    ("go-proxy",),
                ),
            )
        if "goproxy" in wanted and entries:
            for entry in entries:
                label = entry.url if entry.keyword else urlsplit(entry.url).netloc or entry.url
                add(
                    f"goproxy:{entry.index + 1}:{entry.url}",
                    "goproxy",
                    f"GOPROXY #{entry.index + 1}: {label}",
                    partial(probe_goproxy_entry, target=target, entry=entry),
                )
            add(
                "goproxy:chain",
                "goproxy",
                "GOPROXY list as go walks it",
                partial(probe_goproxy_chain, target=target),
            )
        if "sumdb" in wanted and entries:
            name, _ = _sumdb_name(target.gosumdb)
            add(
                f"sumdb:{name}",
                "sumdb",
                f"Checksum database {name}",
                partial(probe_sumdb, target=target),
            )
    if "private-git" in wanted:
        repos = private_repos(target.goprivate)
        hosts = private_hosts(target.goprivate)
        if not hosts:
            add(
                "private-git:none",
                "private-git",
                "Private module hosts",
                _fixed(
                    Status.SKIPPED,
                    "GOPRIVATE names no private host",
                    "Set GOPRIVATE (e.g. git.corp.example.com/*) to probe private module hosts.",
                ),
            )
        for repo in repos:
            add(
                f"private-git:https:{repo}",
                "private-git",
                f"git over HTTPS: {repo}",
                partial(probe_git_https, target=target, repo=repo),
            )
        for host in hosts:
            if not any(private_hosts(r) == (host,) for r in repos):
                add(
                    f"private-git:https:{host}",
                    "private-git",
                    f"HTTPS: {host}",
                    partial(probe_git_https, target=target, repo=host),
                )
            ep = HostPort(host, 22)
            add(
                f"private-git:ssh:{ep}",
                "private-git",
                f"git over SSH: {ep}",
                partial(probe_git_ssh, endpoint=ep),
            )
    if "docker" in wanted:
        add("docker:daemon", "docker", "Docker daemon", partial(probe_docker, target=target))
    if "container" in wanted:
        add(
            "container:dns",
            "container",
            "DNS inside a build container",
            partial(probe_container_dns, target=target),
        )
        add(
            "container:goproxy",
            "container",
            "go mod download inside a build container",
            partial(probe_container_goproxy, target=target),
        )
    return specs


def _distinct_resolvers(resolvers: Iterable[Resolver]) -> list[Resolver]:
    """One entry per server; a server that matters for several reasons gets both labels."""
    merged: dict[tuple[str, int], Resolver] = {}
    for res in resolvers:
        key = (res.address, res.port)
        seen = merged.get(key)
        label = res.label if seen is None else f"{seen.label}+{res.label}"
        merged[key] = Resolver(label, res.address, res.port)
    return list(merged.values())


def _sumdb_name(value: str) -> tuple[str, str | None]:
    try:
        return parse_gosumdb(value)
    except ValueError:
        return "invalid", None


def families_of(specs: Sequence[ProbeSpec]) -> tuple[str, ...]:
    """The families present in ``specs``, in canonical order."""
    present = {s.family for s in specs}
    return tuple(f for f in FAMILIES if f in present)
