"""Benchmark environment discovery and the start-up of the test bed's components.

Run: ``python benchmarks/bench_env.py [--runs 20]``

Figures printed:
- ``discover()`` without the go tool and without a daemon (files only), median;
- ``discover()`` with the real go tool, median, and its ratio to a bare
  ``go env -json`` run in the same process (the reference: discovery should cost little
  more than the one subprocess it cannot avoid);
- ``discover()`` when ``docker info`` meets a silent TCP endpoint, against its timeout;
- start and stop of each test-bed component (dnsmasq, tinyproxy, squid, TLS module proxy,
  dockerd when root), median of a few runs.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gobuildgui.core.environment import discover


def _median(fn: Callable[[], object], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="gbg-bench-env-"))
    (home / ".docker").mkdir()
    (home / ".docker" / "config.json").write_text(
        '{"proxies": {"default": {"httpProxy": "http://proxy.corp.test:3128"}}}'
    )
    dockerfile = home / "Dockerfile"
    dockerfile.write_text(
        "FROM golang:1.22\nENV GOPROXY=https://goproxy.test\nRUN go mod download\n"
    )
    environ = {"HOME": str(home), "PATH": "/usr/bin:/bin"}

    files_only = _median(
        lambda: discover(dockerfile, environ=environ, go=None, docker_info=False), args.runs
    )
    print(f"discover(), files only:            {files_only * 1000:7.2f} ms")
    go = shutil.which("go", path=environ["PATH"])
    if go:
        with_go = _median(
            lambda: discover(dockerfile, environ=environ, go=go, docker_info=False), args.runs
        )
        bare = _median(
            lambda: subprocess.run(
                [go, "env", "-json"], env=environ, capture_output=True, check=True
            ),
            args.runs,
        )
        print(f"discover(), with go env -json:     {with_go * 1000:7.2f} ms")
        print(f"bare `go env -json` (reference):   {bare * 1000:7.2f} ms")
        print(f"ratio discover/go env:             {with_go / bare:7.2f}")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        host = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        start = time.perf_counter()
        discover(None, environ=environ, go=None, docker_host=host, docker_timeout=1.0)
        took = time.perf_counter() - start
    print(f"discover(), silent daemon, 1 s timeout: {took:5.2f} s (ratio {took / 1.0:.2f})")
    _bench_testbed()
    shutil.rmtree(home, ignore_errors=True)


def _bench_testbed() -> None:
    # The test bed lives in tests/; import it only here so the script runs without it.
    try:
        from tests.testbed.dns import DnsServer
        from tests.testbed.goproxy import TlsServer
        from tests.testbed.proxy import HttpProxy
        from tests.testbed.tls import CertificateAuthority
    except ImportError as exc:
        print(f"test bed not importable: {exc}")
        return
    import os

    ca = CertificateAuthority()
    components: list[tuple[str, Callable[[], object]]] = [
        ("dnsmasq", lambda: DnsServer({"a.test": ["127.0.0.1"]})),
        ("tinyproxy", lambda: HttpProxy("tinyproxy")),
        ("squid", lambda: HttpProxy("squid", credentials=("u", "p"))),
        ("TLS module proxy", lambda: TlsServer(ca.issue(["localhost"]))),
    ]
    if os.geteuid() == 0:
        from tests.testbed.docker import Dockerd

        components.append(("dockerd (vfs)", Dockerd))
    for label, make in components:
        starts, stops = [], []
        for _ in range(3):
            component: object = make()
            t0 = time.perf_counter()
            component.start()  # type: ignore[attr-defined]
            t1 = time.perf_counter()
            stop = getattr(component, "remove", None) or component.stop  # type: ignore[attr-defined]
            stop()
            t2 = time.perf_counter()
            starts.append(t1 - t0)
            stops.append(t2 - t1)
        print(
            f"{label:18s} start {statistics.median(starts) * 1000:7.1f} ms"
            f"  stop {statistics.median(stops) * 1000:7.1f} ms"
        )


if __name__ == "__main__":
    main()
