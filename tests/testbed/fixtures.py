"""pytest fixtures of the test bed (registered by ``tests/conftest.py``).

Session-scoped servers are shared; the function-scoped fixtures hand out the same server
and put it back as found after the test (faults cleared, records restored, a stopped proxy
restarted). See ``tests/testbed/__init__.py`` for the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.testbed._util import need_binary, need_root, required
from tests.testbed.bed import CREDENTIALS, NXDOMAIN_NAMES, NetnsBed, default_records
from tests.testbed.dns import BlackholeDns, DnsServer
from tests.testbed.docker import Dockerd, run_dockerd_with_config
from tests.testbed.goproxy import GoModuleProxy, TlsServer
from tests.testbed.gotool import GoTool
from tests.testbed.netns import Netns
from tests.testbed.proxy import HttpProxy, ProxyKind
from tests.testbed.tls import CertificateAuthority


@pytest.fixture(scope="session")
def testbed_required() -> bool:
    """True when ``GOBUILDGUI_REQUIRE_TESTBED=1``: missing components fail, not skip."""
    return required()


# --- TLS ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def ca() -> CertificateAuthority:
    return CertificateAuthority("gobuildgui test CA")


@pytest.fixture(scope="session")
def intercepting_ca() -> CertificateAuthority:
    """A second CA, as a TLS-inspecting firewall would present (never trusted by default)."""
    return CertificateAuthority("Corp TLS Inspection CA")


@pytest.fixture(scope="session")
def _tls_server_session(ca: CertificateAuthority) -> Iterator[TlsServer]:
    with TlsServer(ca.issue(["localhost", "127.0.0.1", "goproxy.test"])) as server:
        yield server


@pytest.fixture
def tls_server(_tls_server_session: TlsServer) -> Iterator[TlsServer]:
    """HTTPS module proxy on 127.0.0.1 with a certificate of ``ca``."""
    yield _tls_server_session
    _tls_server_session.reset_state()


@pytest.fixture(scope="session")
def _intercepting_session(intercepting_ca: CertificateAuthority) -> Iterator[TlsServer]:
    with TlsServer(intercepting_ca.issue(["localhost", "127.0.0.1", "goproxy.test"])) as server:
        yield server


@pytest.fixture
def intercepting_tls_server(_intercepting_session: TlsServer) -> Iterator[TlsServer]:
    """The same content, but the certificate chains to ``intercepting_ca``."""
    yield _intercepting_session
    _intercepting_session.reset_state()


# --- Go module proxy ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _goproxy_session() -> Iterator[GoModuleProxy]:
    with GoModuleProxy() as server:
        yield server


@pytest.fixture
def goproxy(_goproxy_session: GoModuleProxy) -> Iterator[GoModuleProxy]:
    """Plain-HTTP module proxy on 127.0.0.1 serving example.com/hello v1.0.0 and v1.1.0."""
    _goproxy_session.reset_state()
    yield _goproxy_session
    _goproxy_session.reset_state()


@pytest.fixture(scope="session")
def go_tool() -> GoTool:
    """The real go tool (go1.19) with an isolated environment per run."""
    return GoTool()


# --- DNS -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _dns_session() -> Iterator[DnsServer]:
    with DnsServer(default_records(), NXDOMAIN_NAMES) as server:
        yield server


@pytest.fixture
def dns_server(_dns_session: DnsServer) -> Iterator[DnsServer]:
    """dnsmasq on 127.0.0.1:<port>: LOOPBACK_NAMES -> 127.0.0.1/::1, NXDOMAIN for
    ``*.invalid``/``nxdomain.test``, REFUSED for the rest. Changes are undone afterwards."""
    records = {k: list(v) for k, v in _dns_session.records.items()}
    nxdomain = set(_dns_session.nxdomain)
    yield _dns_session
    if _dns_session.records != records or _dns_session.nxdomain != nxdomain:
        _dns_session.records = records
        _dns_session.nxdomain = nxdomain
        _dns_session.reload()


@pytest.fixture(scope="session")
def blackhole_dns() -> Iterator[BlackholeDns]:
    """A DNS port on 127.0.0.1 that never answers (resolvers time out)."""
    with BlackholeDns() as server:
        yield server


# --- HTTP proxies ------------------------------------------------------------------------------
def _proxy_fixture(kind: ProxyKind, auth: bool) -> Iterator[HttpProxy]:
    with HttpProxy(kind, credentials=CREDENTIALS if auth else None) as proxy:
        yield proxy


def _running(proxy: HttpProxy) -> Iterator[HttpProxy]:
    if not proxy.running:
        proxy.start()
    yield proxy
    if not proxy.running:  # a "proxy down" test stopped it
        proxy.start()


@pytest.fixture(scope="session")
def _tinyproxy_session() -> Iterator[HttpProxy]:
    yield from _proxy_fixture("tinyproxy", auth=False)


@pytest.fixture(scope="session")
def _tinyproxy_auth_session() -> Iterator[HttpProxy]:
    yield from _proxy_fixture("tinyproxy", auth=True)


@pytest.fixture(scope="session")
def _squid_auth_session() -> Iterator[HttpProxy]:
    yield from _proxy_fixture("squid", auth=True)


@pytest.fixture
def tinyproxy(_tinyproxy_session: HttpProxy) -> Iterator[HttpProxy]:
    """tinyproxy without auth on 127.0.0.1 (any CONNECT port)."""
    yield from _running(_tinyproxy_session)


@pytest.fixture
def tinyproxy_auth(_tinyproxy_auth_session: HttpProxy) -> Iterator[HttpProxy]:
    """tinyproxy with BasicAuth ``CREDENTIALS``: 407 without, 401 with wrong credentials."""
    yield from _running(_tinyproxy_auth_session)


@pytest.fixture
def squid_auth(_squid_auth_session: HttpProxy) -> Iterator[HttpProxy]:
    """squid with basic auth ``CREDENTIALS``: 407 without and with wrong credentials."""
    yield from _running(_squid_auth_session)


# --- Network namespaces -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def _netns_bed_session(ca: CertificateAuthority) -> Iterator[NetnsBed]:
    bed = NetnsBed("bed", ca)
    yield bed
    bed.close()


@pytest.fixture
def netns_bed(_netns_bed_session: NetnsBed) -> Iterator[NetnsBed]:
    """A namespace with dnsmasq on :53, module proxies on :80/:443, proxies on demand."""
    yield _netns_bed_session
    _netns_bed_session.reset()


@pytest.fixture(scope="session")
def blackhole_netns() -> Iterator[Netns]:
    """A namespace with only ``lo`` whose resolv.conf names an unreachable server
    (192.0.2.53, TEST-NET-1): every non-loopback connection and lookup fails at once."""
    with Netns("blackhole", nameservers=("192.0.2.53",)) as ns:
        yield ns


# --- Docker ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def dockerd() -> Iterator[Dockerd]:
    """A real dockerd (root only) on its own socket, vfs, no bridge/iptables, with the
    images ``gbg-busybox:latest`` and ``gbg-go:1.19`` imported (no registry)."""
    with Dockerd() as daemon:
        daemon.ensure_busybox_image()
        daemon.ensure_go_image()
        yield daemon


@pytest.fixture
def docker_client(dockerd: Dockerd) -> Iterator[Any]:
    """A ``docker.DockerClient`` on the ``dockerd`` fixture's socket."""
    client = dockerd.client()
    yield client
    client.close()


@pytest.fixture(scope="session")
def dockerd_config_check() -> Callable[..., tuple[int, str]]:
    """``check(path, *, extra_flags=(), timeout=20) -> (rc, message)``: start a throwaway
    dockerd with ``--config-file path`` and report whether it came up or its exact error."""
    need_root("dockerd")
    need_binary("dockerd", package="docker.io")
    return run_dockerd_with_config


@pytest.fixture(scope="session")
def dockerd_bridge() -> Iterator[Dockerd]:
    """A dockerd (root only) started inside its own namespace ``gbg-<pid>-docker`` with the
    default bridge and iptables: containers and builds get ``eth0`` 172.17.0.x and a route
    that leads nowhere (the namespace has no uplink). Same images as ``dockerd``."""
    with Netns("docker") as ns, Dockerd(netns=ns) as daemon:
        daemon.ensure_busybox_image()
        daemon.ensure_go_image()
        yield daemon
