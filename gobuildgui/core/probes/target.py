"""What to probe: the hosts, resolvers, proxies and Go settings a build depends on.

:class:`ProbeTarget` is plain configuration. :func:`target_from_environment` fills it
from the settings in force (process environment, ``/etc/resolv.conf``, the Docker
daemon address), and the CLI and the panel override single fields.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from gobuildgui.core.probes.netio import HostPort

#: Hosts every ``go mod download`` with default settings and every ``FROM golang``
#: pull needs (zips from proxy.golang.org are redirected to storage.googleapis.com).
DEFAULT_HOSTS: tuple[str, ...] = (
    "proxy.golang.org",
    "sum.golang.org",
    "storage.googleapis.com",
    "registry-1.docker.io",
)
DEFAULT_GOPROXY = "https://proxy.golang.org,direct"
DEFAULT_GOSUMDB = "sum.golang.org"
#: A small, stable module every public proxy serves.
DEFAULT_MODULE = "rsc.io/quote"
DEFAULT_VERSION = "v1.5.2"
DEFAULT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Resolver:
    """A DNS server to ask, and why it matters (``label``: host, daemon, build, custom)."""

    label: str
    address: str
    port: int = 53

    def __str__(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{host}:{self.port}"

    @classmethod
    def parse(cls, text: str, label: str = "custom") -> Resolver:
        """``IP`` or ``IP:PORT`` (``[v6]:PORT``)."""
        hp = HostPort.parse(text, 53)
        return cls(label, hp.host, hp.port)


@dataclass(frozen=True)
class Proxy:
    """An HTTP proxy in force for some scheme, with where the setting came from."""

    url: str
    scheme: str = "https"  # the target scheme it serves: http or https
    source: str = "custom"


@dataclass(frozen=True)
class GoproxyEntry:
    """One element of the GOPROXY list and the separator that follows it.

    ``fallback`` is ``","`` (next entry only on 404/410), ``"|"`` (next entry on any
    error) or ``""`` for the last entry.
    """

    url: str  # a URL, "direct" or "off"
    fallback: str
    index: int

    @property
    def keyword(self) -> bool:
        """Whether the entry is ``direct`` or ``off`` rather than a URL."""
        return self.url in ("direct", "off")


class GoproxyError(ValueError):
    """A GOPROXY value Go itself would reject (message as Go prints it)."""


def parse_goproxy(value: str) -> tuple[GoproxyEntry, ...]:
    """Split a GOPROXY value the way ``go`` does (``proxyList`` in modfetch/proxy.go).

    An empty value means the default. A URL without a scheme gets ``https://``;
    ``direct`` and ``off`` end the list (anything after them is unreachable).
    """
    value = value.strip()
    if not value:
        value = DEFAULT_GOPROXY
    entries: list[GoproxyEntry] = []
    for m in re.finditer(r"([^,|]*)([,|]?)", value):
        raw, sep = m.group(1).strip(), m.group(2)
        if not raw:
            continue  # Go skips empty elements ("a,,b")
        url = raw
        if raw not in ("direct", "off"):
            # Go: anything with ":/" is a full URL; a bare host gets https://.
            if ":/" not in raw:
                if not any(c in raw for c in ".:/"):
                    raise GoproxyError(f"invalid proxy URL missing scheme: {raw}")
                url = "https://" + raw
            scheme = url.split(":", 1)[0].lower()
            if scheme not in ("http", "https", "file"):
                raise GoproxyError(f"invalid proxy URL scheme (must be https, http, file): {raw}")
            url = url.rstrip("/")
        entries.append(GoproxyEntry(url, sep, len(entries)))
        if raw in ("direct", "off"):
            break
    if not entries:
        raise GoproxyError("GOPROXY list is not the empty string, but contains no entries")
    last = entries[-1]
    entries[-1] = GoproxyEntry(last.url, "", last.index)
    return tuple(entries)


def parse_gosumdb(value: str) -> tuple[str, str | None]:
    """``(name, url)`` of a GOSUMDB value; ``("off", None)`` when disabled."""
    value = value.strip() or DEFAULT_GOSUMDB
    if value == "off":
        return "off", None
    fields = value.split()
    if len(fields) > 2:
        raise ValueError("invalid GOSUMDB: too many fields")
    name = fields[0].split("+", 1)[0]
    url = fields[1].rstrip("/") if len(fields) == 2 else None
    return name, url


def module_matches(patterns: str, module: str) -> bool:
    """Go's ``MatchPrefixPatterns``: does any comma-separated glob match a path prefix?"""
    for pattern in (p.strip() for p in patterns.split(",")):
        if not pattern:
            continue
        parts = module.split("/")
        n = pattern.count("/") + 1
        if len(parts) >= n and fnmatch.fnmatchcase("/".join(parts[:n]), pattern):
            return True
    return False


