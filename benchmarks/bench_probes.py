"""Benchmark the network probes when every target black-holes, and the panel's responsiveness.

Run: ``python benchmarks/bench_probes.py [--timeout 2] [--runs 3] [--screenshots DIR]``

Everything is on loopback: resolvers are a DNS port that reads and never answers
(``tests.testbed.dns.BlackholeDns``); every TCP/TLS/HTTP target, the proxies, the GOPROXY
entries, the checksum database, the private git host and the Docker daemon are a TCP
port whose accept queue is full, so SYNs go unanswered (a firewall that drops packets).

Figures printed:
(a) the whole suite's wall time through ``run_plan`` (the CLI path), its ratio to the
    per-probe timeout (goal <= 1.3), and the same for a single DNS probe as reference;
(b) the longest gap between 1 ms QTimer ticks while the same suite runs in a
    ``ProbePanel`` (the longest Qt event-loop stall; goal < 50 ms), with the p99 gap.
With ``--screenshots DIR`` it also writes ``probes-running.png`` (mid-run) and
``probes-failed.png`` (a finished run with failures against the real bed servers).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gobuildgui.core.probes import (
    CancelToken,
    ProbeTarget,
    Proxy,
    Resolver,
    build_plan,
    run_plan,
)
from gobuildgui.core.probes.netio import HostPort
from tests.testbed.dns import BlackholeDns
from tests.unit.core.probes.helpers import BlackholeTcp


def blackholed_target(dns: BlackholeDns, hole: BlackholeTcp, timeout: float) -> ProbeTarget:
    """Every probe family pointed at something that never answers."""
    return ProbeTarget(
        resolvers=(
            Resolver("host", "127.0.0.1", dns.port),
            Resolver("daemon", "127.0.0.1", dns.port),
            Resolver("build", "127.0.0.1", dns.port),
        ),
        endpoints=(HostPort("127.0.0.1", hole.port), HostPort("localhost", hole.port)),
        proxies=(Proxy(hole.url, "https", "bench"), Proxy(hole.url, "http", "bench")),
        goproxy=f"{hole.url},{hole.url}/second|{hole.url}/third",
        gosumdb=f"sum.golang.org {hole.url}",
        goprivate=f"localhost:{hole.port}/team/repo",
        docker_host=f"tcp://127.0.0.1:{hole.port}",
        timeout=timeout,
    )


def bench_suite(target: ProbeTarget, runs: int) -> None:
    plan = build_plan(target)
    single = [s for s in plan if s.family == "dns"][:1]
    print(f"(a) black-holed suite: {len(plan)} probes, timeout {target.timeout:g} s per probe")
    walls, refs = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        run_plan(single, timeout=target.timeout)
        refs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        results = run_plan(plan, timeout=target.timeout, token=CancelToken())
        walls.append(time.perf_counter() - t0)
    wall, ref = statistics.median(walls), statistics.median(refs)
    failed = sum(r.failed for r in results)
    print(f"    single DNS probe:  {ref:.3f} s  (ratio to timeout {ref / target.timeout:.3f})")
    print(
        f"    whole suite:       {wall:.3f} s  (ratio to timeout {wall / target.timeout:.3f},"
        f" to a single probe {wall / ref:.3f}; goal <= 1.3)  [{failed}/{len(plan)} failed]"
    )
    print(f"    runs: {', '.join(f'{w:.3f}' for w in walls)}")


def bench_panel(target: ProbeTarget, *, cold: bool = False) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from gobuildgui.ui.probes.panel import ProbePanel

    app = QApplication.instance() or QApplication([])
    panel = ProbePanel(target_factory=lambda _df: target)
    panel.resize(1100, 700)
    panel.show()
    gaps: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(1)
    last = [0]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    ticker.timeout.connect(tick)
    done = [False]
    panel.run_finished.connect(lambda: done.__setitem__(0, True))
    for _ in range(20):  # settle: first paint, fonts
        app.processEvents()
    # The panel warms up (docker SDK import, trust stores) in a thread when it opens; a
    # user's first click comes later than that. Cold figures: --cold.
    if not cold:
        panel.warmed_up.wait(10)
    clock.start()
    last[0] = clock.nsecsElapsed()
    ticker.start()
    t0 = time.perf_counter()
    panel.run_all()
    while not done[0] and time.perf_counter() - t0 < target.timeout * 5:
        app.processEvents()
        time.sleep(0.0002)
    wall = time.perf_counter() - t0
    ticker.stop()
    panel.shutdown()
    gaps.sort()
    p99 = gaps[int(0.99 * (len(gaps) - 1))]
    how = "started at once, during warm-up" if cold else "after the panel's warm-up"
    print(f"(b) panel run ({how}): {len(panel.results())} probes in {wall:.3f} s")
    print(
        f"    longest event-loop stall: {gaps[-1]:.1f} ms (goal < 50 ms); p99 gap {p99:.2f} ms;"
        f" {len(gaps)} ticks of 1 ms"
    )
    panel.close()


def screenshots(directory: Path, dns: BlackholeDns, hole: BlackholeTcp) -> None:
    """probes-running.png (mid-run) and probes-failed.png (finished, with failures)."""
    from PySide6.QtWidgets import QApplication

    from gobuildgui.ui.probes.panel import ProbePanel
    from tests.testbed.bed import CREDENTIALS, NXDOMAIN_NAMES, default_records
    from tests.testbed.dns import DnsServer
    from tests.testbed.goproxy import MODULE, GoModuleProxy, TlsServer
    from tests.testbed.proxy import HttpProxy
    from tests.testbed.tls import CertificateAuthority

    app = QApplication.instance() or QApplication([])
    directory.mkdir(parents=True, exist_ok=True)
    ca = CertificateAuthority("Corp TLS Inspection CA")
    with (
        DnsServer(default_records(), NXDOMAIN_NAMES) as dnsmasq,
        GoModuleProxy() as goproxy,
        TlsServer(ca.issue(["localhost", "127.0.0.1"])) as tls,
        HttpProxy("tinyproxy", credentials=CREDENTIALS) as proxy,
    ):
        goproxy.set_fault("*/@v/v1.0.0.zip", status=503)
        target = ProbeTarget(
            hosts=("proxy.golang.org", "sum.golang.org", "storage.googleapis.com", "nxdomain.test"),
            resolvers=(
                Resolver("host", "127.0.0.1", dnsmasq.port),
                Resolver("daemon", "127.0.0.1", dns.port),
            ),
            endpoints=(HostPort("localhost", tls.port), HostPort("127.0.0.1", goproxy.port)),
            proxies=(Proxy(proxy.url, "https", "HTTPS_PROXY (environment)"),),
            goproxy=f"{goproxy.url},{tls.url}",
            gosumdb=f"sum.golang.org {goproxy.url}",
            module=MODULE,
            version="v1.0.0",
            docker_host=f"unix:///nonexistent-{os.getpid()}/docker.sock",
            timeout=6.0,
        )
        panel = ProbePanel(target_factory=lambda _df: target)
        panel.resize(1240, 880)
        panel.show()
        panel.run_all()
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 1.2:
            app.processEvents()
            time.sleep(0.01)
        panel.grab().save(str(directory / "probes-running.png"))
        while panel.running and time.perf_counter() - t0 < 15:
            app.processEvents()
            time.sleep(0.01)
        failed = next(
            (r for r in panel.results() if r.family == "tls" and r.failed),
            next(r for r in panel.results() if r.failed),
        )
        panel.tree.setCurrentItem(panel._items[failed.probe_id])
        panel.tree.scrollToItem(panel._items[failed.probe_id])
        panel.splitter.setSizes([430, 330])
        for _ in range(10):
            app.processEvents()
        panel.grab().save(str(directory / "probes-failed.png"))
        panel.shutdown()
        panel.close()
    print(f"screenshots written to {directory}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--timeout", type=float, default=2.0, help="per-probe timeout (s)")
    ap.add_argument("--runs", type=int, default=3, help="suite runs for (a)")
    ap.add_argument("--cold", action="store_true", help="(b) without waiting for warm-up")
    ap.add_argument("--screenshots", type=Path, metavar="DIR", help="also write screenshots")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with BlackholeDns() as dns, BlackholeTcp() as hole:
        target = blackholed_target(dns, hole, args.timeout)
        bench_suite(target, args.runs)
        bench_panel(target, cold=args.cold)
        if args.screenshots:
            screenshots(args.screenshots, dns, hole)
    return 0


if __name__ == "__main__":
    sys.exit(main())
