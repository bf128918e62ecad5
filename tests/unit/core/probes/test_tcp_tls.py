"""TCP and TLS probes against loopback servers; go agrees on TLS verdicts."""

from __future__ import annotations

import socket
import time
from functools import partial
from pathlib import Path

from gobuildgui.core.probes import ProbeSpec, Status
from gobuildgui.core.probes.netio import HostPort
from gobuildgui.core.probes.tcp import probe_tcp
from gobuildgui.core.probes.tls import probe_tls
from tests.testbed.goproxy import GoModuleProxy, TlsServer
from tests.testbed.gotool import GoTool
from tests.testbed.netns import Netns
from tests.testbed.tls import CertificateAuthority
from tests.unit.core.probes.helpers import BlackholeTcp, evidence, run_one


def _tcp(ep: HostPort) -> ProbeSpec:
    return ProbeSpec(f"tcp:{ep}", "tcp", "t", partial(probe_tcp, endpoint=ep))


def _tls(ep: HostPort, system: Path | None = None, *extra: Path) -> ProbeSpec:
    return ProbeSpec(
        f"tls:{ep}",
        "tls",
        "t",
        partial(probe_tls, endpoint=ep, system_ca_file=system, ca_files=tuple(extra)),
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_tcp_connects(goproxy: GoModuleProxy) -> None:
    res = run_one(_tcp(HostPort("localhost", goproxy.port)))
    assert res.status is Status.OK
    assert "connected" in evidence(res)["127.0.0.1"]


def test_tcp_refused() -> None:
    res = run_one(_tcp(HostPort("127.0.0.1", _closed_port())))
    assert res.status is Status.FAILED
    assert res.summary.endswith("connection refused")
    assert "connection refused" in res.explanation


def test_tcp_timeout_is_one_timeout() -> None:
    with BlackholeTcp() as hole:
        start = time.monotonic()
        res = run_one(_tcp(HostPort("127.0.0.1", hole.port)), 0.8)
        took = time.monotonic() - start
    assert res.status is Status.FAILED
    assert res.summary.endswith("timeout")
    assert "i/o timeout" in res.explanation
    assert res.fix_ids == ("client-proxy", "daemon-proxy")
    assert 0.75 < took < 1.6


def test_tcp_unresolvable_name() -> None:
    res = run_one(_tcp(HostPort("nothing.invalid", 443)))
    assert res.status is Status.FAILED
    assert res.summary.startswith("cannot resolve nothing.invalid")


def test_tls_private_ca_trusted_by_the_system_store_is_an_interception(
    tls_server: TlsServer, ca: CertificateAuthority
) -> None:
    res = run_one(_tls(HostPort("localhost", tls_server.port), ca.ca_pem_path))
    assert res.status is Status.WARNING
    assert "trusted here only through a local CA" in res.summary
    assert res.fix_ids == ("dockerfile-ca-cert",)
    ev = evidence(res)
    assert ev["system store"] == "verified"
    assert ev["Mozilla bundle"].startswith("rejected")
    assert "CN=gobuildgui test CA" in ev["certificate 0"]
    assert "localhost" in ev["names"]


def test_tls_unknown_authority_and_go_agrees(
    intercepting_tls_server: TlsServer,
    intercepting_ca: CertificateAuthority,
    go_tool: GoTool,
) -> None:
    ep = HostPort("127.0.0.1", intercepting_tls_server.port)
    res = run_one(_tls(ep))
    assert res.status is Status.FAILED
    assert "signed by unknown authority" in res.summary
    assert "Corp TLS Inspection CA" in res.summary
    assert "install its CA in the image" in res.explanation
    assert res.fix_ids == ("dockerfile-ca-cert",)
    go = go_tool.download(intercepting_tls_server.url)
    assert not go.ok
    assert "x509: certificate signed by unknown authority" in go.stderr

    # Naming the firewall's CA file identifies it.
    res = run_one(_tls(ep, None, intercepting_ca.ca_pem_path))
    assert res.status is Status.FAILED
    assert "only CA file" in res.summary

    # And with that CA in the trust store, both pass.
    ok = run_one(_tls(ep, intercepting_ca.ca_pem_path))
    assert ok.status is Status.WARNING  # trusted, but not by Mozilla's bundle
    go = go_tool.download(
        intercepting_tls_server.url, env={"SSL_CERT_FILE": str(intercepting_ca.ca_pem_path)}
    )
    assert go.ok, go.stderr


def test_tls_to_a_plain_http_port(goproxy: GoModuleProxy) -> None:
    res = run_one(_tls(HostPort("127.0.0.1", goproxy.port)))
    assert res.status is Status.FAILED
    assert "does not speak TLS" in res.summary


def test_tls_name_mismatch(ca: CertificateAuthority) -> None:
    with TlsServer(ca.issue(["other.test"])) as server:  # not valid for localhost
        res = run_one(_tls(HostPort("localhost", server.port), ca.ca_pem_path))
    assert res.status is Status.FAILED
    assert "not valid for localhost" in res.summary
    assert evidence(res)["names"] == "other.test"


def test_tls_handshake_that_never_comes() -> None:
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(4)  # accepted by the kernel, never answered
        start = time.monotonic()
        res = run_one(_tls(HostPort("127.0.0.1", srv.getsockname()[1])), 0.6)
    assert res.status is Status.FAILED
    assert "handshake" in res.summary
    assert time.monotonic() - start < 1.5


def test_tcp_unreachable_in_a_namespace_without_routes(blackhole_netns: Netns) -> None:
    res = blackhole_netns.call(partial(run_one, _tcp(HostPort("192.0.2.1", 443))))
    assert res.status is Status.FAILED
    assert res.summary.endswith("network unreachable")
    assert "network is unreachable" in res.explanation
    assert res.duration_s < 0.5
