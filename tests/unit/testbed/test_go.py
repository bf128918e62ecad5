"""The real ``go mod download`` against the test bed, with the exact texts of test-bed.md."""

from __future__ import annotations

import pytest

from tests.testbed._util import TestbedError
from tests.testbed.bed import CREDENTIALS, NetnsBed
from tests.testbed.goproxy import MODULE, GoModuleProxy, Module, TlsServer
from tests.testbed.gotool import GoTool
from tests.testbed.netns import Netns
from tests.testbed.proxy import HttpProxy

MOD = f"{MODULE}/@v/v1.0.0.mod"


def test_download_succeeds(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    result = go_tool.download(goproxy.url)
    assert result.ok, result.stderr
    assert goproxy.paths_requested() == [
        f"/{MODULE}/@v/v1.0.0.mod",
        f"/{MODULE}/@v/v1.0.0.info",
        f"/{MODULE}/@v/v1.0.0.zip",
    ]
    assert f"# get {goproxy.url}/{MOD}: 200 OK" in result.stderr


def test_served_hashes_match_what_go_computes(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    good = go_tool.download(goproxy.url, go_sum=Module().go_sum_lines("v1.0.0"))
    assert good.ok, good.stderr
    bad = Module().go_sum_lines("v1.0.0").replace("h1:", "h1:AAAA", 1)
    result = go_tool.download(goproxy.url, go_sum=bad)
    assert result.rc == 1
    assert "checksum mismatch" in result.stderr


def test_refused(go_tool: GoTool) -> None:
    with GoModuleProxy() as server:
        url = server.url
    result = go_tool.download(url)
    assert result.rc == 1
    assert f'Get "{url}/{MOD}": dial tcp 127.0.0.1:' in result.stderr
    assert "connect: connection refused" in result.stderr


def test_version_missing_is_404(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    result = go_tool.download(goproxy.url, requires=[(MODULE, "v1.0.1")])
    assert result.rc == 1
    assert f"reading {goproxy.url}/{MODULE}/@v/v1.0.1.mod: 404 Not Found" in result.stderr


@pytest.mark.parametrize(
    ("status", "text"), [(410, "410 Gone"), (500, "500 Internal Server Error"), (503, "503")]
)
def test_status_faults(status: int, text: str, goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    goproxy.set_fault(f"/{MOD}", status=status, body=b"injected by the test bed\n")
    result = go_tool.download(goproxy.url)
    assert result.rc == 1
    assert f"reading {goproxy.url}/{MOD}: {text}" in result.stderr
    assert "server response: injected by the test bed" in result.stderr


def test_comma_falls_through_on_404_only(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    with GoModuleProxy() as second:
        goproxy.set_fault("*", status=404)
        assert go_tool.download(f"{goproxy.url},{second.url}").ok
        goproxy.set_fault("*", status=500)
        assert go_tool.download(f"{goproxy.url},{second.url}").rc == 1
        assert go_tool.download(f"{goproxy.url}|{second.url}").ok


def test_connection_reset(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    goproxy.set_fault("*.zip", reset=True)
    result = go_tool.download(goproxy.url)
    assert result.rc == 1
    assert "connection reset by peer" in result.stderr


def test_delay_makes_go_hang(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    goproxy.set_fault("*.mod", delay=30)
    result = go_tool.download(goproxy.url, timeout=1.5)
    assert result.timed_out
    assert f"# get {goproxy.url}/{MOD}" in result.stderr


def test_https_unknown_authority_then_trusted(tls_server: TlsServer, go_tool: GoTool) -> None:
    url = tls_server.url_for("localhost")
    result = go_tool.download(url)
    assert result.rc == 1
    assert f'Get "{url}/{MOD}": x509: certificate signed by unknown authority' in result.stderr
    assert go_tool.download(url, env={"SSL_CERT_FILE": str(tls_server.ca_pem_path)}).ok


def test_root_namespace_refuses_lookups(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    with pytest.raises(TestbedError, match=r"GOSUMDB=sum\.golang\.org"):
        go_tool.download(goproxy.url, env={"GOSUMDB": "sum.golang.org"})
    with pytest.raises(TestbedError, match="direct"):
        go_tool.download(f"{goproxy.url},direct")
    with pytest.raises(TestbedError, match=r"goproxy\.test"):
        go_tool.download("http://goproxy.test")


# --- inside a namespace: names, DNS answers and proxies -------------------------------------
def test_name_resolved_by_namespace_dns(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    result = go_tool.download(netns_bed.goproxy.url_for("goproxy.test"), netns=netns_bed.netns)
    assert result.ok, result.stderr
    assert "query[A] goproxy.test" in netns_bed.dns.query_log


def test_nxdomain(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    result = go_tool.download("http://nonexistent.invalid", netns=netns_bed.netns)
    assert result.rc == 1
    assert (
        'Get "http://nonexistent.invalid/example.com/hello/@v/v1.0.0.mod": dial tcp: '
        "lookup nonexistent.invalid on 127.0.0.1:53: no such host"
    ) in result.stderr


def test_refused_is_server_misbehaving(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    result = go_tool.download("http://goproxy.example.com", netns=netns_bed.netns)
    assert result.rc == 1
    assert "lookup goproxy.example.com on 127.0.0.1:53: server misbehaving" in result.stderr


def test_unreachable_nameserver(blackhole_netns: Netns, go_tool: GoTool) -> None:
    result = go_tool.download("http://goproxy.example.com", netns=blackhole_netns)
    assert result.rc == 1
    assert (
        "lookup goproxy.example.com on 192.0.2.53:53: dial udp 192.0.2.53:53: "
        "connect: network is unreachable"
    ) in result.stderr


@pytest.mark.parametrize(("kind", "wrong"), [("tinyproxy", "401 Unauthorized"), ("squid", "407")])
def test_through_proxy_with_auth(
    kind: str, wrong: str, netns_bed: NetnsBed, go_tool: GoTool
) -> None:
    proxy = netns_bed.proxy(kind, auth=True)  # type: ignore[arg-type]
    url = netns_bed.goproxy.url_for("goproxy.test")
    reading = f"reading {url}/{MOD}: "

    def go(proxy_url: str) -> str:
        result = go_tool.download(url, env={"HTTP_PROXY": proxy_url}, netns=netns_bed.netns)
        return result.stderr if result.rc else "ok"

    assert reading + "407 Proxy Authentication Required" in go(proxy.url)
    assert reading + wrong in go(proxy.url_with(CREDENTIALS[0], "wrong"))
    assert go(proxy.url_with_credentials) == "ok"
    assert any(r.host == "goproxy.test" for r in netns_bed.goproxy.requests)


def test_dead_proxy_is_proxyconnect(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    proxy: HttpProxy = netns_bed.proxy("tinyproxy")
    proxy.stop()
    url = netns_bed.goproxy.url_for("goproxy.test")
    result = go_tool.download(url, env={"HTTP_PROXY": proxy.url}, netns=netns_bed.netns)
    assert result.rc == 1
    assert (
        f'Get "{url}/{MOD}": proxyconnect tcp: dial tcp 127.0.0.1:{proxy.port}: '
        "connect: connection refused"
    ) in result.stderr


def test_https_via_proxy_with_namespace_ca(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    proxy = netns_bed.proxy("squid", auth=True)
    url = netns_bed.tls_server.url_for("proxy.golang.org")
    env = {
        "HTTPS_PROXY": proxy.url_with_credentials,
        "SSL_CERT_FILE": str(netns_bed.ca.ca_pem_path),
    }
    result = go_tool.download(url, env=env, netns=netns_bed.netns)
    assert result.ok, result.stderr


def test_sumdb_direct_needs_trusted_tls(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    """Proxy says the sumdb is not supported: go asks sum.golang.org itself (here: our
    TLS server on 443 of the namespace, whose CA go does not know)."""
    netns_bed.tls_server  # noqa: B018 - sum.golang.org:443 must be listening
    result = go_tool.download(
        netns_bed.goproxy.url_for("goproxy.test"),
        env={"GOSUMDB": "sum.golang.org"},
        netns=netns_bed.netns,
    )
    assert result.rc == 1
    assert "/sumdb/sum.golang.org/supported: 404 Not Found" in result.stderr
    assert (
        "verifying go.mod: example.com/hello@v1.0.0/go.mod: "
        'Get "https://sum.golang.org/lookup/example.com/hello@v1.0.0": '
        "x509: certificate signed by unknown authority"
    ) in result.stderr


def test_sumdb_through_proxy_when_supported(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    netns_bed.goproxy.sumdb_supported = True
    result = go_tool.download(
        netns_bed.goproxy.url_for("goproxy.test"),
        env={"GOSUMDB": "sum.golang.org"},
        netns=netns_bed.netns,
    )
    assert result.rc == 1  # the test bed's tree note carries no valid signature
    assert "reading tree note: note has no verifiable signatures" in result.stderr
    assert "/sumdb/sum.golang.org/lookup/example.com/hello@v1.0.0" in (
        netns_bed.goproxy.paths_requested()
    )
