"""Docker daemon and in-container probes against a real dockerd of the test bed."""

from __future__ import annotations

from pathlib import Path

from gobuildgui.core.probes import ProbeTarget, Status, build_plan
from tests.testbed.bed import NXDOMAIN_NAMES, default_records
from tests.testbed.dns import DnsServer
from tests.testbed.docker import Dockerd
from tests.testbed.goproxy import MODULE, GoModuleProxy
from tests.testbed.gotool import GoTool
from tests.unit.core.probes.helpers import evidence, run_one, spec_of


def _target(daemon: Dockerd, **kw: object) -> ProbeTarget:
    base: dict[str, object] = {
        "docker_host": daemon.host,
        "module": MODULE,
        "version": "v1.0.0",
        "gosumdb": "off",
        "timeout": 30.0,
    }
    base.update(kw)
    return ProbeTarget(**base)  # type: ignore[arg-type]


def test_docker_daemon_answers(dockerd: Dockerd) -> None:
    res = run_one(spec_of(build_plan(_target(dockerd), ["docker"]), "docker:daemon"), 20)
    assert res.status is Status.OK, res
    ev = evidence(res)
    assert ev["version"].startswith("Engine 20.10")
    assert "classic builder by default" in ev["BuildKit"]
    assert ev["registry mirrors"] == "none"


def test_go_inside_a_container_agrees_with_go(
    dockerd: Dockerd, goproxy: GoModuleProxy, go_tool: GoTool
) -> None:
    t = _target(
        dockerd, goproxy=goproxy.url, container_image="gbg-go:1.19", container_network="host"
    )
    spec = spec_of(build_plan(t, ["container"]), "container:goproxy")
    res = run_one(spec, 30)
    assert res.status is Status.OK, res
    assert go_tool.download(goproxy.url).ok

    goproxy.set_fault("*/@v/v1.0.0.*", status=404)
    res = run_one(spec, 30)
    go = go_tool.download(goproxy.url)
    assert res.status is Status.FAILED
    assert "404" in res.summary
    assert not go.ok
    assert "404" in go.stderr
    assert evidence(res)["GOPROXY"] == goproxy.url


def test_missing_image_is_skipped_not_pulled(dockerd: Dockerd, tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text("FROM golang:1.99-never-pulled AS build\nRUN go mod download\n")
    t = _target(dockerd, dockerfile=df)
    res = run_one(spec_of(build_plan(t, ["container"]), "container:dns"), 20)
    assert res.status is Status.SKIPPED
    assert "pull it first: docker pull golang:1.99-never-pulled" in res.summary
    images = [tag for img in dockerd.client().images.list() for tag in img.tags]
    assert "golang:1.99-never-pulled" not in images


def test_dns_inside_containers(dockerd_bridge: Dockerd) -> None:
    """In the daemon's namespace: dnsmasq on 127.0.0.1:53, daemon dns 127.0.0.1."""
    assert dockerd_bridge.netns is not None
    with DnsServer(default_records(), NXDOMAIN_NAMES, netns=dockerd_bridge.netns):
        host_net = _target(
            dockerd_bridge,
            hosts=("proxy.golang.org", "nxdomain.test"),
            daemon_dns=("127.0.0.1",),
            container_image="gbg-busybox:latest",
            container_network="host",
            goproxy="off",
        )
        res = run_one(spec_of(build_plan(host_net, ["container"]), "container:dns"), 30)
        assert res.status is Status.FAILED, res
        ev = evidence(res)
        assert ev["proxy.golang.org"] == "127.0.0.1"
        assert ev["nxdomain.test"] == "NXDOMAIN"
        assert res.summary == "inside a container: nxdomain.test: NXDOMAIN"

        # On the bridge, 127.0.0.1 is the container itself: the loopback resolver is gone.
        bridge = ProbeTarget(**{**host_net.__dict__, "container_network": "bridge"})
        res = run_one(spec_of(build_plan(bridge, ["container"]), "container:dns"), 30)
        assert res.status is Status.FAILED
        assert evidence(res)["resolv.conf"] == "127.0.0.1"
        assert "daemon-dns" in res.fix_ids


def test_image_without_go_dials_the_goproxy_hosts(dockerd: Dockerd, goproxy: GoModuleProxy) -> None:
    t = _target(
        dockerd,
        goproxy=f"{goproxy.url},http://127.0.0.1:1",
        container_image="gbg-busybox:latest",
        container_network="host",
    )
    res = run_one(spec_of(build_plan(t, ["container"]), "container:goproxy"), 30)
    assert res.status is Status.FAILED, res
    ev = evidence(res)
    assert ev[f"TCP 127.0.0.1:{goproxy.port}"] == "connected"
    assert "refused" in ev["TCP 127.0.0.1:1"].lower()
    assert "no go tool" in res.explanation


def test_missing_network_is_skipped(dockerd: Dockerd) -> None:
    t = _target(dockerd, container_image="gbg-busybox:latest")  # default: the bridge network
    res = run_one(spec_of(build_plan(t, ["container"]), "container:dns"), 20)
    assert res.status is Status.SKIPPED
    assert "no 'bridge' network" in res.summary
