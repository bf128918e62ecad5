"""Benchmark streaming a chatty ``docker build`` into the window (root: starts a dockerd).

Run: ``sudo python benchmarks/bench_build_stream.py [--lines 200000]``

A classic-builder build whose ``RUN seq 1 N`` prints N lines, on a throwaway dockerd from
the test bed (vfs, no bridge, a busybox image imported without a registry). Figures:

- reference: the same build through the docker CLI with its output read to the end
  by ``subprocess.run`` (no line handling at all);
- ``run_build``: line splitting, masking (``redact``) and the ``on_line`` callback;
  the ratio to the reference is its overhead;
- ``BuildRunner`` + a ``QPlainTextEdit`` on the offscreen platform: wall time until the
  last line is in the widget, and the longest gap between two ticks of a 10 ms timer
  (how long the event loop stalled at worst: the window's responsiveness).
Goal: every line arrives, and the event loop never stalls for more than 100 ms.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gobuildgui.core.build import BuildRequest, build_command, run_build
from tests.testbed.docker import BUSYBOX_IMAGE, Dockerd

CLI = "/usr/bin/docker" if os.access("/usr/bin/docker", os.X_OK) else "docker"


def _request(host: str, folder: Path, lines: int) -> BuildRequest:
    (folder / "Dockerfile").write_text(f"FROM {BUSYBOX_IMAGE}\nRUN seq 1 {lines}\n")
    return BuildRequest(
        dockerfile=folder / "Dockerfile",
        context=folder,
        docker_host=host,
        docker_cli=CLI,
        network="none",
        no_cache=True,
        build_args={"HTTP_PROXY": "http://u:benchPw99@127.0.0.1:3128"},
    )


def _reference(request: BuildRequest) -> float:
    env = {**os.environ, "DOCKER_BUILDKIT": "0", "HTTP_PROXY": request.build_args["HTTP_PROXY"]}
    started = time.perf_counter()
    subprocess.run(
        build_command(request),
        env=env,
        capture_output=True,
        check=True,
        timeout=600,
    )
    return time.perf_counter() - started


def _run_build(request: BuildRequest, lines: int) -> float:
    seen = 0

    def on_line(line: str) -> None:
        nonlocal seen
        seen += 1

    started = time.perf_counter()
    outcome = run_build(request, on_line=on_line, timeout=600)
    elapsed = time.perf_counter() - started
    assert outcome.rc == 0, outcome.last_lines
    assert seen >= lines, seen
    return elapsed


def _in_window(request: BuildRequest, lines: int) -> tuple[float, float, float]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from gobuildgui.ui.buildrunner import BuildRunner

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive until return
    log = QPlainTextEdit()
    log.setReadOnly(True)
    log.resize(900, 500)
    log.show()
    runner = BuildRunner(timeout=600)
    runner.line_received.connect(log.insertPlainText)  # the cursor stays at the end
    loop = QEventLoop()
    runner.finished.connect(lambda _outcome: loop.quit())
    clock = QElapsedTimer()
    gaps: list[int] = []
    last = [0]

    def on_tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(on_tick)
    clock.start()
    ticker.start()
    started = time.perf_counter()
    runner.start(request)
    loop.exec()
    elapsed = time.perf_counter() - started
    ticker.stop()
    assert log.blockCount() >= lines, log.blockCount()
    runner.shutdown()
    log.close()
    gaps.sort()
    return elapsed, float(gaps[int(len(gaps) * 0.99)]), float(gaps[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("bench_build_stream: needs root (it starts a dockerd)", file=sys.stderr)
        return 2
    with Dockerd() as daemon, tempfile.TemporaryDirectory() as tmp:
        daemon.ensure_busybox_image()
        request = _request(daemon.host, Path(tmp), args.lines)
        _reference(request)  # warm-up: the first build on vfs copies the image layer
        ref = min(_reference(request) for _ in range(3))
        ours = min(_run_build(request, args.lines) for _ in range(3))
        window, p99, stall = _in_window(request, args.lines)
    n = args.lines
    print(f"lines per build                       {n}")
    print(f"reference (CLI, output read whole)   {ref:6.2f} s  {n / ref:9.0f} lines/s")
    print(
        f"run_build (split, mask, callback)    {ours:6.2f} s  {n / ours:9.0f} lines/s"
        f"  ratio {ours / ref:4.2f}"
    )
    print(
        f"BuildRunner -> QPlainTextEdit        {window:6.2f} s  {n / window:9.0f} lines/s"
        f"  ratio {window / ref:4.2f}"
    )
    print(f"event-loop gap, 99th percentile      {p99:6.0f} ms (timer every 10 ms)")
    print(f"longest event-loop stall             {stall:6.0f} ms (goal < 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
