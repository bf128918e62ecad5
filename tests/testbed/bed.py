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


def default_records() -> dict[str, list[str]]:
    return {n: ["127.0.0.1", "::1"] for n in LOOPBACK_NAMES}


class NetnsBed:
    """Lazily started components inside one namespace ``gbg-<pid>-<suffix>``.

    ``dns`` (dnsmasq on 127.0.0.1:53, :func:`default_records`, NXDOMAIN for ``*.invalid`` and
    ``nxdomain.test``, REFUSED otherwise), ``goproxy`` (HTTP on port 80), ``tls_server``
    (HTTPS on 443 with ``ca``), ``proxy(kind, auth=...)`` (tinyproxy/squid on a free port).
    """

    def __init__(self, suffix: str, ca: CertificateAuthority) -> None:
        self.netns = Netns(suffix).create()
        self.ca = ca
        self._cleanups: list[Callable[[], None]] = [self.netns.delete]
        self._dns: DnsServer | None = None
        self._goproxy: GoModuleProxy | None = None
        self._tls: TlsServer | None = None
        self._proxies: dict[tuple[str, bool], HttpProxy] = {}

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

    def proxy(self, kind: ProxyKind = "tinyproxy", *, auth: bool = False) -> HttpProxy:
        """A proxy inside the namespace (started once, restarted if a test stopped it)."""
        key = (kind, auth)
        proxy = self._proxies.get(key)
        if proxy is None:
            self.dns  # noqa: B018
            proxy = HttpProxy(
                kind,
                credentials=CREDENTIALS if auth else None,
                hosts=dict.fromkeys(LOOPBACK_NAMES, "127.0.0.1"),
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