def private_hosts(goprivate: str) -> tuple[str, ...]:
    """The host names GOPRIVATE-style globs name without a wildcard in their host part."""
    hosts: list[str] = []
    for pattern in (p.strip() for p in goprivate.split(",")):
        host = re.sub(r":\d+$", "", pattern.split("/", 1)[0])
        if host and not any(c in host for c in "*?[") and host not in hosts:
            hosts.append(host)
    return tuple(hosts)


def private_repos(goprivate: str) -> tuple[str, ...]:
    """GOPRIVATE entries that name a concrete repository (``host/owner/repo``, no globs)."""
    return tuple(
        p.strip()
        for p in goprivate.split(",")
        if p.strip().count("/") >= 2 and not any(c in p for c in "*?[")
    )


@dataclass(frozen=True)
class ProbeTarget:
    """Everything the plan builder needs; each field can be overridden by the user."""

    hosts: tuple[str, ...] = DEFAULT_HOSTS
    resolvers: tuple[Resolver, ...] = ()
    #: TCP/TLS endpoints; empty = port 443 of every needed host.
    endpoints: tuple[HostPort, ...] = ()
    proxies: tuple[Proxy, ...] = ()
    no_proxy: str = ""
    goproxy: str = DEFAULT_GOPROXY
    gosumdb: str = DEFAULT_GOSUMDB
    goprivate: str = ""
    gonosumdb: str | None = None
    gonoproxy: str | None = None
    module: str = DEFAULT_MODULE
    version: str = DEFAULT_VERSION
    docker_host: str | None = None
    #: daemon.json ``dns`` and ``features.buildkit`` (not visible in ``docker info``).
    daemon_dns: tuple[str, ...] = ()
    daemon_buildkit: bool | None = None
    #: The image for in-container probes (None: the Dockerfile's base image if local).
    container_image: str | None = None
    #: The network builds use (None: ``bridge``, the default of both builders).
    container_network: str | None = None
    #: Extra CA bundles (the corporate CA) tried when the public stores reject a chain.
    ca_files: tuple[Path, ...] = ()
    #: The trust store the host's tools use (None: OpenSSL's default, honouring SSL_CERT_FILE).
    system_ca_file: Path | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    dockerfile: Path | None = None
    #: Credentials for private git hosts, as git and go read them (None: ~/.netrc).
    netrc_file: Path | None = None
    #: The variables a ``RUN go mod download`` step sees (passed to container probes).
    build_env: Mapping[str, str] = field(default_factory=dict)

    @property
    def goproxy_entries(self) -> tuple[GoproxyEntry, ...]:
        """The parsed GOPROXY list (raises :class:`GoproxyError` on a value Go rejects)."""
        return parse_goproxy(self.goproxy)

    @property
    def nosumdb(self) -> str:
        """GONOSUMDB, defaulting to GOPRIVATE as Go does."""
        return self.goprivate if self.gonosumdb is None else self.gonosumdb

    @property
    def noproxy(self) -> str:
        """GONOPROXY, defaulting to GOPRIVATE as Go does."""
        return self.goprivate if self.gonoproxy is None else self.gonoproxy

    def needed_hosts(self) -> tuple[str, ...]:
        """The fixed hosts plus every GOPROXY host, the sumdb host and private hosts."""
        out = list(self.hosts)
        try:
            entries = self.goproxy_entries
        except GoproxyError:
            entries = ()
        for entry in entries:
            host = urlsplit(entry.url).hostname if not entry.keyword else None
            if host and host not in out:
                out.append(host)
        name, url = _safe_sumdb(self.gosumdb)
        sumhost = urlsplit(url).hostname if url else (name if name != "off" else None)
        if sumhost and sumhost not in out:
            out.append(sumhost)
        for host in private_hosts(self.goprivate):
            if host not in out:
                out.append(host)
        return tuple(out)

    def proxy_for(self, url: str) -> Proxy | None:
        """The proxy Go's ``http.ProxyFromEnvironment`` would use for ``url``."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host in ("localhost",) or _is_loopback(host):
            return None  # Go never proxies loopback
        if _no_proxy_matches(self.no_proxy, host, parts.port):
            return None
        scheme = parts.scheme.lower()
        for proxy in self.proxies:
            if proxy.scheme == scheme:
                return proxy
        return None


def _safe_sumdb(value: str) -> tuple[str, str | None]:
    try:
        return parse_gosumdb(value)
    except ValueError:
        return "off", None


def _is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _no_proxy_matches(no_proxy: str, host: str, port: int | None) -> bool:
    import ipaddress

    for raw in (p.strip().lower() for p in no_proxy.split(",")):
        if not raw:
            continue
        if raw == "*":
            return True
        entry, _, eport = raw.partition(":") if raw.count(":") == 1 else (raw, "", "")
        if eport and port is not None and str(port) != eport:
            continue
        try:
            net = ipaddress.ip_network(entry, strict=False)
            if ipaddress.ip_address(host) in net:
                return True
            continue
        except ValueError:
            pass
        entry = entry.lstrip("*")
        if entry.startswith("."):
            if host.endswith(entry):
                return True
        elif host == entry or host.endswith("." + entry):
            return True
    return False


def read_resolv_conf(path: Path, label: str) -> tuple[Resolver, ...]:
    """The nameservers of a resolv.conf file (an unreadable file gives none)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    out: list[Resolver] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            out.append(Resolver(label, fields[1].split("%", 1)[0]))
    return tuple(out)


