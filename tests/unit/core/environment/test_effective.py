"""What a RUN go mod download step sees: precedence and reasons, and a real build agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gobuildgui.core.environment import Environment, SourceKind, discover, effective_for_run_step
from tests.testbed.docker import GO_IMAGE, Dockerd, go_build_context
from tests.testbed.goproxy import GoModuleProxy

DOCKERFILE = """\
FROM golang:1.22 AS build
ARG HTTPS_PROXY
ENV GOPRIVATE=git.corp.test/*
ARG GOPROXY=https://goproxy.corp.test
COPY go.mod ./
RUN go mod download
"""


def _env(tmp_path: Path, dockerfile: str | None = DOCKERFILE, **files: str) -> Environment:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    path = None
    if dockerfile is not None:
        path = tmp_path / "Dockerfile"
        path.write_text(dockerfile)
    if "config" in files:
        (home / ".docker").mkdir(exist_ok=True)
        (home / ".docker" / "config.json").write_text(files["config"])
    daemon_json = []
    if "daemon" in files:
        daemon_json.append(tmp_path / "daemon.json")
        daemon_json[0].write_text(files["daemon"])
    if "goenv" in files:
        (home / ".config" / "go").mkdir(parents=True, exist_ok=True)
        (home / ".config" / "go" / "env").write_text(files["goenv"])
    environ = {"HOME": str(home), "HTTP_PROXY": "http://shell-proxy:8080"}
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\n")
    return discover(
        path,
        environ=environ,
        go=None,
        docker_info=False,
        daemon_json=daemon_json,
        systemd_dirs=(),
        resolv_conf=resolv,
        systemd_resolv_conf=tmp_path / "none",
    )


CLIENT = json.dumps(
    {"proxies": {"default": {"httpProxy": "http://u:pw@client-proxy:3128", "httpsProxy": "x"}}}
)


def test_dockerfile_settings_have_lines(tmp_path: Path) -> None:
    env = _env(tmp_path)
    goproxy = env.first("GOPROXY", SourceKind.DOCKERFILE)
    assert goproxy is not None
    assert (goproxy.value, goproxy.source, goproxy.line) == (
        "https://goproxy.corp.test",
        "Dockerfile ARG line 4",
        4,
    )
    https = env.first("HTTPS_PROXY", SourceKind.DOCKERFILE)
    assert https is not None
    assert https.value is None
    assert https.display_value == "(set at build time)"
    assert env.dockerfile_step_line == 6


def test_unsaved_editor_text_is_used(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM golang:1.22\nRUN go mod download\n")
    env = discover(
        path,
        environ={"HOME": str(tmp_path)},
        go=None,
        docker_info=False,
        daemon_json=(),
        dockerfile_text="FROM golang:1.22\nENV GOPROXY=off\nRUN go mod download\n",
    )
    assert effective_for_run_step(env)["GOPROXY"].value == "off"
    assert env.dockerfile_step_line == 3


def test_client_proxies_reach_run_daemon_and_shell_do_not(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        config=CLIENT,
        daemon='{"proxies": {"http-proxy": "http://daemon-proxy:3128"}}',
    )
    seen = effective_for_run_step(env)
    http = seen["HTTP_PROXY"]
    assert http.value == "http://u:pw@client-proxy:3128"
    assert http.display_value == "http://u:****@client-proxy:3128"
    assert "build args" in http.reason
    ignored = {s.source: why for s, why in http.ignored}
    assert ignored["process env"] == "the shell's variables are not passed to docker build"
    assert any("own pulls" in why for why in ignored.values())
    # ARG HTTPS_PROXY without a default receives the client's value.
    assert seen["HTTPS_PROXY"].value == "x"


def test_arg_without_default_and_no_client(tmp_path: Path) -> None:
    seen = effective_for_run_step(_env(tmp_path))
    assert seen["HTTPS_PROXY"].value is None
    assert "--build-arg HTTPS_PROXY" in seen["HTTPS_PROXY"].reason
    assert seen["HTTP_PROXY"].value is None


def test_dockerfile_env_beats_client(tmp_path: Path) -> None:
    dockerfile = "FROM golang:1.22\nENV HTTP_PROXY=http://in-file:3128\nRUN go mod download\n"
    seen = effective_for_run_step(_env(tmp_path, dockerfile, config=CLIENT))
    assert seen["HTTP_PROXY"].value == "http://in-file:3128"
    assert seen["HTTP_PROXY"].source == "Dockerfile ENV line 2"
    assert any("overrides" in why for _, why in seen["HTTP_PROXY"].ignored)


def test_go_defaults_and_goprivate(tmp_path: Path) -> None:
    env = _env(tmp_path, goenv="GOPROXY=https://host-only.test\nGOFLAGS=-mod=mod\n")
    seen = effective_for_run_step(env)
    assert seen["GOPROXY"].value == "https://goproxy.corp.test"
    assert seen["GOSUMDB"].value == "sum.golang.org"
    assert seen["GOSUMDB"].source == "Go's default"
    assert seen["GONOPROXY"].value == "git.corp.test/*"
    assert seen["GONOSUMDB"].value == "git.corp.test/*"
    assert seen["GOFLAGS"].value is None
    assert any("host's Go settings" in why for _, why in seen["GOFLAGS"].ignored)


def test_no_dockerfile_means_go_defaults(tmp_path: Path) -> None:
    seen = effective_for_run_step(_env(tmp_path, None))
    assert seen["GOPROXY"].value == "https://proxy.golang.org,direct"
    assert seen["GONOPROXY"].value is None


@pytest.mark.parametrize(
    ("builder", "network", "expected"),
    [
        ("classic", "default", "8.8.8.8 8.8.4.4"),
        ("classic", "host", "127.0.0.1"),
        ("buildkit", "host", "127.0.0.1"),
    ],
)
def test_resolv_per_builder(builder: str, network: str, expected: str, tmp_path: Path) -> None:
    seen = effective_for_run_step(_env(tmp_path), builder=builder, network=network)
    assert seen["resolv.conf"].value == expected


def test_a_real_build_sees_what_we_say(
    dockerd: Dockerd, goproxy: GoModuleProxy, tmp_path: Path
) -> None:
    """config.json proxies reach RUN as variables; the Dockerfile's ENV GOPROXY wins."""
    client_dir = tmp_path / "client"
    client_dir.mkdir()
    (client_dir / "config.json").write_text(
        json.dumps({"proxies": {"default": {"noProxy": "127.0.0.1,localhost"}}})
    )
    dockerfile = (
        f"FROM {GO_IMAGE}\nCOPY go.mod ./\nENV GOSUMDB=off GOFLAGS=-mod=mod\n"
        f"ENV GOPROXY={goproxy.url}\n"
        "RUN echo NO_PROXY=$NO_PROXY GOPROXY=$GOPROXY && go mod download\n"
    )
    context = go_build_context(tmp_path / "ctx", dockerfile=dockerfile)
    env = discover(
        context / "Dockerfile",
        environ={"HOME": str(tmp_path), "DOCKER_CONFIG": str(client_dir)},
        go=None,
        docker_info=False,
        daemon_json=(),
        systemd_dirs=(),
    )
    seen = effective_for_run_step(env, builder="classic", network="host")
    result = dockerd.build(context, docker_config=client_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"NO_PROXY={seen['NO_PROXY'].value} GOPROXY={seen['GOPROXY'].value}" in result.stdout
