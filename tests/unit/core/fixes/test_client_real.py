"""The Docker CLI reads the config.json we wrote: its proxies reach containers and RUN steps
(the test bed's dockerd, root only; Debian's 20.10 CLI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gobuildgui.core.fixes import FIXES, FixContext, History, apply_plan
from tests.testbed.docker import BUSYBOX_IMAGE, Dockerd

CONFIG = (
    '{\n\t"auths": {\n\t\t"registry.corp.example": {"auth": "dXNlcjpwYXNz"}\n\t},\n'
    '\t"detachKeys": "ctrl-e,e"\n}\n'
)


def _docker(
    dockerd: Dockerd, config_dir: Path, *args: str, buildkit: bool = False
) -> subprocess.CompletedProcess[str]:
    binary = "/usr/bin/docker" if os.path.exists("/usr/bin/docker") else shutil.which("docker")
    if binary is None:
        pytest.skip("no docker CLI")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DOCKER_CONFIG": str(config_dir),
        "DOCKER_BUILDKIT": "1" if buildkit else "0",
        "HOME": str(config_dir),
    }
    return subprocess.run(
        [binary, "-H", dockerd.host, *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env,
    )


def test_proxies_we_wrote_reach_containers_and_run_steps(tmp_path: Path, dockerd: Dockerd) -> None:
    config_dir = tmp_path / "dockercfg"
    config_dir.mkdir()
    (config_dir / "config.json").write_text(CONFIG)
    ctx = FixContext(
        platform="linux", env={"HOME": str(tmp_path), "DOCKER_CONFIG": str(config_dir)}
    )
    plan = FIXES["client-proxy"].build(
        {
            "http-proxy": "http://172.17.0.1:3128",
            "https-proxy": "http://172.17.0.1:3128",
            "no-proxy": "localhost,.corp.example",
        },
        ctx,
    )
    apply_plan(plan, history=History(tmp_path / "history"))
    data = json.loads((config_dir / "config.json").read_text())
    assert data["auths"] == {"registry.corp.example": {"auth": "dXNlcjpwYXNz"}}
    assert data["detachKeys"] == "ctrl-e,e"

    run = _docker(dockerd, config_dir, "run", "--rm", "--network", "none", BUSYBOX_IMAGE, "env")
    assert run.returncode == 0, run.stderr
    env = dict(line.split("=", 1) for line in run.stdout.splitlines() if "=" in line)
    assert env["HTTP_PROXY"] == env["http_proxy"] == "http://172.17.0.1:3128"
    assert env["NO_PROXY"] == "localhost,.corp.example"

    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(
        f"FROM {BUSYBOX_IMAGE}\nRUN env | sort | grep -i _proxy= \n"
    )
    build = _docker(
        dockerd,
        config_dir,
        "build",
        "--no-cache",
        "--network",
        "host",
        "--progress=plain",
        str(context),
        buildkit=True,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    assert "HTTPS_PROXY=http://172.17.0.1:3128" in build.stderr
    assert "no_proxy=localhost,.corp.example" in build.stderr
