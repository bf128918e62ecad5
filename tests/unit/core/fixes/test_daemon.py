"""daemon.json fixes: minimal diffs, refusals, validation like dockerd, flag clashes,
the systemd drop-in, and a real dockerd that starts with what we wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gobuildgui.core.fixes import (
    FIXES,
    FixContext,
    History,
    InvalidSettingsError,
    RefusedError,
    Target,
    apply_plan,
)
from gobuildgui.core.fixes.daemon import daemon_version, service_flag_clashes, supports_proxies_key
from tests.testbed.docker import Dockerd
from tests.unit.core.fixes.helpers import changed_lines

REAL_WORLD = """{
    "log-driver": "json-file",
    "log-opts": {
        "max-size": "10m"
    },
    "default-address-pools": [
        {"base": "172.30.0.0/16", "size": 24}
    ],
    "dns": ["127.0.0.53"]
}
"""


def _ctx(tmp_path: Path, daemon_json: Path, **kw: object) -> FixContext:
    return FixContext(
        platform="linux",
        env={"HOME": str(tmp_path / "home")},
        overrides={
            Target.DAEMON_JSON: daemon_json,
            Target.SYSTEMD_DROPIN: tmp_path / "http-proxy.conf",
        },
        service_files=kw.pop("service_files", ()),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_dns_fix_changes_only_the_dns_line(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text(REAL_WORLD)
    plan = FIXES["daemon-dns"].build({"dns": "10.20.1.2, 10.20.1.3"}, _ctx(tmp_path, f))
    (change,) = plan.changes
    assert changed_lines(REAL_WORLD, change.new_text) == (
        ['    "dns": ["127.0.0.53"]'],
        ['    "dns": ["10.20.1.2", "10.20.1.3"]'],
    )
    assert plan.followups[0].command == "sudo systemctl restart docker"
    assert plan.verify_probes == ("dns", "container")


def test_dns_search_and_opts_are_added_after_the_last_key(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text(REAL_WORLD)
    plan = FIXES["daemon-dns"].build(
        {"dns": "10.20.1.2", "dns-search": "corp.example.com", "dns-opts": "ndots:0"},
        _ctx(tmp_path, f),
    )
    removed, added = changed_lines(REAL_WORLD, plan.changes[0].new_text)
    assert removed == ['    "dns": ["127.0.0.53"]']
    assert added == [
        '    "dns": ["10.20.1.2"],',
        '    "dns-opts": ["ndots:0"],',
        '    "dns-search": ["corp.example.com"]',
    ]


def test_empty_setting_removes_the_key(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text(REAL_WORLD)
    plan = FIXES["daemon-dns"].build({"dns": "1.1.1.1", "dns-search": ""}, _ctx(tmp_path, f))
    assert "dns-search" not in plan.changes[0].new_text
    plan = FIXES["daemon-mtu"].build({"mtu": ""}, _ctx(tmp_path, f))
    assert plan.is_empty  # nothing to remove


def test_buildkit_nested_object_in_a_missing_file(tmp_path: Path) -> None:
    f = tmp_path / "etc" / "docker" / "daemon.json"
    plan = FIXES["daemon-buildkit"].build({}, _ctx(tmp_path, f))
    (change,) = plan.changes
    assert change.is_new
    assert change.new_text == '{\n  "features": {\n    "buildkit": true\n  }\n}\n'
    assert plan.followups[0].command == "sudo systemctl reload docker"  # features reload


def test_defaults_are_the_current_values(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text(REAL_WORLD)
    assert FIXES["daemon-dns"].defaults(_ctx(tmp_path, f))["dns"] == "127.0.0.53"
    f.write_text("{ broken")
    assert FIXES["daemon-dns"].defaults(_ctx(tmp_path, f))["dns"] == ""  # never raises


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{\n  "dns": ["1.1.1.1",]\n}\n', "trailing comma before ']' at line 2, column 21"),
        (b'{"dns": [], "mtu": 1, "dns": []}', "duplicate key 'dns'"),
        (b'["dns"]', "the top level is not an object"),
        ('{"dns": []}'.encode("utf-16"), "UTF-16"),
        ('{"dns": []}'.encode("utf-16-le"), "UTF-16"),
        (b'{"dns": ["\xff"]}', "not valid UTF-8"),
    ],
)
def test_refuses_files_it_cannot_keep_intact(tmp_path: Path, content: bytes, reason: str) -> None:
    f = tmp_path / "daemon.json"
    f.write_bytes(content)
    with pytest.raises(RefusedError) as info:
        FIXES["daemon-dns"].build({"dns": "10.0.0.2"}, _ctx(tmp_path, f))
    assert reason in info.value.reason
    assert info.value.hint  # a way out
    assert f.read_bytes() == content


def test_utf8_bom_is_kept_and_warned_about(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_bytes(b'\xef\xbb\xbf{\n  "dns": ["1.1.1.1"]\n}\n')
    plan = FIXES["daemon-dns"].build({"dns": "10.0.0.2"}, _ctx(tmp_path, f))
    assert plan.changes[0].new_bytes.startswith(b'\xef\xbb\xbf{\n  "dns": ["10.0.0.2"]')
    assert any("byte-order mark" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("fix_id", "settings", "error"),
    [
        ("daemon-dns", {"dns": "not-an-ip"}, "not-an-ip is not an ip address"),
        ("daemon-dns", {"dns": "10.0.0.1", "dns-search": "-bad-"}, "-bad- is not a valid domain"),
        ("daemon-mirror", {"registry-mirrors": "127.0.0.1:5000"}, "no scheme specified"),
        ("daemon-mirror", {"registry-mirrors": "https://u:pw@m.example"}, "username/password"),
        ("daemon-mirror", {"registry-mirrors": "https://m.example/v2"}, "path, query, or fragment"),
        ("daemon-mirror", {"registry-mirrors": "ftp://m.example"}, "unsupported scheme"),
        (
            "daemon-mirror",
            {"registry-mirrors": "https://m.example", "insecure-registries": "http://r:5000"},
            "should not contain '://'",
        ),
        ("daemon-mtu", {"mtu": "20"}, "invalid default MTU: 20"),
        ("daemon-mtu", {"bip": "192.168.200.0/24"}, "use a host address such as 192.168.200.1/24"),
        ("daemon-mtu", {"bip": "10.0.0.1"}, "no prefix length"),
        ("daemon-buildkit", {"buildkit": "yes"}, "type true or false"),
        ("daemon-proxy", {"http-proxy": "proxy:3128"}, "has no scheme"),
        ("daemon-dns", {"dsn": "1.1.1.1"}, "unknown setting"),
    ],
)
def test_values_are_validated_like_dockerd(
    tmp_path: Path, fix_id: str, settings: dict[str, str], error: str
) -> None:
    f = tmp_path / "daemon.json"
    with pytest.raises(InvalidSettingsError) as info:
        FIXES[fix_id].build(settings, _ctx(tmp_path, f))
    assert error in str(info.value)
    assert not f.exists()


def test_flag_in_service_definition_is_warned_about(tmp_path: Path) -> None:
    unit = tmp_path / "docker.service"
    unit.write_text(
        "[Service]\nExecStart=/usr/bin/dockerd -H fd:// \\\n"
        "  --containerd=/run/containerd/containerd.sock\n"
    )
    dropin = tmp_path / "override.conf"
    dropin.write_text(
        "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// --dns=10.9.9.9 --mtu 1400\n"
    )
    f = tmp_path / "daemon.json"
    plan = FIXES["daemon-dns"].build(
        {"dns": "10.0.0.2"}, _ctx(tmp_path, f, service_files=(unit, dropin))
    )
    (warning,) = plan.warnings
    assert "`--dns=10.9.9.9` in" in warning
    assert str(dropin) in warning
    assert (
        "the following directives are specified both as a flag and in the configuration file: dns"
        in warning
    )
    assert [c.key for c in service_flag_clashes([unit, dropin], ["dns", "mtu", "hosts"])] == [
        "hosts",
        "dns",
        "mtu",
    ]
    assert service_flag_clashes([unit], ["dns"]) == []


def test_proxy_goes_to_a_systemd_dropin_for_old_daemons(tmp_path: Path) -> None:
    dropin = tmp_path / "http-proxy.conf"
    dropin.write_text(
        '[Unit]\nDescription=x\n\n[Service]\nEnvironment="http_proxy=http://old:1"\nLimitNOFILE=1024\n'
    )
    ctx = _ctx(tmp_path, tmp_path / "daemon.json", daemon_version="20.10.24")
    plan = FIXES["daemon-proxy"].build(
        {"http-proxy": "http://user:p%40ss@proxy.corp:3128", "no-proxy": "localhost,.corp"}, ctx
    )
    (change,) = plan.changes
    assert change.path == dropin
    assert change.new_text == (
        "[Unit]\nDescription=x\n\n[Service]\n"
        'Environment="HTTP_PROXY=http://user:p%%40ss@proxy.corp:3128"\n'
        "LimitNOFILE=1024\n"
        'Environment="NO_PROXY=localhost,.corp"\n'
    )
    assert (
        plan.followups[0].command == "sudo systemctl daemon-reload && sudo systemctl restart docker"
    )
    assert "p%40ss" in plan.secrets
    assert all("p%40ss" not in c and "p%%40ss" not in c for c in plan.commands_to_copy)


def test_proxy_in_daemon_json_for_new_daemons(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text('{\n  "debug": true\n}\n')
    ctx = _ctx(tmp_path, f, daemon_version="24.0.7")
    plan = FIXES["daemon-proxy"].build({"https-proxy": "http://proxy.corp:3128"}, ctx)
    assert json.loads(plan.changes[0].new_text) == {
        "debug": True,
        "proxies": {"https-proxy": "http://proxy.corp:3128"},
    }
    old = FIXES["daemon-proxy"].build(
        {"https-proxy": "http://proxy.corp:3128", "where": "daemon.json"},
        _ctx(tmp_path, f, daemon_version="20.10.24"),
    )
    assert "needs Docker Engine 23.0 or later" in old.warnings[0]


# -- a real dockerd -------------------------------------------------------------------


def test_real_dockerd_starts_with_the_file_we_wrote(
    tmp_path: Path, dockerd_config_check: Callable[..., tuple[int, str]]
) -> None:
    f = tmp_path / "daemon.json"
    # (not log-level=warn: the check waits for dockerd's info line "API listen on")
    f.write_text('{\n\t"debug": false,\n\t"log-driver": "json-file"\n}\n')
    ctx = _ctx(tmp_path, f)
    history = History(tmp_path / "history")
    for fix_id, settings in [
        (
            "daemon-dns",
            {"dns": "127.0.0.1, ::1", "dns-search": "corp.example", "dns-opts": "ndots:1"},
        ),
        (
            "daemon-mirror",
            {
                "registry-mirrors": "http://127.0.0.1:5000",
                "insecure-registries": "reg.test:5000, 10.0.0.0/8",
            },
        ),
        ("daemon-mtu", {"mtu": "1400"}),
        ("daemon-buildkit", {"buildkit": "true"}),
    ]:
        apply_plan(FIXES[fix_id].build(settings, ctx), history=history)
    data = json.loads(f.read_text())
    assert data["mtu"] == 1400
    assert data["features"] == {"buildkit": True}
    assert dockerd_config_check(f)[0] == 0, dockerd_config_check(f)


@pytest.mark.parametrize(
    ("fix_id", "settings", "bad_file", "dockerd_says"),
    [
        (
            "daemon-dns",
            {"dns": "not-an-ip"},
            {"dns": ["not-an-ip"]},
            "not-an-ip is not an ip address",
        ),
        (
            "daemon-mirror",
            {"registry-mirrors": "https://u:pw@m.example"},
            {"registry-mirrors": ["https://u:pw@m.example"]},
            "username/password not allowed in URI",
        ),
        (
            "daemon-mirror",
            {"registry-mirrors": "https://m.example/v2"},
            {"registry-mirrors": ["https://m.example/v2"]},
            "path, query, or fragment at end of the URI",
        ),
    ],
)
def test_real_dockerd_rejects_what_we_refuse(
    tmp_path: Path,
    dockerd_config_check: Callable[..., tuple[int, str]],
    fix_id: str,
    settings: dict[str, str],
    bad_file: dict[str, list[str]],
    dockerd_says: str,
) -> None:
    with pytest.raises(InvalidSettingsError) as info:
        FIXES[fix_id].build(settings, _ctx(tmp_path, tmp_path / "daemon.json"))
    assert dockerd_says in str(info.value)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_file))
    rc, message = dockerd_config_check(bad)
    assert rc != 0
    assert dockerd_says in message


def test_real_dockerd_refuses_the_flag_clash_we_warn_about(
    tmp_path: Path, dockerd_config_check: Callable[..., tuple[int, str]]
) -> None:
    unit = tmp_path / "docker.service"
    unit.write_text("[Service]\nExecStart=/usr/bin/dockerd --dns 127.0.0.2\n")
    f = tmp_path / "daemon.json"
    plan = FIXES["daemon-dns"].build({"dns": "127.0.0.1"}, _ctx(tmp_path, f, service_files=(unit,)))
    apply_plan(plan, history=History(tmp_path / "history"))
    rc, message = dockerd_config_check(f, extra_flags=("--dns", "127.0.0.2"))
    expected = (
        "the following directives are specified both as a flag and in the configuration file: dns"
    )
    assert rc != 0
    assert expected in message
    assert any(expected in w for w in plan.warnings)


def test_real_dockerd_20_refuses_proxies_key_we_warn_about(
    tmp_path: Path, dockerd_config_check: Callable[..., tuple[int, str]]
) -> None:
    f = tmp_path / "daemon.json"
    ctx = _ctx(tmp_path, f, daemon_version="20.10.24")
    plan = FIXES["daemon-proxy"].build(
        {"http-proxy": "http://127.0.0.1:3128", "where": "daemon.json"}, ctx
    )
    assert "don't match any configuration option: http-proxy" in plan.warnings[0]
    apply_plan(plan, history=History(tmp_path / "history"))
    rc, message = dockerd_config_check(f)
    assert rc != 0
    assert "don't match any configuration option: http-proxy" in message


def test_daemon_version_of_a_real_daemon(dockerd: Dockerd, tmp_path: Path) -> None:
    version = daemon_version(dockerd.host, timeout=20)
    assert version is not None
    assert version.startswith("20.10")
    assert supports_proxies_key(version) is False
    assert daemon_version(f"unix://{tmp_path}/nothing.sock", timeout=2) is None


def test_discover_asks_the_daemon_only_when_told(dockerd: Dockerd) -> None:
    env = {"DOCKER_HOST": dockerd.host, "HOME": "/nonexistent"}
    assert FixContext.discover(env=env).daemon_version is None
    ctx = FixContext.discover(env=env, ask_daemon=True, timeout=20)
    assert ctx.daemon_version is not None
    assert ctx.daemon_version.startswith("20.10")


def test_debian_docker_opts_from_the_environment_file_are_seen(tmp_path: Path) -> None:
    defaults = tmp_path / "default-docker"
    defaults.write_text(
        '# Debian\nDOCKER_OPTS="--dns 10.1.1.1 --registry-mirror=https://m.example"\n'
    )
    unit = tmp_path / "docker.service"
    unit.write_text(
        f"[Service]\nEnvironmentFile=-{defaults}\nEnvironment=EXTRA=--mtu=1300\n"
        "ExecStart=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS ${EXTRA}\n"
    )
    clashes = service_flag_clashes([unit], ["dns", "registry-mirrors", "mtu", "bip"])
    assert [(c.key, c.flag, c.source) for c in clashes] == [
        ("dns", "--dns", defaults),
        ("registry-mirrors", "--registry-mirror=https://m.example", defaults),
        ("mtu", "--mtu=1300", unit),
    ]


def test_proxy_settings_not_given_are_left_alone(tmp_path: Path) -> None:
    dropin = tmp_path / "http-proxy.conf"
    text = '[Service]\nEnvironment="HTTP_PROXY=http://a:1"\nEnvironment="NO_PROXY=localhost"\n'
    dropin.write_text(text)
    ctx = _ctx(tmp_path, tmp_path / "daemon.json", daemon_version="20.10.24")
    plan = FIXES["daemon-proxy"].build({"http-proxy": "http://b:2"}, ctx)
    assert changed_lines(text, plan.changes[0].new_text) == (
        ['Environment="HTTP_PROXY=http://a:1"'],
        ['Environment="HTTP_PROXY=http://b:2"'],
    )
    plan = FIXES["daemon-proxy"].build({"no-proxy": ""}, ctx)
    assert plan.changes[0].new_text == '[Service]\nEnvironment="HTTP_PROXY=http://a:1"\n'
    f = tmp_path / "daemon.json"
    f.write_text(
        '{\n  "proxies": {\n    "http-proxy": "http://a:1",\n    "no-proxy": "x"\n  }\n}\n'
    )
    new = (
        FIXES["daemon-proxy"]
        .build(
            {"no-proxy": ".corp", "where": "daemon.json"}, _ctx(tmp_path, f, daemon_version="24.0")
        )
        .changes[0]
        .new_text
    )
    assert json.loads(new) == {"proxies": {"http-proxy": "http://a:1", "no-proxy": ".corp"}}


def test_loopback_dns_is_warned_about(tmp_path: Path) -> None:
    plan = FIXES["daemon-dns"].build(
        {"dns": "127.0.0.53, 10.0.0.2"}, _ctx(tmp_path, tmp_path / "d.json")
    )
    assert plan.warnings[0].startswith("127.0.0.53 is a loopback address")


def test_flag_clash_warning_masks_the_proxy_password(tmp_path: Path) -> None:
    unit = tmp_path / "docker.service"
    unit.write_text("[Service]\nExecStart=/usr/bin/dockerd --http-proxy=http://u:Fl4gPw@p:1\n")
    ctx = _ctx(tmp_path, tmp_path / "daemon.json", daemon_version="24.0", service_files=(unit,))
    plan = FIXES["daemon-proxy"].build({"http-proxy": "http://u:F1lePw@p:3128"}, ctx)
    text = " ".join(plan.warnings) + plan.summary
    assert "specified both as a flag" in text
    assert "Fl4gPw" not in text
    assert "F1lePw" not in text


def test_real_dockerd_refuses_bip_with_bridge_flag_as_we_warn(
    tmp_path: Path, dockerd_config_check: Callable[..., tuple[int, str]]
) -> None:
    unit = tmp_path / "docker.service"
    unit.write_text("[Service]\nExecStart=/usr/bin/dockerd --bridge=none\n")
    f = tmp_path / "daemon.json"
    plan = FIXES["daemon-mtu"].build(
        {"bip": "192.168.200.1/24"}, _ctx(tmp_path, f, service_files=(unit,))
    )
    expected = "You specified -b & --bip, mutually exclusive options"
    assert any(expected in w for w in plan.warnings)
    apply_plan(plan, history=History(tmp_path / "history"))
    rc, message = dockerd_config_check(f)  # the test bed's dockerd runs with --bridge=none
    assert rc != 0
    assert expected in message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("dns", "1.1.1.1"), ("dns", "::1"), ("dns", "fe80::1%eth0"), ("dns", "01.1.1.1"),
        ("dns", "1.1.1"), ("dns", "proxy.corp.example"),
        ("registry-mirrors", "https://m.example:8443"), ("registry-mirrors", "https://m.example/"),
        ("registry-mirrors", "m.example"), ("registry-mirrors", "https://m.example?x=1"),
        ("registry-mirrors", "http://127.0.0.1:5000"),
    ],
)  # fmt: skip
def test_our_checks_agree_with_the_real_dockerd(
    tmp_path: Path, dockerd_config_check: Callable[..., tuple[int, str]], key: str, value: str
) -> None:
    fix_id = "daemon-dns" if key == "dns" else "daemon-mirror"
    ours = FIXES[fix_id].validate({key: value})
    bad = tmp_path / "daemon.json"
    bad.write_text(json.dumps({key: [value]}))
    rc, message = dockerd_config_check(bad)
    assert (rc == 0) == (not ours), (ours, message)
