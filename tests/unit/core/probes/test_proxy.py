"""HTTP proxy probe against tinyproxy and squid: 407, 401, refused, timeout, success."""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path

import pytest

from gobuildgui.core.probes import ProbeSpec, Proxy, Status
from gobuildgui.core.probes.proxy import probe_proxy
from tests.testbed.bed import CREDENTIALS, NetnsBed
from tests.testbed.goproxy import GoModuleProxy, TlsServer
from tests.testbed.gotool import GoTool
from tests.testbed.mitm import InterceptingProxy
from tests.testbed.proxy import HttpProxy
from tests.testbed.tls import CertificateAuthority
from tests.unit.core.probes.helpers import BlackholeTcp, evidence, run_one


def _spec(proxy_url: str, url: str, cafile: Path | None = None, scheme: str = "https") -> ProbeSpec:
    px = Proxy(proxy_url, scheme, "test")
    return ProbeSpec(
        "proxy:t", "proxy", "t", partial(probe_proxy, proxy=px, url=url, cafile=cafile)
    )


def test_through_tinyproxy_http_and_https(
    tinyproxy: HttpProxy, goproxy: GoModuleProxy, tls_server: TlsServer, ca: CertificateAuthority
) -> None:
    res = run_one(_spec(tinyproxy.url, goproxy.url + "/", scheme="http"))
    assert res.status is Status.OK, res
    assert "tinyproxy" in evidence(res).get("via", "")
    res = run_one(_spec(tinyproxy.url, tls_server.url + "/", ca.ca_pem_path))
    assert res.status is Status.OK, res


@pytest.mark.parametrize("kind", ["tinyproxy_auth", "squid_auth"])
def test_407_without_credentials(
    kind: str, request: pytest.FixtureRequest, tls_server: TlsServer
) -> None:
    proxy: HttpProxy = request.getfixturevalue(kind)
    res = run_one(_spec(proxy.url, tls_server.url + "/"))
    assert res.status is Status.FAILED
    assert res.summary == "the proxy wants credentials (407 Proxy Authentication Required)"
    assert res.fix_ids[0] == "client-proxy"


def test_wrong_credentials_tinyproxy_401_squid_407(
    tinyproxy_auth: HttpProxy, squid_auth: HttpProxy, tls_server: TlsServer
) -> None:
    url = tls_server.url + "/"
    res = run_one(_spec(tinyproxy_auth.url_with("gbguser", "wrong-pass"), url))
    assert res.summary == "the proxy rejected the credentials (401 Unauthorized)"
    assert "wrong-pass" not in str(res.evidence)  # credentials are masked
    res = run_one(_spec(squid_auth.url_with("gbguser", "wrong-pass"), url))
    assert res.summary == "the proxy rejected the credentials (407 Proxy Authentication Required)"


def test_right_credentials(
    tinyproxy_auth: HttpProxy, tls_server: TlsServer, ca: CertificateAuthority
) -> None:
    res = run_one(_spec(tinyproxy_auth.url_with_credentials, tls_server.url + "/", ca.ca_pem_path))
    assert res.status is Status.OK, res
    assert CREDENTIALS[1] not in str(res.to_json())


def test_proxy_down_and_black_holed(tinyproxy: HttpProxy, tls_server: TlsServer) -> None:
    tinyproxy.stop()
    res = run_one(_spec(tinyproxy.url, tls_server.url + "/"))
    assert res.status is Status.FAILED
    assert res.summary.startswith("proxy down")
    with BlackholeTcp() as hole:
        res = run_one(_spec(hole.url, tls_server.url + "/"), 0.8)
    assert res.status is Status.FAILED
    assert "did not answer" in res.summary


def test_tls_interception_through_the_proxy(tinyproxy: HttpProxy, tls_server: TlsServer) -> None:
    res = run_one(_spec(tinyproxy.url, tls_server.url + "/"))  # the test CA is not trusted
    assert res.status is Status.FAILED
    assert res.summary.startswith("TLS through the proxy failed")
    assert res.fix_ids == ("dockerfile-ca-cert",)


