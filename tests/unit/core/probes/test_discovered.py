"""ProbeTarget from environment discovery: host resolvers, daemon dns, build settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gobuildgui.core.environment import discover
from gobuildgui.core.probes.discovered import discovered_target, target_from_discovery


def test_target_from_discovery(tmp_path: Path) -> None:
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.53\nnameserver 10.9.8.7\n")
    daemon = tmp_path / "daemon.json"
    daemon.write_text(json.dumps({"dns": ["10.1.1.1"], "features": {"buildkit": True}}))
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM golang:1.22\nENV GOPROXY=https://goproxy.corp.test,direct GOPRIVATE=git.corp.test/*\n"
        "RUN go mod download\n"
    )
    env = discover(
        dockerfile,
        environ={"HTTPS_PROXY": "http://proxy.corp.test:3128", "HOME": str(tmp_path)},
        home=tmp_path,
        go=None,
        docker_info=False,
        daemon_json=[daemon],
        systemd_dirs=[],
        resolv_conf=resolv,
        systemd_resolv_conf=tmp_path / "none",
    )
    t = target_from_discovery(env, timeout=3.0, dockerfile=dockerfile)
    labels = [(r.label, r.address) for r in t.resolvers]
    assert ("host", "127.0.0.53") in labels
    assert ("daemon", "10.1.1.1") in labels
    assert ("build", "10.1.1.1") in labels  # daemon dns is what BuildKit RUN steps get
    assert t.daemon_dns == ("10.1.1.1",)
    assert t.daemon_buildkit is True
    assert t.goproxy == "https://goproxy.corp.test,direct"
    assert t.goprivate == "git.corp.test/*"
    assert [p.url for p in t.proxies] == ["http://proxy.corp.test:3128"]
    assert t.build_env["GOPROXY"] == "https://goproxy.corp.test,direct"
    assert "HTTPS_PROXY" not in t.build_env  # the shell's proxy does not reach RUN
    assert t.timeout == 3.0


def test_discovered_target_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import gobuildgui.core.probes.discovered as mod

    def boom(*args: object, **kw: object) -> None:
        raise RuntimeError("discovery broke")

    monkeypatch.setattr(mod, "discover", boom)
    t = discovered_target(None, timeout=1.5)
    assert t.timeout == 1.5
