"""BuildRunner and BuildBar against a real dockerd (busybox image imported, no registry)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gobuildgui.core.build import BuildOutcome, BuildRequest
from gobuildgui.ui.buildrunner import BuildBar, BuildRunner, describe_outcome
from tests.testbed.docker import BUSYBOX_IMAGE, Dockerd

SECRET = "hunter2-Pw-99"
PROXY = f"http://bob:{SECRET}@127.0.0.1:3128"


@dataclass(frozen=True)
class Daemon:
    host: str
    image: str
    cli: str


@pytest.fixture
def daemon(dockerd: Dockerd) -> Daemon:
    """The test bed's session dockerd, driven by Debian's CLI (BuildKit without buildx)."""
    cli = "/usr/bin/docker" if os.access("/usr/bin/docker", os.X_OK) else shutil.which("docker")
    assert cli is not None
    return Daemon(host=dockerd.host, image=BUSYBOX_IMAGE, cli=cli)


def _request(daemon: Daemon, folder: Path, body: str, **kw: object) -> BuildRequest:
    (folder / "Dockerfile").write_text(f"FROM {daemon.image}\n{body}")
    return BuildRequest(
        dockerfile=folder / "Dockerfile",
        context=folder,
        docker_host=daemon.host,
        docker_cli=daemon.cli,
        network="none",
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[BuildRunner]:
    r = BuildRunner(timeout=120)
    yield r
    r.shutdown()


def _collect(runner: BuildRunner) -> tuple[list[str], list[str], list[str]]:
    chunks: list[str] = []
    steps: list[str] = []
    lines: list[str] = []

    def on_text(text: str) -> None:
        chunks.append(text)
        assert text.endswith("\n")
        lines.extend(text.splitlines())

    runner.line_received.connect(on_text)
    runner.progress.connect(steps.append)
    return chunks, steps, lines


@pytest.mark.parametrize("buildkit", [False, True])
def test_runner_streams_a_successful_build(
    qtbot: QtBot, runner: BuildRunner, daemon: Daemon, tmp_path: Path, buildkit: bool
) -> None:
    _, steps, lines = _collect(runner)
    request = _request(
        daemon, tmp_path, "RUN echo one-ok\nRUN echo two-ok\n", buildkit=buildkit, no_cache=True
    )
    with qtbot.waitSignal(runner.finished, timeout=60_000) as blocker:
        assert runner.start(request)
        assert runner.is_running()
        assert not runner.start(request)  # one build at a time
    outcome = blocker.args[0]
    assert isinstance(outcome, BuildOutcome)
    assert outcome.rc == 0, lines
    assert not runner.is_running()
    assert any(line.endswith("two-ok") for line in lines)
    assert steps
    assert all(("/" in s) for s in steps)


def test_runner_batches_a_flood_of_lines(
    qtbot: QtBot, runner: BuildRunner, daemon: Daemon, tmp_path: Path
) -> None:
    chunks, _, lines = _collect(runner)
    request = _request(daemon, tmp_path, "RUN seq 1 20000\n", no_cache=True)
    with qtbot.waitSignal(runner.finished, timeout=60_000) as blocker:
        runner.start(request)
    assert blocker.args[0].rc == 0
    numbers = [line for line in lines if line.isdigit()]
    assert numbers == [str(i) for i in range(1, 20001)]  # all of them, in order
    assert len(chunks) < 200  # batched, not one signal per line


def test_cancel_is_quick_and_reported(
    qtbot: QtBot, runner: BuildRunner, daemon: Daemon, tmp_path: Path
) -> None:
    _, _, lines = _collect(runner)
    runner.start(_request(daemon, tmp_path, "RUN echo begun && sleep 41\n"))
    qtbot.waitUntil(lambda: any(line.endswith("begun") for line in lines), timeout=30_000)
    with qtbot.waitSignal(runner.finished, timeout=3_000) as blocker:
        runner.cancel()
    assert blocker.args[0].cancelled
    assert not runner.is_running()


def test_shutdown_while_building_is_clean(
    qtbot: QtBot, runner: BuildRunner, daemon: Daemon, tmp_path: Path
) -> None:
    _, _, lines = _collect(runner)
    runner.start(_request(daemon, tmp_path, "RUN echo begun && sleep 42\n"))
    qtbot.waitUntil(lambda: any(line.endswith("begun") for line in lines), timeout=30_000)
    thread = runner._thread
    assert thread is not None
    runner.shutdown(wait=5)
    assert not thread.is_alive()
    assert not runner.is_running()


def test_bar_runs_cancels_and_masks_args(
    qtbot: QtBot, runner: BuildRunner, daemon: Daemon, tmp_path: Path
) -> None:
    request = _request(
        daemon,
        tmp_path,
        "RUN echo started-bar && sleep 43\n",
        build_args={"HTTPS_PROXY": PROXY, "GOPROXY": "https://goproxy.test"},
    )
    bar = BuildBar(runner, lambda: request)
    qtbot.addWidget(bar)
    _, _, lines = _collect(runner)
    shown = bar.args_label.full_text()
    assert "HTTPS_PROXY=http://bob:****@127.0.0.1:3128" in shown
    assert "GOPROXY=https://goproxy.test" in shown
    assert SECRET not in shown
    assert SECRET not in bar.args_label.toolTip()
    assert "--build-arg HTTPS_PROXY " in bar.args_label.toolTip()
    assert bar.build_button.isEnabled()
    assert not bar.cancel_button.isEnabled()

    bar.build_button.click()
    assert runner.is_running()
    assert not bar.build_button.isEnabled()
    assert bar.cancel_button.isEnabled()
    assert bar.busy.maximum() == 0  # busy indicator
    assert bar.busy.isVisibleTo(bar)
    qtbot.waitUntil(lambda: "RUN echo started-bar" in bar.step_label.full_text(), timeout=30_000)
    qtbot.waitUntil(lambda: any(line.endswith("started-bar") for line in lines), timeout=30_000)
    assert all(SECRET not in line for line in lines)

    with qtbot.waitSignal(bar.build_finished, timeout=5_000) as blocker:
        bar.cancel_button.click()
    assert blocker.args[0].cancelled
    assert bar.step_label.full_text().startswith("Build cancelled after")
    assert bar.build_button.isEnabled()
    assert not bar.cancel_button.isEnabled()
    assert not bar.busy.isVisibleTo(bar)


def test_bar_without_dockerfile_cannot_build(qtbot: QtBot, runner: BuildRunner) -> None:
    bar = BuildBar(runner, lambda: None)
    qtbot.addWidget(bar)
    assert not bar.build_button.isEnabled()
    assert bar.args_label.full_text() == "No Dockerfile open"
    assert bar.step_label.full_text() == "Open a Dockerfile to build it"
    assert not bar.busy.isVisibleTo(bar)


def test_bar_reports_daemon_down(qtbot: QtBot, runner: BuildRunner, tmp_path: Path) -> None:
    cli = shutil.which("docker")
    if cli is None:
        pytest.skip("no docker CLI")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    request = BuildRequest(
        dockerfile=tmp_path / "Dockerfile",
        context=tmp_path,
        docker_host=f"unix://{tmp_path}/down.sock",
        docker_cli=cli,
    )
    bar = BuildBar(runner, lambda: request)
    qtbot.addWidget(bar)
    with qtbot.waitSignal(bar.build_finished, timeout=30_000):
        bar.build_button.click()
    text = bar.step_label.full_text()
    assert text.startswith("Build failed: the Docker daemon at ")
    assert "is not reachable" in text


@pytest.mark.parametrize(
    ("outcome", "text"),
    [
        (
            BuildOutcome(0, False, 2.04, "sha256:0123456789abcdef0123", ()),
            "Build succeeded in 2.0 s — image 0123456789ab",
        ),
        (BuildOutcome(1, False, 3.0, None, ()), "Build failed (exit status 1) after 3.0 s"),
        (BuildOutcome(-15, True, 1.25, None, ()), "Build cancelled after 1.2 s"),
        (
            BuildOutcome(-15, False, 60.0, None, (), timed_out=True, error="x"),
            "Build stopped: no result after 60.0 s",
        ),
        (
            BuildOutcome(127, False, 0.0, None, (), error="no `docker` command on PATH"),
            "Build failed: no `docker` command on PATH",
        ),
    ],
)
def test_describe_outcome(outcome: BuildOutcome, text: str) -> None:
    assert describe_outcome(outcome) == text


def test_bar_refresh_follows_the_open_dockerfile(
    qtbot: QtBot, runner: BuildRunner, tmp_path: Path
) -> None:
    current: list[BuildRequest | None] = [None]
    bar = BuildBar(runner, lambda: current[0])
    qtbot.addWidget(bar)
    assert not bar.build_button.isEnabled()
    current[0] = BuildRequest(
        dockerfile=tmp_path / "Dockerfile", context=tmp_path, buildkit=True, build_args={}
    )
    bar.refresh()
    assert bar.build_button.isEnabled()
    assert bar.step_label.full_text() == "Ready to build"
    assert bar.args_label.full_text() == "BuildKit · build args: none"
    assert "--progress=plain" in bar.args_label.toolTip()
