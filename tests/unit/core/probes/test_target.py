from __future__ import annotations

from pathlib import Path

import pytest

from gobuildgui.core.probes.target import (
    GoproxyError,
    ProbeTarget,
    Proxy,
    Resolver,
    module_matches,
    parse_goproxy,
    parse_gosumdb,
    private_hosts,
    private_repos,
    read_resolv_conf,
    target_from_environment,
)


def test_parse_goproxy_separators_and_keywords() -> None:
    entries = parse_goproxy("https://a.example,b.example|direct,https://never")
    assert [(e.url, e.fallback) for e in entries] == [
        ("https://a.example", ","),
        ("https://b.example", "|"),
        ("direct", ""),  # the list ends at direct
    ]
    assert [e.url for e in parse_goproxy("")] == ["https://proxy.golang.org", "direct"]
    assert parse_goproxy("off")[0].keyword
    assert parse_goproxy("http://127.0.0.1:8080/,,file:///tmp/x")[1].url == "file:///tmp/x"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ftp://x.example", "invalid proxy URL scheme"),
        ("nohost", "missing scheme"),
        (",", "contains no entries"),
    ],
)
def test_parse_goproxy_rejects_what_go_rejects(value: str, message: str) -> None:
    with pytest.raises(GoproxyError, match=message):
        parse_goproxy(value)


def test_parse_gosumdb() -> None:
    assert parse_gosumdb("") == ("sum.golang.org", None)
    assert parse_gosumdb("off") == ("off", None)
    assert parse_gosumdb("sum.golang.org+033de0ae+Ac4 https://s.example/") == (
        "sum.golang.org",
        "https://s.example",
    )
    with pytest.raises(ValueError, match="too many"):
        parse_gosumdb("a b c")


def test_module_patterns_like_go() -> None:
    assert module_matches("git.corp.test/*", "git.corp.test/team/repo")
    assert module_matches("*.corp.test", "git.corp.test/team")
    assert not module_matches("git.corp.test/x", "git.corp.test/y/z")
    assert not module_matches("", "a.b/c")
    assert private_hosts("git.corp.test/*,*.other.test,gh.test/a/b") == ("git.corp.test", "gh.test")
    assert private_repos("git.corp.test/*,gh.test/a/b") == ("gh.test/a/b",)


def test_proxy_for_follows_no_proxy_and_loopback() -> None:
    https = Proxy("http://proxy.test:3128", "https", "env")
    t = ProbeTarget(proxies=(https,), no_proxy=".corp.test,10.0.0.0/8,skip.test:443")
    assert t.proxy_for("https://proxy.golang.org/x") is https
    assert t.proxy_for("http://proxy.golang.org/x") is None  # no HTTP_PROXY
    assert t.proxy_for("https://127.0.0.1:8443/") is None
    assert t.proxy_for("https://localhost/") is None
    assert t.proxy_for("https://git.corp.test/") is None
    assert t.proxy_for("https://10.1.2.3/") is None
    assert t.proxy_for("https://skip.test/") is None
    assert t.proxy_for("https://skip.test:8443/") is https


def test_needed_hosts_adds_goproxy_sumdb_and_private_hosts() -> None:
    t = ProbeTarget(
        hosts=("proxy.golang.org",),
        goproxy="https://goproxy.corp.test,direct",
        gosumdb="sum.golang.org",
        goprivate="git.corp.test/*",
    )
    assert t.needed_hosts() == (
        "proxy.golang.org",
        "goproxy.corp.test",
        "sum.golang.org",
        "git.corp.test",
    )


def test_from_environment(tmp_path: Path) -> None:
    conf = tmp_path / "resolv.conf"
    conf.write_text("# c\nnameserver 127.0.0.53\nnameserver fe80::1%eth0\nsearch x\n")
    assert read_resolv_conf(conf, "host") == (
        Resolver("host", "127.0.0.53"),
        Resolver("host", "fe80::1"),
    )
    env = {
        "https_proxy": "proxy.test:3128",
        "GOPROXY": "https://goproxy.test",
        "GOPRIVATE": "git.corp.test/*",
        "DOCKER_HOST": "unix:///tmp/x.sock",
    }
    t = target_from_environment(env, resolv_conf=conf)
    assert t.proxies == (Proxy("http://proxy.test:3128", "https", "environment HTTPS_PROXY"),)
    assert t.goproxy == "https://goproxy.test"
    assert t.nosumdb == "git.corp.test/*"
    assert t.docker_host == "unix:///tmp/x.sock"
    assert t.build_env["GOPROXY"] == "https://goproxy.test"
    assert str(Resolver.parse("[::1]:5353")) == "[::1]:5353"
