"""The real loopback test bed: DNS, HTTP proxies, TLS, a Go module proxy, go, dockerd.

Everything listens on 127.0.0.1 of this machine or inside network namespaces the tests
create (``gbg-<pid>-...``), on ports chosen at run time, and is stopped by pid afterwards.
A component whose program is missing (or that needs root) SKIPS its tests with the reason;
with ``GOBUILDGUI_REQUIRE_TESTBED=1`` (set by ``.ci/run``) it FAILS them instead.

Fixtures (``tests/testbed/fixtures.py``, registered in ``tests/conftest.py``). Function
fixtures share one session-wide server and undo the test's changes afterwards.

=========================  ===================================================================
fixture                    gives
=========================  ===================================================================
``testbed_required``       bool: ``GOBUILDGUI_REQUIRE_TESTBED=1``
``ca``                     :class:`~tests.testbed.tls.CertificateAuthority` "gobuildgui test CA"
``intercepting_ca``        a second CA, "Corp TLS Inspection CA" (a TLS-inspecting firewall)
``goproxy``                :class:`~tests.testbed.goproxy.GoModuleProxy`, HTTP on 127.0.0.1:
                           ``example.com/hello`` v1.0.0 + v1.1.0, faults, sumdb endpoints
``tls_server``             :class:`~tests.testbed.goproxy.TlsServer`: the same over HTTPS,
                           cert for localhost/127.0.0.1/goproxy.test by ``ca``
``intercepting_tls_server`` the same, cert by ``intercepting_ca``
``go_tool``                :class:`~tests.testbed.gotool.GoTool`: real ``go mod download -x``
``dns_server``             :class:`~tests.testbed.dns.DnsServer` (dnsmasq on 127.0.0.1:port):
                           ``bed.LOOPBACK_NAMES`` -> 127.0.0.1/::1, NXDOMAIN ``*.invalid`` and
                           ``nxdomain.test``, REFUSED otherwise
``blackhole_dns``          :class:`~tests.testbed.dns.BlackholeDns`: never answers (timeouts)
``tinyproxy``              :class:`~tests.testbed.proxy.HttpProxy`, no auth
``tinyproxy_auth``         tinyproxy with ``bed.CREDENTIALS`` (407 none, **401** wrong)
``squid_auth``             squid with ``bed.CREDENTIALS`` (407 none, 407 wrong)
``netns_bed``              :class:`~tests.testbed.bed.NetnsBed` (root): a namespace with
                           ``.dns`` on 127.0.0.1:53, ``.goproxy`` on :80, ``.tls_server`` on
                           :443, ``.proxy(kind, auth=)``, ``.netns.run/popen/call``
``blackhole_netns``        :class:`~tests.testbed.netns.Netns` with only ``lo``; resolv.conf
                           names 192.0.2.53: every lookup/connection out fails at once
``dockerd``                :class:`~tests.testbed.docker.Dockerd` (root): own socket
                           (``.host``), vfs, ``--bridge=none``, images ``gbg-busybox:latest``
                           and ``gbg-go:1.19``; ``.client()``, ``.cli(...)``,
                           ``.build(context, buildkit=, network=, build_args=)``
``docker_client``          ``docker.DockerClient`` on ``dockerd`` (closed afterwards)
``dockerd_bridge``         a ``Dockerd`` inside namespace ``gbg-<pid>-docker`` with the
                           default bridge (containers get 172.17.0.x, no way out)
``dockerd_config_check``   ``check(path, *, extra_flags=()) -> (rc, message)``: start a
                           throwaway dockerd with ``--config-file``; 0 or its exact error
=========================  ===================================================================

Helpers without fixtures: ``docker.go_build_context(dir)`` writes a Dockerfile + go.mod whose
``RUN go mod download -x`` uses ``--build-arg GOPROXY=...``; ``goproxy.Module`` computes the
go.sum lines (``h1:``) of the served module; ``DnsServer(records, nxdomain, netns=)``,
``HttpProxy(kind, credentials=, connect_ports=, hosts=, netns=)``, ``GoModuleProxy(netns=,
port=)`` and ``Dockerd(config=, netns=, env=)`` can be started by a test for its own setting.

Examples::

    def test_probe_sees_407(squid_auth, tls_server, ca):
        with httpx.Client(proxy=squid_auth.url, verify=ca.client_context(),
                          trust_env=False) as client:
            with pytest.raises(httpx.ProxyError, match="407"):
                client.get(tls_server.url + "/")

    def test_go_agrees_on_410(goproxy, go_tool):
        goproxy.set_fault("*/@v/v1.0.0.mod", status=410)
        result = go_tool.download(goproxy.url)
        assert result.rc == 1 and "410 Gone" in result.stderr

    def test_classic_build_sees_refused(dockerd, tmp_path):     # root only
        result = dockerd.build(go_build_context(tmp_path),
                               build_args={"GOPROXY": "http://127.0.0.1:9"})
        assert "connect: connection refused" in result.stdout

    def test_go_through_proxy(netns_bed, go_tool):       # root only
        proxy = netns_bed.proxy("tinyproxy", auth=True)
        result = go_tool.download(
            netns_bed.goproxy.url_for("goproxy.test"),  # a name, so Go uses the proxy
            env={"HTTP_PROXY": proxy.url}, netns=netns_bed.netns)
        assert "407 Proxy Authentication Required" in result.stderr

Fault injection: ``server.set_fault(pattern, status=404|410|500|503, delay=seconds,
reset=True, body=b"...")`` with an fnmatch pattern on the path; ``server.requests`` lists
what clients asked; ``server.sumdb_supported = True`` makes ``/sumdb/<name>/supported`` 200.
"""
