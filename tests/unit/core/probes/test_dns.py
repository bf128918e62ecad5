"""DNS probe against dnsmasq, a black-hole resolver and a closed port; Go agrees."""

from __future__ import annotations

import socket
import threading
import time
from functools import partial

from gobuildgui.core.probes import CancelToken, ProbeSpec, Resolver, Status
from gobuildgui.core.probes.dns import probe_dns
from tests.testbed.bed import NetnsBed
from tests.testbed.dns import BlackholeDns, DnsServer
from tests.testbed.gotool import GoTool
from tests.unit.core.probes.helpers import evidence, run_one


def _spec(host: str, resolver: Resolver) -> ProbeSpec:
    return ProbeSpec(
        f"dns:{host}@{resolver}", "dns", "t", partial(probe_dns, host=host, resolver=resolver)
    )


def _closed_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_resolves(dns_server: DnsServer) -> None:
    res = run_one(_spec("proxy.golang.org", Resolver("custom", "127.0.0.1", dns_server.port)))
    assert res.status is Status.OK, res
    assert "127.0.0.1" in res.summary
    ev = evidence(res)
    assert ev["A"].startswith("NOERROR: 127.0.0.1")
    assert ev["resolver"] == f"127.0.0.1:{dns_server.port} (custom)"


def test_nxdomain(dns_server: DnsServer) -> None:
    res = run_one(_spec("nothing.invalid", Resolver("daemon", "127.0.0.1", dns_server.port)))
    assert res.status is Status.FAILED
    assert res.summary.startswith("NXDOMAIN")
    assert "no such host" in res.explanation
    assert res.fix_ids == ("daemon-dns",)


def test_refused(dns_server: DnsServer) -> None:
    res = run_one(_spec("github.com", Resolver("custom", "127.0.0.1", dns_server.port)))
    assert res.status is Status.FAILED
    assert res.summary.startswith("REFUSED")
    assert "server misbehaving" in res.explanation


def test_timeout_takes_the_probe_timeout(blackhole_dns: BlackholeDns) -> None:
    start = time.monotonic()
    res = run_one(
        _spec("proxy.golang.org", Resolver("custom", "127.0.0.1", blackhole_dns.port)), 1.0
    )
    took = time.monotonic() - start
    assert res.status is Status.FAILED
    assert "did not answer" in res.summary
    assert "i/o timeout" in res.explanation
    assert 0.95 <= took < 2.0  # room for a loaded CI machine


def test_nothing_listening_is_refused_not_timeout() -> None:
    res = run_one(_spec("proxy.golang.org", Resolver("custom", "127.0.0.1", _closed_udp_port())))
    assert res.status is Status.FAILED
    assert "connection refused" in res.summary
    assert res.duration_s < 0.5


def test_cancel_stops_within_a_slice(blackhole_dns: BlackholeDns) -> None:
    token = CancelToken()
    threading.Timer(0.2, token.cancel).start()
    start = time.monotonic()
    res = _spec("x.test", Resolver("custom", "127.0.0.1", blackhole_dns.port)).run(token, 5)
    assert res.status is Status.CANCELLED
    assert time.monotonic() - start < 0.8


def test_go_agrees_nxdomain_refused_ok(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    """In a namespace whose resolv.conf names its dnsmasq, probe and go see the same."""
    dns, goproxy = netns_bed.dns, netns_bed.goproxy
    resolver = Resolver("host", "127.0.0.1", dns.port)
    for host, status, go_text in (
        ("goproxy.test", Status.OK, None),
        ("nxdomain.test", Status.FAILED, "no such host"),
        ("refused.example.com", Status.FAILED, "server misbehaving"),
    ):
        res = netns_bed.netns.call(partial(run_one, _spec(host, resolver)))
        assert res.status is status, (host, res)
        go = go_tool.download(f"http://{host}:{goproxy.port}", netns=netns_bed.netns)
        if go_text is None:
            assert go.ok, go.stderr
        else:
            assert not go.ok
            assert go_text in go.stderr
            assert go_text in res.explanation


def test_go_agrees_on_resolver_timeout(go_tool: GoTool, netns_bed: NetnsBed) -> None:
    from tests.testbed.netns import Netns

    with Netns("dnsto") as ns:
        hole = BlackholeDns(netns=ns).start()
        try:
            res = ns.call(
                lambda: run_one(_spec("goproxy.test", Resolver("host", "127.0.0.1", 53)), 1.0)
            )
            go = go_tool.download("http://goproxy.test", netns=ns, timeout=30)
        finally:
            hole.stop()
    assert res.status is Status.FAILED
    assert "did not answer" in res.summary
    assert not go.ok
    assert "i/o timeout" in go.stderr
