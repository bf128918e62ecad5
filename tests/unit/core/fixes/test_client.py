"""The Docker client's config.json: proxies.default changes, everything else survives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gobuildgui.core.fixes import FIXES, FixContext, RefusedError, plan_diff
from gobuildgui.core.fixes.locations import client_config_path
from tests.unit.core.fixes.helpers import changed_lines

CONFIG = """{
	"auths": {
		"https://index.docker.io/v1/": {
			"auth": "dXNlcjpodW50ZXIy"
		},
		"registry.corp.example": {}
	},
	"credsStore": "desktop",
	"credHelpers": {
		"123456789.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"
	},
	"currentContext": "default",
	"plugins": {"-x-cli-hints": {"enabled": "true"}}
}"""


def _ctx(tmp_path: Path, **env: str) -> FixContext:
    return FixContext(platform="linux", env={"HOME": str(tmp_path / "home"), **env})


def test_docker_config_env_is_honoured(tmp_path: Path) -> None:
    assert client_config_path("linux", {"HOME": "/h"}) == Path("/h/.docker/config.json")
    assert client_config_path("linux", {"HOME": "/h", "DOCKER_CONFIG": "/c"}) == Path(
        "/c/config.json"
    )
    assert (
        str(client_config_path("windows", {"USERPROFILE": "C:\\Users\\u"}))
        == "C:\\Users\\u\\.docker\\config.json"
    )


def test_proxies_are_added_and_everything_else_kept(tmp_path: Path) -> None:
    cfg_dir = tmp_path / "dockercfg"
    cfg_dir.mkdir()
    f = cfg_dir / "config.json"
    f.write_text(CONFIG)
    ctx = _ctx(tmp_path, DOCKER_CONFIG=str(cfg_dir))
    plan = FIXES["client-proxy"].build(
        {
            "http-proxy": "http://proxy.corp:3128",
            "https-proxy": "http://proxy.corp:3128",
            "no-proxy": "localhost,.corp.example",
        },
        ctx,
    )
    (change,) = plan.changes
    assert change.path == f
    removed, added = changed_lines(CONFIG, change.new_text)
    assert removed == ['\t"plugins": {"-x-cli-hints": {"enabled": "true"}}']
    assert added == [
        '\t"plugins": {"-x-cli-hints": {"enabled": "true"}},',
        '\t"proxies": {',
        '\t\t"default": {',
        '\t\t\t"httpProxy": "http://proxy.corp:3128",',
        '\t\t\t"httpsProxy": "http://proxy.corp:3128",',
        '\t\t\t"noProxy": "localhost,.corp.example"',
        "\t\t}",
        "\t}",
    ]
    assert change.new_text.endswith("\t}\n}")  # no final newline before, none after
    before, after = json.loads(CONFIG), json.loads(change.new_text)
    assert {k: v for k, v in after.items() if k != "proxies"} == before


def test_existing_default_is_edited_in_place_and_others_warned(tmp_path: Path) -> None:
    f = tmp_path / "home" / ".docker" / "config.json"
    f.parent.mkdir(parents=True)
    text = (
        '{\n  "auths": {},\n  "proxies": {\n    "default": {\n      "httpProxy": "http://old:1",\n'
        '      "noProxy": "localhost"\n    },\n'
        '    "tcp://docker.corp:2376": {"noProxy": "*.corp"}\n  }\n}\n'
    )
    f.write_text(text)
    plan = FIXES["client-proxy"].build(
        {"http-proxy": "http://new.corp:3128", "no-proxy": ""}, _ctx(tmp_path)
    )
    removed, added = changed_lines(text, plan.changes[0].new_text)
    assert removed == ['      "httpProxy": "http://old:1",', '      "noProxy": "localhost"']
    assert added == ['      "httpProxy": "http://new.corp:3128"']
    assert any("tcp://docker.corp:2376" in w for w in plan.warnings)


def test_loopback_proxy_is_warned_and_password_masked(tmp_path: Path) -> None:
    plan = FIXES["client-proxy"].build(
        {"http-proxy": "http://bob:s3cr3t-pw@127.0.0.1:3128"}, _ctx(tmp_path)
    )
    assert any("loopback" in w for w in plan.warnings)
    assert "s3cr3t-pw" in plan.changes[0].new_text  # written as typed
    shown = plan_diff(plan) + "".join(plan.commands_to_copy)
    assert "s3cr3t-pw" not in shown
    assert "bob:****@127.0.0.1" in shown
    assert plan.changes[0].mode == 0o600  # a new config.json may hold credentials


def test_defaults_come_from_the_file_then_the_environment(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, HTTPS_PROXY="http://env.proxy:8080")
    assert FIXES["client-proxy"].defaults(ctx)["https-proxy"] == "http://env.proxy:8080"


def test_invalid_config_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "home" / ".docker" / "config.json"
    f.parent.mkdir(parents=True)
    f.write_text('{"auths": {}, }')
    with pytest.raises(
        RefusedError, match=r"not valid JSON: trailing comma before '\}' at line 1, column 15"
    ):
        FIXES["client-proxy"].build({"http-proxy": "http://p:1"}, _ctx(tmp_path))


def test_user_and_secret_password_fields_go_into_the_urls(tmp_path: Path) -> None:
    from gobuildgui.core.secrets import redact

    spec = FIXES["client-proxy"]
    assert spec.secret_fields == ("proxy-password",)
    plan = spec.build(
        {
            "http-proxy": "http://proxy.corp:3128",
            "https-proxy": "http://proxy.corp:3128",
            "proxy-user": "dom\\alice",
            "proxy-password": "p@ss w:rd! ",
        },
        _ctx(tmp_path),
    )
    data = json.loads(plan.changes[0].new_text)["proxies"]["default"]
    assert data["httpProxy"] == "http://dom%5Calice:p%40ss%20w%3Ard%21%20@proxy.corp:3128"
    assert data["httpsProxy"] == data["httpProxy"]
    shown = plan_diff(plan) + "".join(plan.commands_to_copy)
    assert "p%40ss" not in shown
    assert "p@ss w:rd!" not in shown
    # registered: any later log line or report masks the typed password too
    assert "p@ss w:rd!" not in redact("the user typed p@ss w:rd! somewhere")


def test_password_without_user_is_an_error(tmp_path: Path) -> None:
    from gobuildgui.core.fixes import InvalidSettingsError

    with pytest.raises(InvalidSettingsError, match="proxy-user"):
        FIXES["client-proxy"].build(
            {"http-proxy": "http://p:1", "proxy-password": "x"}, _ctx(tmp_path)
        )


def test_windows_plans_give_powershell_commands(tmp_path: Path) -> None:
    ctx = FixContext(platform="windows", env={"USERPROFILE": str(tmp_path)})
    plan = FIXES["client-proxy"].build({"http-proxy": "http://u:Secr3tpw@proxy.corp:3128"}, ctx)
    (new_dir, write) = plan.commands_to_copy
    assert new_dir.startswith("New-Item -ItemType Directory -Force -Path (Split-Path '")
    assert write.startswith("[IO.File]::WriteAllText('")
    assert "@'\n{\n" in write
    assert "Secr3tpw" not in write
