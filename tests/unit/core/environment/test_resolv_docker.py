"""The computed resolv.conf agrees with what a real Docker daemon gives build steps.

Each case starts a dockerd with the default bridge inside a private namespace and a
chosen "host" resolv.conf (bind-mounted for the daemon only), then compares the
nameservers a container and each builder print with ``discover()``'s prediction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gobuildgui.core.environment import BuildResolv, discover
from tests.testbed._util import need_root
from tests.testbed.docker import BUSYBOX_IMAGE, Dockerd
from tests.testbed.netns import Netns

CASES = [
    ("nameserver 127.0.0.1\nsearch corp.test\n", None),
    ("nameserver 10.1.2.3\nnameserver 127.0.0.1\n", None),
    ("nameserver 10.1.2.3\n", {"dns": ["127.0.0.1"]}),
    ("nameserver 127.0.0.1\n", {"dns-opts": ["ndots:1"]}),
]


def _nameservers(text: str) -> str:
    return " ".join(re.findall(r"nameserver ([0-9A-Fa-f.:]+)", text))


@dataclass(frozen=True)
class Observed:
    predicted: BuildResolv
    bridge_container: str
    builds: dict[str, str]


def _observe(host: str, config: Mapping[str, Any] | None, work: Path) -> Observed:
    resolv = work / "resolv.conf"
    resolv.write_text(host)
    daemon_json = []
    if config is not None:
        daemon_json.append(work / "daemon.json")
        daemon_json[0].write_text(json.dumps(config))
    with (
        Netns(f"resolv{work.name}") as ns,
        Dockerd(netns=ns, resolv_conf=host, config=config) as daemon,
    ):
        env = discover(
            None,
            environ={"HOME": str(work)},
            go=None,
            daemon_json=daemon_json,
            systemd_dirs=(),
            docker_host=daemon.host,  # docker info gives the version (20.10 here)
            resolv_conf=resolv,
            systemd_resolv_conf=work / "none",
        )
        assert env.resolv is not None
        daemon.ensure_busybox_image()
        client = daemon.client()
        try:
            bridge = client.containers.run(BUSYBOX_IMAGE, ["cat", "/etc/resolv.conf"], remove=True)
        finally:
            client.close()
        context = work / "ctx"
        context.mkdir()
        (context / "Dockerfile").write_text(f"FROM {BUSYBOX_IMAGE}\nRUN cat /etc/resolv.conf\n")
        builds = {}
        for label, buildkit, network in [
            ("classic_bridge", False, None),
            ("buildkit_default", True, None),
            ("buildkit_host", True, "host"),
        ]:
            result = daemon.build(context, buildkit=buildkit, network=network)
            assert result.returncode == 0, result.stdout + result.stderr
            builds[label] = _nameservers(result.stdout + result.stderr)
    return Observed(env.resolv, _nameservers(bridge.decode()), builds)


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Observed]:
    """All cases at once, each with its own daemon and namespace (they are independent)."""
    need_root("dockerd")
    root = tmp_path_factory.mktemp("resolv")
    work = [root / str(i) for i in range(len(CASES))]
    for path in work:
        path.mkdir()
    with ThreadPoolExecutor(max_workers=len(CASES)) as pool:
        futures = [
            pool.submit(_observe, host, config, path)
            for (host, config), path in zip(CASES, work, strict=True)
        ]
        return {i: f.result() for i, f in enumerate(futures)}


@pytest.mark.parametrize("case", range(len(CASES)), ids=["loopback", "mixed", "dns", "opts"])
def test_prediction_matches_docker(case: int, observed: dict[int, Observed]) -> None:
    seen = observed[case]
    assert seen.bridge_container == " ".join(seen.predicted.classic_bridge.nameservers)
    for label, got in seen.builds.items():
        predicted = getattr(seen.predicted, label)
        assert got == " ".join(predicted.nameservers), label
