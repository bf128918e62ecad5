"""The real dockerd of the test bed: images without a registry, builds, config validation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docker.errors
import pytest

from tests.testbed.docker import BUSYBOX_IMAGE, GO_IMAGE, Dockerd, go_build_context
from tests.testbed.goproxy import GoModuleProxy


def test_daemon_answers_on_its_own_socket(docker_client: Any, dockerd: Dockerd) -> None:
    assert docker_client.ping()
    info = docker_client.info()
    assert info["Driver"] == "vfs"
    assert info["DockerRootDir"] == str(dockerd.data_root)
    assert dockerd.host.startswith("unix:///tmp/gbg-")


def test_busybox_image_runs_without_network(docker_client: Any) -> None:
    out = docker_client.containers.run(
        BUSYBOX_IMAGE, ["ip", "-o", "link"], network_mode="none", remove=True
    )
    assert b"lo" in out
    assert b"eth0" not in out


def test_go_image_has_a_working_go(docker_client: Any) -> None:
    out = docker_client.containers.run(
        GO_IMAGE, ["go", "version"], network_mode="none", remove=True
    )
    assert out.startswith(b"go version go1.19")


def test_failing_command_is_container_error(docker_client: Any) -> None:
    with pytest.raises(docker.errors.ContainerError) as info:
        docker_client.containers.run(
            BUSYBOX_IMAGE, ["sh", "-c", "echo boom >&2; exit 3"], network_mode="none", remove=True
        )
    assert info.value.exit_status == 3


@pytest.mark.parametrize("buildkit", [False, True], ids=["classic", "buildkit"])
def test_real_go_mod_download_in_a_build(
    buildkit: bool, dockerd: Dockerd, goproxy: GoModuleProxy, tmp_path: Path
) -> None:
    context = go_build_context(tmp_path / "ctx")
    result = dockerd.build(context, buildkit=buildkit, build_args={"GOPROXY": goproxy.url})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/example.com/hello/@v/v1.0.0.zip" in goproxy.paths_requested()


def test_build_fails_with_go_error_text(dockerd: Dockerd, tmp_path: Path) -> None:
    with GoModuleProxy() as server:
        url = server.url
    context = go_build_context(tmp_path / "ctx")
    result = dockerd.build(context, build_args={"GOPROXY": url})
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "connect: connection refused" in log
    assert "The command '/bin/sh -c go mod download -x' returned a non-zero code: 1" in log


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"dns": ["8.8.8.8",]}', "invalid character ']' looking for beginning of value"),
        ('{"no-such-option": true}', "don't match any configuration option: no-such-option"),
        ('{"dns": "8.8.8.8"}', "cannot unmarshal string into Go struct field Config.dns"),
        ('{"dns": ["not-an-ip"]}', "not-an-ip is not an ip address"),
        ('{"registry-mirrors": ["127.0.0.1:5000"]}', 'invalid mirror: "127.0.0.1:5000"'),
    ],
)
def test_config_check_reports_dockerd_errors(
    text: str,
    message: str,
    dockerd_config_check: Callable[..., tuple[int, str]],
    tmp_path: Path,
) -> None:
    path = tmp_path / "daemon.json"
    path.write_text(text)
    rc, reported = dockerd_config_check(path)
    assert rc != 0
    assert message in reported


def test_config_check_accepts_good_file(
    dockerd_config_check: Callable[..., tuple[int, str]], tmp_path: Path
) -> None:
    path = tmp_path / "daemon.json"
    path.write_text('{"dns": ["127.0.0.1"], "features": {"buildkit": true}}')
    assert dockerd_config_check(path)[0] == 0
    rc, reported = dockerd_config_check(path, extra_flags=["--dns", "127.0.0.2"])
    assert rc != 0
    assert "specified both as a flag and in the configuration file: dns" in reported


def test_bridge_daemon_gives_containers_a_network(dockerd_bridge: Dockerd) -> None:
    client = dockerd_bridge.client()
    try:
        out = client.containers.run(
            BUSYBOX_IMAGE, ["sh", "-c", "ip -o -4 addr show eth0; ip route"], remove=True
        ).decode()
    finally:
        client.close()
    assert "inet 172.17." in out
    assert "default via 172.17.0.1" in out


def test_bridge_build_cannot_reach_host_loopback(
    dockerd_bridge: Dockerd, goproxy: GoModuleProxy, tmp_path: Path
) -> None:
    """127.0.0.1 in a build container on the bridge is the container itself."""
    context = go_build_context(tmp_path / "ctx")
    result = dockerd_bridge.build(context, network=None, build_args={"GOPROXY": goproxy.url})
    assert result.returncode != 0
    assert f"dial tcp 127.0.0.1:{goproxy.port}: connect: connection refused" in result.stdout
    assert goproxy.requests == []
