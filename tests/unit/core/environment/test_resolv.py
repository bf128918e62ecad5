"""resolv.conf of build steps, as Docker computes it."""

from __future__ import annotations

from pathlib import Path

from gobuildgui.core.environment.model import ResolvConf
from gobuildgui.core.environment.resolv import build_resolv, host_resolv, parse_resolv_conf


def _host(tmp_path: Path, text: str, systemd: str | None = None) -> tuple[Path, ResolvConf]:
    path = tmp_path / "resolv.conf"
    path.write_text(text)
    upstream = tmp_path / "systemd-resolv.conf"
    if systemd is not None:
        upstream.write_text(systemd)
    return host_resolv(path, upstream, [])


def test_parse() -> None:
    conf = parse_resolv_conf(
        "# generated\nnameserver 10.0.0.2 # main\nnameserver ::1\ndomain a.test\n"
        "search corp.test lab.test\noptions ndots:2 timeout:1\n"
    )
    assert conf.nameservers == ("10.0.0.2", "::1")
    assert conf.search == ("corp.test", "lab.test")
    assert conf.options == ("ndots:2", "timeout:1")


def test_non_loopback_servers_are_kept(tmp_path: Path) -> None:
    resolv = build_resolv(*_host(tmp_path, "nameserver 10.1.1.1\nnameserver 127.0.0.1\n"))
    assert resolv.classic_bridge.nameservers == ("10.1.1.1",)
    assert not resolv.classic_bridge.fallback
    assert any("dropped 127.0.0.1" in n for n in resolv.classic_bridge.notes)
    assert resolv.classic_host.nameservers == ("10.1.1.1", "127.0.0.1")


def test_only_loopback_falls_back_to_google(tmp_path: Path) -> None:
    resolv = build_resolv(*_host(tmp_path, "nameserver 127.0.0.1\nsearch corp.test\n"))
    assert resolv.classic_bridge.nameservers == ("8.8.8.8", "8.8.4.4")
    assert resolv.classic_bridge.fallback
    assert resolv.classic_bridge.search == ("corp.test",)
    assert resolv.buildkit_default.nameservers == (
        "8.8.8.8",
        "8.8.4.4",
        "2001:4860:4860::8888",
        "2001:4860:4860::8844",
    )
    assert resolv.buildkit_host.nameservers == ("127.0.0.1",)  # host network: file as is


def test_ipv6_servers_need_ipv6(tmp_path: Path) -> None:
    host_file, host = _host(tmp_path, "nameserver fd00::53\n")
    assert build_resolv(host_file, host).classic_bridge.fallback
    with_v6 = build_resolv(host_file, host, ipv6=True)
    assert with_v6.classic_bridge.nameservers == ("fd00::53",)


def test_systemd_resolved_stub_is_followed(tmp_path: Path) -> None:
    host_file, host = _host(
        tmp_path, "nameserver 127.0.0.53\noptions edns0\n", "nameserver 192.168.1.1\n"
    )
    assert host_file == tmp_path / "systemd-resolv.conf"
    assert host.nameservers == ("192.168.1.1",)
    assert "systemd-resolved" in host.notes[0]
    assert build_resolv(host_file, host).classic_bridge.nameservers == ("192.168.1.1",)


def test_stub_with_a_second_server_is_not_followed(tmp_path: Path) -> None:
    host_file, host = _host(
        tmp_path, "nameserver 127.0.0.53\nnameserver 10.0.0.1\n", "nameserver 192.168.1.1\n"
    )
    assert host_file == tmp_path / "resolv.conf"
    assert build_resolv(host_file, host).classic_bridge.nameservers == ("10.0.0.1",)


def test_daemon_dns_overrides(tmp_path: Path) -> None:
    host_file, host = _host(tmp_path, "nameserver 10.9.9.9\n")
    resolv = build_resolv(
        host_file, host, daemon_dns=("10.0.0.2",), daemon_dns_search=("corp.test",)
    )
    assert resolv.classic_bridge.nameservers == ("10.0.0.2",)
    assert resolv.classic_bridge.search == ("corp.test",)
    assert resolv.buildkit_default.nameservers == ("10.0.0.2",)


def test_loopback_daemon_dns_classic_keeps_buildkit_replaces(tmp_path: Path) -> None:
    """Seen on Docker 20.10: classic --network host uses dns=127.0.0.1, BuildKit does not."""
    host_file, host = _host(tmp_path, "nameserver 10.9.9.9\n")
    resolv = build_resolv(host_file, host, daemon_dns=("127.0.0.1",))
    assert resolv.classic_host.nameservers == ("127.0.0.1",)
    assert resolv.buildkit_host.nameservers[:2] == ("8.8.8.8", "8.8.4.4")
    assert resolv.buildkit_host.fallback


def test_unreadable_host_file_is_a_problem(tmp_path: Path) -> None:
    problems: list[str] = []
    _, conf = host_resolv(tmp_path / "missing", tmp_path / "also-missing", problems)
    assert conf.nameservers == ()
    assert len(problems) == 1
    assert "cannot read" in problems[0]
