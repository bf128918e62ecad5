"""Proxies, TLS server and CA fixtures, checked with httpx the way the probes use it."""

from __future__ import annotations

import ssl

import httpx
import pytest

from tests.testbed.bed import CREDENTIALS
from tests.testbed.goproxy import GoModuleProxy, TlsServer
from tests.testbed.proxy import HttpProxy
from tests.testbed.tls import CertificateAuthority


def _client(proxy: str | None, verify: ssl.SSLContext | bool = True) -> httpx.Client:
    return httpx.Client(proxy=proxy, verify=verify, trust_env=False, timeout=5)


def test_tls_server_trusted_with_its_ca(tls_server: TlsServer, ca: CertificateAuthority) -> None:
    with _client(None, ca.client_context()) as client:
        response = client.get(tls_server.url + "/example.com/hello/@v/list")
    assert response.status_code == 200
    assert response.text == "v1.0.0\nv1.1.0\n"


def test_tls_server_unknown_ca(tls_server: TlsServer) -> None:
    with (
        _client(None, ssl.create_default_context(cafile=None, capath="/nonexistent")) as client,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.get(tls_server.url + "/")


def test_intercepting_ca_is_a_different_issuer(
    intercepting_tls_server: TlsServer, ca: CertificateAuthority
) -> None:
    with (
        _client(None, ca.client_context()) as client,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.get(intercepting_tls_server.url + "/")
    pem = ssl.get_server_certificate(("127.0.0.1", intercepting_tls_server.port))
    assert "BEGIN CERTIFICATE" in pem
    assert intercepting_tls_server.ca_pem_path != ca.ca_pem_path


@pytest.mark.parametrize("fixture", ["tinyproxy_auth", "squid_auth"])
def test_proxy_with_right_credentials(
    fixture: str, request: pytest.FixtureRequest, tls_server: TlsServer, ca: CertificateAuthority
) -> None:
    proxy: HttpProxy = request.getfixturevalue(fixture)
    with _client(proxy.url_with_credentials, ca.client_context()) as client:
        assert client.get(tls_server.url + "/").status_code == 200


@pytest.mark.parametrize(
    ("fixture", "wrong_status"), [("tinyproxy_auth", 401), ("squid_auth", 407)]
)
def test_proxy_auth_failures(
    fixture: str, wrong_status: int, request: pytest.FixtureRequest, goproxy: GoModuleProxy
) -> None:
    proxy: HttpProxy = request.getfixturevalue(fixture)
    with _client(proxy.url) as client:
        assert client.get(goproxy.url + "/").status_code == 407
    with _client(proxy.url_with(CREDENTIALS[0], "wrong")) as client:
        assert client.get(goproxy.url + "/").status_code == wrong_status


def test_proxy_connect_407_without_credentials(
    squid_auth: HttpProxy, tls_server: TlsServer, ca: CertificateAuthority
) -> None:
    with (
        _client(squid_auth.url, ca.client_context()) as client,
        pytest.raises(httpx.ProxyError, match="407"),
    ):
        client.get(tls_server.url + "/")


def test_proxy_without_auth_forwards(tinyproxy: HttpProxy, goproxy: GoModuleProxy) -> None:
    with _client(tinyproxy.url) as client:
        response = client.get(goproxy.url + "/example.com/hello/@latest")
    assert response.json()["Version"] == "v1.1.0"
    assert "tinyproxy" in response.headers["via"]


def test_proxy_down_then_back(tinyproxy: HttpProxy, goproxy: GoModuleProxy) -> None:
    tinyproxy.stop()
    with _client(tinyproxy.url) as client, pytest.raises(httpx.ConnectError, match="refused"):
        client.get(goproxy.url + "/")
    tinyproxy.start()
    with _client(tinyproxy.url) as client:
        assert client.get(goproxy.url + "/").status_code == 200


def test_connect_to_port_not_allowed(tls_server: TlsServer, ca: CertificateAuthority) -> None:
    with (
        HttpProxy("tinyproxy", connect_ports=[tls_server.port + 1]) as proxy,
        _client(proxy.url, ca.client_context()) as client,
        pytest.raises(httpx.ProxyError, match="403"),
    ):
        client.get(tls_server.url + "/")
