"""The computed resolv.conf agrees with what a real Docker daemon gives build steps.

Each case starts a dockerd with the default bridge inside a private namespace and a
chosen "host" resolv.conf (bind-mounted for the daemon only), then compares the
nameservers a container and each builder print with ``discover()``'s prediction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from gobuildgui.core.environment import discover
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


@pytest.mark.parametrize(("host", "config"), CASES, ids=["loopback", "mixed", "dns", "opts"])
def test_prediction_matches_docker(
    host: str, config: Mapping[str, Any] | None, tmp_path: Path
) -> None:
    resolv = tmp_path / "resolv.conf"
    resolv.write_text(host)
    daemon_json = []
    if config is not None:
        daemon_json.append(tmp_path / "daemon.json")
        daemon_json[0].write_text(json.dumps(config))
    with Netns("resolv") as ns, Dockerd(netns=ns, resolv_conf=host, config=config) as daemon:
        env = discover(
            None,
            environ={"HOME": str(tmp_path)},
            go=None,
            daemon_json=daemon_json,
            systemd_dirs=(),
            docker_host=daemon.host,  # docker info gives the version (20.10 here)
            resolv_conf=resolv,
            systemd_resolv_conf=tmp_path / "none",
        )
        assert env.resolv is not None
        daemon.ensure_busybox_image()
        client = daemon.client()
        try:
            bridge = client.containers.run(BUSYBOX_IMAGE, ["cat", "/etc/resolv.conf"], remove=True)
        finally:
            client.close()
        context = tmp_path / "ctx"
        context.mkdir()
        (context / "Dockerfile").write_text(f"FROM {BUSYBOX_IMAGE}\nRUN cat /etc/resolv.conf\n")
        seen = {}
        for label, buildkit, network in [
            ("classic_bridge", False, None),
            ("buildkit_default", True, None),
            ("buildkit_host", True, "host"),
        ]:
            result = daemon.build(context, buildkit=buildkit, network=network)
            assert result.returncode == 0, result.stdout + result.stderr
            seen[label] = _nameservers(result.stdout + result.stderr)
    assert _nameservers(bridge.decode()) == " ".join(env.resolv.classic_bridge.nameservers)
    for label, got in seen.items():
        predicted = getattr(env.resolv, label)
        assert got == " ".join(predicted.nameservers), label
