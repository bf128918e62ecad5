"""Dockerfile fixes checked by a real BuildKit build (the test bed's dockerd, root only).

The edited Dockerfile must not only look right: BuildKit must accept it and the fix
must cure the failure it is for.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gobuildgui.core.fixes import FIXES, FixContext, History, apply_plan
from tests.testbed.docker import GO_IMAGE, Dockerd, go_build_context
from tests.testbed.goproxy import GoModuleProxy

BROKEN = f"""\
FROM {GO_IMAGE}
COPY go.mod ./
ENV GOSUMDB=off GOFLAGS=-mod=mod
ENV GOPROXY=off
RUN go mod download -x
"""


def _build_with_layer_cache(dockerd: Dockerd, context: Path) -> subprocess.CompletedProcess[str]:
    # Dockerd.build passes --no-cache; this keeps BuildKit's layer cache like a user's rebuild.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DOCKER_BUILDKIT": "1",
        "DOCKER_CONFIG": str(dockerd.dir / "client"),
    }
    return subprocess.run(
        [
            "/usr/bin/docker",
            "-H",
            dockerd.host,
            "build",
            "--network",
            "host",
            "--progress=plain",
            str(context),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env,
    )


def test_goproxy_and_cache_mount_fixes_cure_a_real_build(
    tmp_path: Path, dockerd: Dockerd, goproxy: GoModuleProxy
) -> None:
    context = go_build_context(tmp_path / "ctx", dockerfile=BROKEN)
    before = dockerd.build(context, buildkit=True)
    assert before.returncode != 0
    assert "module lookup disabled by GOPROXY=off" in before.stdout + before.stderr

    ctx = FixContext(platform="linux", env={}, dockerfile=context / "Dockerfile")
    history = History(tmp_path / "history")
    apply_plan(FIXES["dockerfile-goproxy"].build({"GOPROXY": goproxy.url}, ctx), history=history)
    mount_plan = FIXES["dockerfile-cache-mount"].build({}, ctx)
    # gbg-go sets GOPATH=/go in its image config, which no Dockerfile shows: the plan
    # says its guess may be wrong (with the command to check), and the user overrides it.
    assert any("--set modcache=" in w for w in mount_plan.warnings)
    apply_plan(
        FIXES["dockerfile-cache-mount"].build({"modcache": "/go/pkg/mod"}, ctx), history=history
    )
    text = (context / "Dockerfile").read_text()
    assert f"ENV GOPROXY={goproxy.url}\n" in text
    assert "RUN --mount=type=cache,target=/go/pkg/mod go mod download -x\n" in text

    first = _build_with_layer_cache(dockerd, context)
    assert first.returncode == 0, first.stdout + first.stderr
    fetched = len(goproxy.requests)
    assert fetched > 0
    # A go.mod edit reruns the download step; the cache mount still holds the modules,
    # so nothing is fetched again.
    with (context / "go.mod").open("a") as fh:
        fh.write("// touched\n")
    second = _build_with_layer_cache(dockerd, context)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "go mod download -x" in second.stderr
    assert "CACHED" not in second.stderr.split("go mod")[-1][:200]
    assert len(goproxy.requests) == fetched
