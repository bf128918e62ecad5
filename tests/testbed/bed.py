"""A private network namespace with its own DNS, module proxies and HTTP proxies inside.

Go bypasses HTTP(S)_PROXY for ``localhost`` and loopback IPs, so a test that wants Go to
go through a proxy must name the module proxy with a host name. Inside a :class:`NetnsBed`
those names (``goproxy.test``, ``proxy.golang.org``, ``sum.golang.org`` ...) resolve to
127.0.0.1 through a dnsmasq on 127.0.0.1:53 of the namespace, and no query can leave it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from tests.testbed.dns import DnsServer
from tests.testbed.git import GitServer
from tests.testbed.goproxy import GoModuleProxy, TlsServer
from tests.testbed.netns import Netns
from tests.testbed.proxy import HttpProxy, ProxyKind
from tests.testbed.tls import CertificateAuthority

# Names the build of a Go project needs, all mapped to loopback inside the test bed.
LOOPBACK_NAMES = (
    "goproxy.test",
    "proxy.golang.org",
    "sum.golang.org",
    "storage.googleapis.com",
    "registry-1.docker.io",
    "git.corp.test",
)
NXDOMAIN_NAMES = ("invalid", "nxdomain.test")
CREDENTIALS = ("gbguser", "gbg-secret-pass")


# The private Git host listens on a loopback address of its own, so it can have port 443
# next to the module proxy's TLS server.
GIT_HOST = "git.corp.test"
GIT_ADDRESS = "127.0.0.2"


def default_records() -> dict[str, list[str]]:
    records = {n: ["127.0.0.1", "::1"] for n in LOOPBACK_NAMES}
    records[GIT_HOST] = [GIT_ADDRESS]
    return records


def proxy_hosts() -> dict[str, str]:
    """Name -> IPv4 for the proxies' private hosts files (the same answers as the DNS)."""
    return {name: ips[0] for name, ips in default_records().items()}


class NetnsBed:
    """Components inside one namespace ``gbg-<pid>-<suffix>``; all but the DNS server are
    started on first use.

    ``dns`` (dnsmasq, running from the start on 127.0.0.1:53, :func:`default_records`,
    NXDOMAIN for ``*.invalid`` and ``nxdomain.test``, REFUSED otherwise), ``goproxy``
    (HTTP on port 80), ``tls_server`` (HTTPS on 443 with ``ca``), ``proxy(kind, auth=...)``
    (tinyproxy/squid on a free port).
    """

    def __init__(self, suffix: str, ca: CertificateAuthority) -> None:
        self.netns = Netns(suffix).create()
        self.ca = ca
        self._cleanups: list[Callable[[], None]] = [self.netns.delete]
        self._dns: DnsServer | None = None
        self._goproxy: GoModuleProxy | None = None
        self._tls: TlsServer | None = None
        self._git: GitServer | None = None
        self._proxies: dict[tuple[str, bool], HttpProxy] = {}
        self.dns  # noqa: B018 - resolving is what every test in the namespace relies on

    @property
    def dns(self) -> DnsServer:
        if self._dns is None:
            self._dns = DnsServer(default_records(), NXDOMAIN_NAMES, netns=self.netns).start()
            self._cleanups.append(self._dns.stop)
        return self._dns

    @property
    def goproxy(self) -> GoModuleProxy:
        if self._goproxy is None:
            self.dns  # noqa: B018 - names must resolve before anyone uses the proxy
            self._goproxy = GoModuleProxy(netns=self.netns, port=80).start()
            self._cleanups.append(self._goproxy.stop)
        return self._goproxy

    @property
    def tls_server(self) -> TlsServer:
        if self._tls is None:
            self.dns  # noqa: B018
            cert = self.ca.issue(["localhost", "127.0.0.1", *LOOPBACK_NAMES])
            self._tls = TlsServer(cert, netns=self.netns, port=443).start()
            self._cleanups.append(self._tls.stop)
        return self._tls

    @property
    def git(self) -> GitServer:
        """HTTPS git host ``git.corp.test`` (127.0.0.2:443) with auth ``CREDENTIALS``."""
        if self._git is None:
            cert = self.ca.issue([GIT_HOST, GIT_ADDRESS])
            self._git = GitServer(
                credentials=CREDENTIALS,
                certificate=cert,
                netns=self.netns,
                host=GIT_ADDRESS,
                port=443,
            ).start()
            self._cleanups.append(self._git.stop)
        return self._git

    def proxy(self, kind: ProxyKind = "tinyproxy", *, auth: bool = False) -> HttpProxy:
        """A proxy inside the namespace (started once, restarted if a test stopped it)."""
        key = (kind, auth)
        proxy = self._proxies.get(key)
        if proxy is None:
            self.dns  # noqa: B018
            proxy = HttpProxy(
                kind,
                credentials=CREDENTIALS if auth else None,
                hosts=proxy_hosts(),
                netns=self.netns,
            ).start()
            self._proxies[key] = proxy
            self._cleanups.append(proxy.stop)
        elif not proxy.running:
            proxy.start()
        return proxy

    def reset(self) -> None:
        """Undo what a test changed: faults, stopped proxies stay for ``proxy`` to restart."""
        for server in (self._goproxy, self._tls):
            if server is not None:
                server.reset_state()

    def close(self) -> None:
        for cleanup in reversed(self._cleanups):
            with contextlib.suppress(Exception):
                cleanup()
        self._cleanups.clear()
