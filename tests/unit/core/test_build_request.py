"""default_build_request(): what the app's Build button builds."""

from __future__ import annotations

from pathlib import Path

from gobuildgui.core.build import default_build_request


def _dockerfile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    return path


def test_context_is_the_folder_and_buildkit_is_asked_for(tmp_path: Path) -> None:
    req = default_build_request(_dockerfile(tmp_path, "FROM alpine:3.20\n"), environ={})
    assert req.context == tmp_path
    assert req.buildkit
    assert dict(req.build_args) == {}
    assert req.docker_host is None


def test_host_proxies_become_predefined_build_args(tmp_path: Path) -> None:
    env = {
        "HTTPS_PROXY": "http://u:pw@proxy.corp:3128",
        "no_proxy": "localhost,.corp",
        "HTTP_PROXY": "",  # empty: not passed
        "PATH": "/usr/bin",
    }
    req = default_build_request(_dockerfile(tmp_path, "FROM alpine:3.20\n"), environ=env)
    assert dict(req.build_args) == {
        "HTTPS_PROXY": "http://u:pw@proxy.corp:3128",
        "no_proxy": "localhost,.corp",
    }


def test_go_settings_only_when_the_dockerfile_declares_them(tmp_path: Path) -> None:
    env = {"GOPROXY": "https://goproxy.corp,direct", "GOPRIVATE": "git.corp/*", "GOFLAGS": "-x"}
    df = _dockerfile(tmp_path, "ARG GOPROXY\nFROM golang:1.22\nARG GOPRIVATE=none\n")
    req = default_build_request(df, environ=env)
    assert dict(req.build_args) == {
        "GOPROXY": "https://goproxy.corp,direct",
        "GOPRIVATE": "git.corp/*",
    }


def test_docker_host_and_an_unreadable_dockerfile(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "Dockerfile"
    req = default_build_request(missing, environ={"DOCKER_HOST": "unix:///x.sock", "GOPROXY": "x"})
    assert req.docker_host == "unix:///x.sock"
    assert dict(req.build_args) == {}
