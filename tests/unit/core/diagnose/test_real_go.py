"""The real ``go mod download`` (go1.19) failing against the loopback test bed.

Its real stderr is diagnosed as it is, and again wrapped in BuildKit's plain-progress
framing (each line prefixed ``#8 1.234``, the ERROR line and the ``------`` echo block), so
the classification is checked on what go really prints, not on texts written by hand.
DNS cases run in a network namespace with its own dnsmasq, never the host's resolver.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from gobuildgui.core.diagnose import Finding, diagnose_text
from tests.testbed.bed import CREDENTIALS, NetnsBed
from tests.testbed.docker import Dockerd, go_build_context
from tests.testbed.goproxy import MODULE, GoModuleProxy, Module, TlsServer
from tests.testbed.gotool import GoResult, GoTool
from tests.testbed.netns import Netns


@dataclass(frozen=True)
class Expect:
    code: str
    category: str
    marker: str  # a substring of the line that must be the evidence
    facts: dict[str, str]


def buildkit_wrap(stderr: str) -> tuple[str, int]:
    """``stderr`` as BuildKit would show it; returns the log and the offset of line 1."""
    lines = stderr.rstrip("\n").split("\n")
    head = ["#8 [builder 4/6] RUN go mod download -x"]
    body = [f"#8 {0.2 + i / 1000:.3f} {ln}" for i, ln in enumerate(lines)]
    tail = [
        '#8 ERROR: process "/bin/sh -c go mod download -x" did not complete successfully: '
        "exit code: 1",
        "------",
        " > [builder 4/6] RUN go mod download -x:",
        *[f"{0.2 + i / 1000:.3f} {ln}" for i, ln in enumerate(lines)],
        "------",
        'ERROR: failed to solve: process "/bin/sh -c go mod download -x" did not complete '
        "successfully: exit code: 1",
    ]
    return "\n".join([*head, *body, *tail]) + "\n", len(head)


def check(result: GoResult, expect: Expect) -> Finding:
    assert result.rc == 1, result.output
    stderr = result.stderr
    want_line = next(
        i for i, ln in enumerate(stderr.split("\n"), 1) if expect.marker in ln and "# get" not in ln
    )
    for text, offset in ((stderr, 0), buildkit_wrap(stderr)):
        findings = diagnose_text(text)
        assert findings, stderr
        f = findings[0]
        assert (f.code, f.category) == (expect.code, expect.category), (
            [(x.code, x.line) for x in findings],
            stderr,
        )
        assert f.line == want_line + offset, stderr
        facts = f.facts_dict()
        for key, value in expect.facts.items():
            assert facts.get(key) == value, (key, facts)
    return f


def test_refused(go_tool: GoTool) -> None:
    with GoModuleProxy() as server:
        url, port = server.url, server.url.rsplit(":", 1)[1]
    f = check(
        go_tool.download(url),
        Expect("GB212", "goproxy_blocked_or_slow", "connection refused",
               {"address": "127.0.0.1", "port": port, "module": MODULE, "version": "v1.0.0"}),
    )  # fmt: skip
    assert "loopback" in f.explanation


def test_version_missing_404(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    check(
        go_tool.download(goproxy.url, requires=[(MODULE, "v1.0.1")]),
        Expect("GB241", "private_module_proxy_404", "404 Not Found",
               {"status": "404", "module": MODULE, "version": "v1.0.1", "host": "127.0.0.1"}),
    )  # fmt: skip


def test_private_module_410(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    goproxy.set_fault(f"/{MODULE}/@v/v1.0.0.mod", status=410, body=b"not found: terminal prompts\n")
    check(
        go_tool.download(goproxy.url),
        Expect("GB240", "private_module_proxy_404", "410 Gone", {"status": "410"}),
    )


def test_x509_unknown_authority(tls_server: TlsServer, go_tool: GoTool) -> None:
    check(
        go_tool.download(tls_server.url_for("localhost")),
        Expect("GB230", "tls_ca", "x509: certificate signed by unknown authority",
               {"host": "localhost", "module": MODULE}),
    )  # fmt: skip


def test_connection_reset(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    goproxy.set_fault("*.zip", reset=True)
    check(
        go_tool.download(goproxy.url),
        Expect("GB213", "mtu_or_network_hang", "connection reset by peer", {}),
    )


def test_checksum_mismatch(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    bad = Module().go_sum_lines("v1.0.0").replace("h1:", "h1:AAAA", 1)
    f = check(
        go_tool.download(goproxy.url, go_sum=bad),
        Expect("GB244", "checksum_mismatch", "checksum mismatch", {"module": MODULE}),
    )
    assert (f.fact("downloaded") or "").startswith("h1:")
    assert (f.fact("expected") or "").startswith("h1:AAAA")


def test_nxdomain_in_namespace(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    netns_bed.dns  # noqa: B018 - the namespace's dnsmasq must be running
    check(
        go_tool.download("http://nonexistent.invalid", netns=netns_bed.netns),
        Expect("GB201", "dns", "no such host",
               {"host": "nonexistent.invalid", "resolver": "127.0.0.1:53"}),
    )  # fmt: skip


def test_refused_query_is_server_misbehaving(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    netns_bed.dns  # noqa: B018
    check(
        go_tool.download("http://goproxy.example.com", netns=netns_bed.netns),
        Expect("GB203", "dns", "server misbehaving", {"host": "goproxy.example.com"}),
    )


def test_no_dns_server_listening(go_tool: GoTool) -> None:
    from tests.testbed.netns import Netns

    with Netns("nodns", nameservers=("127.0.0.1",)) as ns:
        check(
            go_tool.download("http://goproxy.example.com", netns=ns),
            Expect("GB206", "dns", "read: connection refused",
                   {"host": "goproxy.example.com", "resolver": "127.0.0.1:53"}),
        )  # fmt: skip


def test_unreachable_nameserver(blackhole_netns: Netns, go_tool: GoTool) -> None:
    check(
        go_tool.download("http://goproxy.example.com", netns=blackhole_netns),
        Expect("GB204", "dns", "network is unreachable",
               {"host": "goproxy.example.com", "resolver": "192.0.2.53:53"}),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "creds", "code", "category", "marker"),
    [
        ("tinyproxy", False, "GB226", "proxy_auth", "407 Proxy Authentication Required"),
        ("squid", False, "GB226", "proxy_auth", "407 Proxy Authentication Required"),
        ("squid", True, "GB226", "proxy_auth", "407 Proxy Authentication Required"),
        ("tinyproxy", True, "GB227", "private_module_auth", "401 Unauthorized"),
    ],
)
def test_proxy_auth(
    kind: str, creds: bool, code: str, category: str, marker: str,
    netns_bed: NetnsBed, go_tool: GoTool,
) -> None:  # fmt: skip
    proxy = netns_bed.proxy(kind, auth=True)  # type: ignore[arg-type]
    proxy_url = proxy.url_with(CREDENTIALS[0], "wrong") if creds else proxy.url
    url = netns_bed.goproxy.url_for("goproxy.test")
    result = go_tool.download(url, env={"HTTP_PROXY": proxy_url}, netns=netns_bed.netns)
    check(result, Expect(code, category, marker, {"host": "goproxy.test", "module": MODULE}))


def test_dead_proxy(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    proxy = netns_bed.proxy("tinyproxy")
    proxy.stop()
    url = netns_bed.goproxy.url_for("goproxy.test")
    result = go_tool.download(url, env={"HTTP_PROXY": proxy.url}, netns=netns_bed.netns)
    check(
        result,
        Expect("GB220", "proxy_unreachable", "proxyconnect",
               {"proxy": f"127.0.0.1:{proxy.port}"}),
    )  # fmt: skip


def test_sumdb_unknown_ca(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    netns_bed.tls_server  # noqa: B018 - sum.golang.org:443 must be listening
    f = check(
        go_tool.download(
            netns_bed.goproxy.url_for("goproxy.test"),
            env={"GOSUMDB": "sum.golang.org"},
            netns=netns_bed.netns,
        ),
        Expect("GB230", "tls_ca", "x509", {"host": "sum.golang.org"}),
    )
    assert "sumdb" in f.probes


# --- the same failures inside a real `docker build` (test bed dockerd, no registry) ----------
@pytest.mark.parametrize("buildkit", [False, True], ids=["classic", "buildkit"])
@pytest.mark.parametrize(
    ("case", "code", "category", "marker"),
    [
        ("refused", "GB212", "goproxy_blocked_or_slow", "connection refused"),
        ("404", "GB241", "private_module_proxy_404", "404 Not Found"),
        ("410", "GB240", "private_module_proxy_404", "410 Gone"),
    ],
)
def test_real_docker_build_log(
    case: str, code: str, category: str, marker: str, buildkit: bool,
    dockerd: Dockerd, goproxy: GoModuleProxy, tmp_path: Path,
) -> None:  # fmt: skip
    requires = [(MODULE, "v1.0.1" if case == "404" else "v1.0.0")]
    context = go_build_context(tmp_path / "ctx", requires=requires)
    url = goproxy.url
    if case == "refused":
        with GoModuleProxy() as dead:
            url = dead.url
    if case == "410":
        goproxy.set_fault(f"/{MODULE}/@v/v1.0.0.mod", status=410, body=b"gone\n")
    result = dockerd.build(context, buildkit=buildkit, build_args={"GOPROXY": url})
    assert result.returncode != 0
    log = result.stdout + result.stderr
    lines = log.split("\n")
    want = next(i for i, ln in enumerate(lines, 1) if marker in ln and "# get" not in ln)
    findings = diagnose_text(log)
    assert findings, log
    f = findings[0]
    assert (f.code, f.category, f.line) == (code, category, want), (
        [(x.code, x.line) for x in findings],
        log,
    )
    assert f.in_failing_step
    assert not f.echo_only
    assert "go mod download" in (f.fact("step") or ""), f.facts
    assert all(x.code != "GB299" for x in findings)
