"""resolv.conf of build containers, computed the way Docker (20.10 to current) does.

- Host file: ``/etc/resolv.conf``; if its only nameserver is systemd-resolved's stub
  127.0.0.53, Docker reads ``/run/systemd/resolve/resolv.conf`` (the real upstreams).
- Default bridge (classic builder, BuildKit's default network): loopback nameservers are
  dropped (127.0.0.0/8, ::1), IPv6 ones too when IPv6 is off; if none is left, Google's
  8.8.8.8 and 8.8.4.4 (+ their IPv6 twins with IPv6) are used.
- daemon.json ``dns``/``dns-search``/``dns-opts`` replace the host's values. The classic
  builder uses them as given (even on ``--network host``); the built-in BuildKit passes
  them through the same loopback filter, so ``"dns": ["127.0.0.1"]`` turns into Google's
  servers there (seen on Docker 20.10 with ``--network host``), and without daemon
  ``dns`` BuildKit's host network keeps the host file unchanged.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from pathlib import Path

from gobuildgui.core.environment.model import BuildResolv, ResolvConf

SYSTEMD_STUB = "127.0.0.53"
GOOGLE_V4 = ("8.8.8.8", "8.8.4.4")
GOOGLE_V6 = ("2001:4860:4860::8888", "2001:4860:4860::8844")


def parse_resolv_conf(text: str, source: str = "") -> ResolvConf:
    nameservers: list[str] = []
    search: list[str] = []
    options: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        words = line.split()
        if not words:
            continue
        if words[0] == "nameserver" and len(words) > 1:
            nameservers.append(words[1])
        elif words[0] in ("search", "domain"):
            search = words[1:]  # the last search/domain line wins, as in the resolver
        elif words[0] == "options":
            options.extend(words[1:])
    return ResolvConf(tuple(nameservers), tuple(search), tuple(options), source)


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _is_v6(address: str) -> bool:
    return ":" in address


def filter_for_bridge(conf: ResolvConf, *, ipv6: bool, what: str) -> ResolvConf:
    """Docker's FilterResolvDNS: drop loopback (and IPv6 without IPv6), else fall back."""
    kept = tuple(ns for ns in conf.nameservers if not _is_loopback(ns) and (ipv6 or not _is_v6(ns)))
    dropped = [ns for ns in conf.nameservers if ns not in kept]
    notes = list(conf.notes)
    if dropped:
        notes.append(f"{what}: dropped {', '.join(dropped)} (unreachable from a container)")
    if kept:
        return ResolvConf(kept, conf.search, conf.options, conf.source, tuple(notes))
    fallback = GOOGLE_V4 + (GOOGLE_V6 if ipv6 else ())
    notes.append(f"{what}: no non-localhost nameserver left, Docker uses {', '.join(fallback)}")
    return ResolvConf(fallback, conf.search, conf.options, conf.source, tuple(notes), True)


def host_resolv(
    resolv_conf: Path, systemd_resolv_conf: Path, problems: list[str]
) -> tuple[Path, ResolvConf]:
    try:
        text = resolv_conf.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        problems.append(f"cannot read {resolv_conf}: {exc.strerror or exc}")
        return resolv_conf, ResolvConf((), source=str(resolv_conf))
    conf = parse_resolv_conf(text, str(resolv_conf))
    if conf.nameservers == (SYSTEMD_STUB,):
        try:
            upstream = systemd_resolv_conf.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return resolv_conf, conf
        note = (
            f"{resolv_conf} names only systemd-resolved's stub {SYSTEMD_STUB}; "
            f"Docker reads {systemd_resolv_conf} instead"
        )
        followed = parse_resolv_conf(upstream, str(systemd_resolv_conf))
        return systemd_resolv_conf, ResolvConf(
            followed.nameservers, followed.search, followed.options, followed.source, (note,)
        )
    return resolv_conf, conf


def build_resolv(
    host_file: Path,
    host: ResolvConf,
    *,
    daemon_dns: Sequence[str] = (),
    daemon_dns_search: Sequence[str] = (),
    daemon_dns_opts: Sequence[str] = (),
    daemon_source: str = "",
    ipv6: bool = False,
) -> BuildResolv:
    base = host
    if daemon_dns or daemon_dns_search or daemon_dns_opts:
        base = ResolvConf(
            tuple(daemon_dns) or host.nameservers,
            tuple(daemon_dns_search) or host.search,
            tuple(daemon_dns_opts) or host.options,
            f"{daemon_source} (dns)" if daemon_dns else host.source,
            host.notes,
        )
    classic_bridge = (
        base if daemon_dns else filter_for_bridge(base, ipv6=ipv6, what="classic builder")
    )
    classic_host = base
    # BuildKit filters like the bridge; its own fallback always lists the IPv6 servers too.
    buildkit_default = filter_for_bridge(base, ipv6=True, what="BuildKit")
    if daemon_dns:
        buildkit_host = buildkit_default
    else:
        buildkit_host = ResolvConf(
            base.nameservers, base.search, base.options, base.source,
            (*base.notes, "BuildKit --network host: the host's file as is"),
        )  # fmt: skip
    return BuildResolv(
        host_file, host, classic_bridge, classic_host, buildkit_default, buildkit_host
    )