def test_go_agrees_on_407_401_and_success(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    """Go uses the proxy only for non-loopback names: run both inside the bed namespace."""
    proxy = netns_bed.proxy("tinyproxy", auth=True)
    target = netns_bed.goproxy.url_for("goproxy.test")
    cases = [
        (proxy.url, "407 Proxy Authentication Required", Status.FAILED),
        (proxy.url_with("gbguser", "wrong-pass"), "401 Unauthorized", Status.FAILED),
        (proxy.url_with_credentials, None, Status.OK),
    ]
    for proxy_url, go_text, status in cases:
        spec = _spec(proxy_url, target + "/", scheme="http")
        res = netns_bed.netns.call(partial(run_one, spec))
        go = go_tool.download(target, env={"HTTP_PROXY": proxy_url}, netns=netns_bed.netns)
        assert res.status is status, res
        if go_text is None:
            assert go.ok, go.stderr
        else:
            assert go_text in go.stderr
            assert go_text.split()[0] in res.summary


@pytest.mark.parametrize("stage", ["connect", "read"])
def test_cancelled_request_leaves_no_thread_behind(stage: str) -> None:
    """httpx blocks in its thread; a cancel shuts its sockets so the thread ends too."""
    import socket
    import threading
    import time

    from gobuildgui.core.probes import CancelToken, Deadline
    from gobuildgui.core.probes.base import ProbeCancelled
    from gobuildgui.core.probes.httpio import http_get

    with contextlib.ExitStack() as stack:
        if stage == "connect":
            url = stack.enter_context(BlackholeTcp()).url + "/"
        else:  # the kernel accepts, nobody ever answers
            srv = stack.enter_context(socket.socket())
            srv.bind(("127.0.0.1", 0))
            srv.listen(8)
            url = f"http://127.0.0.1:{srv.getsockname()[1]}/"
        token = CancelToken()
        threading.Timer(0.3, token.cancel).start()
        before = {t.ident for t in threading.enumerate()}
        with pytest.raises(ProbeCancelled):
            http_get(url, token, Deadline(20))
        start = time.monotonic()
        while time.monotonic() - start < 1.0:
            helpers = [t for t in threading.enumerate() if t.name == "gbg-probe-call"]
            if not [t for t in helpers if t.ident not in before]:
                break
            time.sleep(0.02)
        assert time.monotonic() - start < 1.0


def test_tls_inspecting_proxy_and_go_agrees(
    intercepting_proxy: InterceptingProxy,
    intercepting_ca: CertificateAuthority,
    tls_server: TlsServer,
    go_tool: GoTool,
) -> None:
    """Behind a TLS-inspecting proxy both fail with an unknown CA; with its CA both pass."""
    url = f"https://proxy.golang.org:{tls_server.port}"
    env = {"HTTPS_PROXY": intercepting_proxy.url}
    # The inspecting proxy makes a certificate (openssl) per host on first use: be patient.
    res = run_one(_spec(intercepting_proxy.url, url + "/"), 15)
    go = go_tool.download(url, env=env)
    assert res.status is Status.FAILED
    assert res.summary.startswith("TLS through the proxy failed")
    assert "dockerfile-ca-cert" in res.fix_ids
    assert not go.ok
    assert "x509: certificate signed by unknown authority" in go.stderr

    res = run_one(_spec(intercepting_proxy.url, url + "/", intercepting_ca.ca_pem_path), 15)
    trusted = {**env, "SSL_CERT_FILE": str(intercepting_ca.ca_pem_path)}
    go = go_tool.download(url, env=trusted)
    assert res.status is Status.OK, res
    assert go.ok, go.stderr


def test_go_agrees_on_proxy_down(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    proxy = netns_bed.proxy("tinyproxy")
    target = netns_bed.goproxy.url_for("goproxy.test")
    proxy.stop()
    try:
        spec = _spec(proxy.url, target + "/", scheme="http")
        res = netns_bed.netns.call(partial(run_one, spec))
        go = go_tool.download(target, env={"HTTP_PROXY": proxy.url}, netns=netns_bed.netns)
    finally:
        proxy.start()
    assert res.status is Status.FAILED
    assert res.summary.startswith("proxy down")
    assert "proxyconnect tcp" in res.explanation
    assert "proxyconnect tcp" in go.stderr
    assert "connection refused" in go.stderr


def test_403_when_the_proxy_forbids_the_port(tls_server: TlsServer) -> None:
    with HttpProxy("tinyproxy", connect_ports=[443]) as proxy:  # CONNECT only to 443
        res = run_one(_spec(proxy.url, tls_server.url + "/"))
    assert res.status is Status.FAILED
    assert res.summary.startswith("the proxy forbids this connection (403")
