"""The catalogue: every fix id of the brief, consistent plan sources, locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from gobuildgui.core.fixes import (
    FIX_IDS,
    FIXES,
    LOG_CATEGORIES,
    SYMPTOMS,
    FieldKind,
    FixContext,
    Target,
    UnknownFixError,
    fixes_for_diagnostic,
    fixes_for_log_category,
    fixes_for_probe,
    fixes_for_probe_result,
    fixes_for_symptom,
    get_fix,
)
from gobuildgui.core.fixes.locations import daemon_json_path, detect_platform, systemd_dropin_path
from gobuildgui.core.ids import PROBE_FAMILIES
from gobuildgui.core.model import Applicability, Diagnostic, Edit, Fix, Severity, Span

BRIEF_FIX_IDS = (
    "daemon-dns", "daemon-mirror", "daemon-proxy", "daemon-mtu", "daemon-buildkit",
    "client-proxy", "go-proxy", "go-private", "dockerfile-proxy-args", "dockerfile-goproxy",
    "dockerfile-ca-cert", "dockerfile-cache-mount", "dockerfile-private-auth",
    "dockerfile-go-version", "dockerfile-lint-fix",
)  # fmt: skip
BRIEF_LOG_CATEGORIES = (
    "dns", "proxy_unreachable", "proxy_auth", "goproxy_blocked_or_slow", "tls_ca",
    "private_module_auth", "private_module_proxy_404", "checksum_mismatch",
    "go_version_mismatch", "docker_registry_pull", "disk_space", "readonly_cache",
    "mtu_or_network_hang", "module_not_found", "other",
)  # fmt: skip


def test_every_fix_id_of_the_brief_is_in_the_catalogue() -> None:
    assert set(FIX_IDS) == set(BRIEF_FIX_IDS)
    assert set(LOG_CATEGORIES) == set(BRIEF_LOG_CATEGORIES)


@pytest.mark.parametrize("fix_id", BRIEF_FIX_IDS)
def test_spec_is_complete_and_consistent(fix_id: str) -> None:
    spec = FIXES[fix_id]
    assert spec.fix_id == fix_id
    assert spec.title
    assert spec.description
    assert set(spec.verify_probes) <= set(PROBE_FAMILIES)
    names = [f.name for f in spec.fields]
    assert len(names) == len(set(names))
    for f in spec.fields:
        assert f.label
        if f.default:
            assert f.validate(f.default) is None, (f.name, f.default)
        if f.kind is FieldKind.CHOICE:
            assert f.default in f.choices
    for option in spec.options:
        assert option.tradeoff
        if option.fix_id:
            assert option.fix_id in FIXES
        for name, value in option.settings.items():
            assert name in names
            if "corp.example" not in value:
                assert spec.field(name).validate(value) is None


def test_plan_sources_only_name_known_fixes() -> None:
    for s in SYMPTOMS:
        assert s.fix_ids, s
        assert set(s.fix_ids) <= set(FIXES), s
        assert set(s.probes) <= set(PROBE_FAMILIES)
    for family in PROBE_FAMILIES:
        assert set(fixes_for_probe(family)) <= set(FIXES)
    for cat in BRIEF_LOG_CATEGORIES:
        assert set(fixes_for_log_category(cat)) <= set(FIXES)


def test_symptom_probe_diagnostic_and_log_lookups() -> None:
    assert fixes_for_symptom("tls-ca") == ("dockerfile-ca-cert",)
    assert fixes_for_symptom("no-such") == ()
    assert fixes_for_probe("dns", "fail")[0] == "daemon-dns"
    assert fixes_for_probe("dns", "ok") == ()
    assert fixes_for_probe("dns", "cancelled") == ()
    import enum
    import types

    class Status(enum.Enum):  # the probes' enum, as the panel passes it
        FAILED = "failed"
        SKIPPED = "skipped"

    assert fixes_for_probe("tls", Status.FAILED) == ("dockerfile-ca-cert",)
    assert fixes_for_probe("tls", Status.SKIPPED) == ()
    result = types.SimpleNamespace(family="goproxy", status=Status.FAILED, fix_ids=("go-proxy",))
    assert fixes_for_probe_result(result) == ("go-proxy", "dockerfile-goproxy")
    assert fixes_for_probe("proxy", "fail", ["daemon-proxy", "nope"])[0] == "daemon-proxy"
    assert "nope" not in fixes_for_probe("proxy", "fail", ["nope"])
    assert fixes_for_log_category("go_version_mismatch") == ("dockerfile-go-version",)
    diag = Diagnostic(
        "GB102",
        "go-step-without-cache-mount",
        Severity.WARNING,
        "m",
        Span(0, 1),
        Fix("Add cache mounts", (Edit(0, 0, "x"),), Applicability.UNSAFE),
    )
    assert fixes_for_diagnostic(diag) == ("dockerfile-lint-fix", "dockerfile-cache-mount")
    bare = Diagnostic("GB123", "proxy-without-ca", Severity.WARNING, "m", Span(0, 1))
    assert fixes_for_diagnostic(bare) == ("dockerfile-ca-cert",)


def test_unknown_fix_suggests_near_matches() -> None:
    with pytest.raises(UnknownFixError, match="did you mean daemon-dns"):
        get_fix("deamon-dns")


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {"HOME": "/root"}, "/etc/docker/daemon.json"),
        ("linux-rootless", {"HOME": "/home/u"}, "/home/u/.config/docker/daemon.json"),
        (
            "linux-rootless",
            {"HOME": "/home/u", "XDG_CONFIG_HOME": "/xdg"},
            "/xdg/docker/daemon.json",
        ),
        ("macos", {"HOME": "/Users/u"}, "/Users/u/.docker/daemon.json"),
        ("windows", {"USERPROFILE": "C:\\Users\\u"}, "C:\\Users\\u\\.docker\\daemon.json"),
        (
            "windows-server",
            {"ProgramData": "D:\\ProgramData"},
            "D:\\ProgramData\\docker\\config\\daemon.json",
        ),
    ],
)
def test_daemon_json_location_per_platform(
    platform: str, env: dict[str, str], expected: str
) -> None:
    assert str(daemon_json_path(platform, env)) == expected


def test_dropin_location_and_platform_detection() -> None:
    assert systemd_dropin_path("linux", {}) == Path(
        "/etc/systemd/system/docker.service.d/http-proxy.conf"
    )
    assert str(systemd_dropin_path("linux-rootless", {"HOME": "/h"})) == (
        "/h/.config/systemd/user/docker.service.d/http-proxy.conf"
    )
    assert systemd_dropin_path("macos", {}) is None
    assert (
        detect_platform(
            {
                "XDG_RUNTIME_DIR": "/run/user/1000",
                "DOCKER_HOST": "unix:///run/user/1000/docker.sock",
            }
        )
        == "linux-rootless"
    )
    assert detect_platform({}) == "linux"


def test_override_wins_and_desktop_plans_say_so(tmp_path: Path) -> None:
    f = tmp_path / "my-daemon.json"
    ctx = FixContext(
        platform="macos", env={"HOME": str(tmp_path)}, overrides={Target.DAEMON_JSON: f}
    )
    plan = FIXES["daemon-dns"].build({"dns": "10.0.0.2"}, ctx)
    assert plan.changes[0].path == f
    assert any("Settings → Docker Engine" in w for w in plan.warnings)
    assert "Restart Docker Desktop" in plan.followups[0].description
    assert FixContext(platform="windows", env={}).path_for(Target.SYSTEMD_DROPIN) is None


def test_secret_fields_are_masked_in_every_display(tmp_path: Path) -> None:
    ctx = FixContext(
        platform="linux",
        env={"HOME": str(tmp_path)},
        daemon_version="25.0.3",
        overrides={Target.DAEMON_JSON: tmp_path / "daemon.json"},
    )
    plan = FIXES["daemon-proxy"].build({"http-proxy": "http://u:Zz9-secret@proxy.corp:3128"}, ctx)
    from gobuildgui.core.fixes.write import format_plan

    assert "Zz9-secret" in plan.changes[0].new_text
    assert "Zz9-secret" not in format_plan(plan)
    assert all("Zz9-secret" not in c for c in plan.commands_to_copy)
