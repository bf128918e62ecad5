"""dnsmasq fixture: answers, NXDOMAIN, REFUSED, reloads; the black hole times out."""

from __future__ import annotations

import time

import dns.resolver
import pytest

from tests.testbed.dns import BlackholeDns, DnsServer


def test_answers_configured_names(dns_server: DnsServer) -> None:
    resolver = dns_server.resolver()
    assert [r.to_text() for r in resolver.resolve("proxy.golang.org", "A")] == ["127.0.0.1"]
    assert [r.to_text() for r in resolver.resolve("proxy.golang.org", "AAAA")] == ["::1"]


def test_nxdomain_for_invalid_and_listed_names(dns_server: DnsServer) -> None:
    resolver = dns_server.resolver()
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("nonexistent.invalid", "A")
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("nxdomain.test", "A")


def test_refused_for_everything_else(dns_server: DnsServer) -> None:
    with pytest.raises(dns.resolver.NoNameservers, match="REFUSED"):
        dns_server.resolver().resolve("github.com", "A")


def test_records_can_be_added_and_are_undone(dns_server: DnsServer) -> None:
    dns_server.set_records({"added.test": ["127.0.0.9"]})
    assert [r.to_text() for r in dns_server.resolver().resolve("added.test", "A")] == ["127.0.0.9"]
    dns_server.add_nxdomain("github.com")
    with pytest.raises(dns.resolver.NXDOMAIN):
        dns_server.resolver().resolve("github.com", "A")


def test_previous_test_changes_were_undone(dns_server: DnsServer) -> None:
    assert "added.test" not in dns_server.records
    with pytest.raises(dns.resolver.NoNameservers):
        dns_server.resolver().resolve("added.test", "A")


def test_query_log_proves_what_was_asked(dns_server: DnsServer) -> None:
    dns_server.resolver().resolve("sum.golang.org", "A")
    time.sleep(0.05)
    assert "query[A] sum.golang.org" in dns_server.query_log


def test_blackhole_times_out(blackhole_dns: BlackholeDns) -> None:
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [blackhole_dns.address]
    resolver.port = blackhole_dns.port
    resolver.lifetime = 0.3
    start = time.monotonic()
    with pytest.raises(dns.resolver.LifetimeTimeout):
        resolver.resolve("proxy.golang.org", "A")
    assert 0.25 < time.monotonic() - start < 2


def test_blackhole_tcp_accepts_and_never_answers(blackhole_dns: BlackholeDns) -> None:
    query = dns.message.make_query("proxy.golang.org", "A")
    with pytest.raises(dns.exception.Timeout):
        dns.query.tcp(query, blackhole_dns.address, port=blackhole_dns.port, timeout=0.3)


def test_stopped_server_is_gone() -> None:
    server = DnsServer({"x.test": ["127.0.0.1"]}).start()
    resolver = server.resolver(lifetime=0.3)
    assert resolver.resolve("x.test", "A")
    server.stop()
    with pytest.raises(dns.exception.DNSException):
        resolver.resolve("x.test", "A")