def _env(env: Mapping[str, str], name: str) -> str:
    return env.get(name) or env.get(name.lower()) or ""


def proxies_from_env(env: Mapping[str, str], source: str) -> tuple[Proxy, ...]:
    """HTTPS_PROXY / HTTP_PROXY (either case) as :class:`Proxy` entries."""
    out: list[Proxy] = []
    for scheme, var in (("https", "HTTPS_PROXY"), ("http", "HTTP_PROXY")):
        value = _env(env, var)
        if value:
            url = value if "://" in value else "http://" + value
            out.append(Proxy(url, scheme, f"{source} {var}"))
    return tuple(out)


def target_from_environment(
    env: Mapping[str, str] | None = None,
    *,
    resolv_conf: Path = Path("/etc/resolv.conf"),
    dockerfile: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> ProbeTarget:
    """A target from the settings in force for this process (no network access).

    Go settings come from the environment (an unset GOPROXY means Go's default);
    resolvers from ``resolv_conf``; the Docker daemon from ``DOCKER_HOST`` or the
    default socket.
    """
    env = dict(os.environ if env is None else env)
    docker_host = env.get("DOCKER_HOST") or None
    if docker_host is None and Path("/var/run/docker.sock").exists():
        docker_host = "unix:///var/run/docker.sock"
    build_env = {
        k: v
        for k, v in env.items()
        if k.upper()
        in {"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "GOPROXY", "GOSUMDB", "GOPRIVATE", "GOFLAGS"}
    }
    return ProbeTarget(
        resolvers=read_resolv_conf(resolv_conf, "host"),
        proxies=proxies_from_env(env, "environment"),
        no_proxy=_env(env, "NO_PROXY"),
        goproxy=env.get("GOPROXY") or DEFAULT_GOPROXY,
        gosumdb=env.get("GOSUMDB") or DEFAULT_GOSUMDB,
        goprivate=env.get("GOPRIVATE", ""),
        gonosumdb=env.get("GONOSUMDB"),
        gonoproxy=env.get("GONOPROXY"),
        docker_host=docker_host,
        timeout=timeout,
        dockerfile=dockerfile,
        build_env=build_env,
    )


def unique(items: Sequence[str]) -> tuple[str, ...]:
    """``items`` without repeats, first occurrence kept."""
    return tuple(dict.fromkeys(items))
