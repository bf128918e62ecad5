"""ProbePanel with the real probes against the loopback bed (pytest-qt, offscreen)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from gobuildgui.core.probes import ProbeResult, ProbeTarget, Resolver, Status
from gobuildgui.core.probes.netio import HostPort
from gobuildgui.ui.probes.panel import ProbePanel
from tests.testbed.dns import BlackholeDns, DnsServer
from tests.testbed.goproxy import MODULE, GoModuleProxy
from tests.unit.core.probes.helpers import BlackholeTcp


def _good_target(dns: DnsServer, goproxy: GoModuleProxy) -> ProbeTarget:
    return ProbeTarget(
        hosts=("proxy.golang.org", "nxdomain.test"),
        resolvers=(Resolver("host", "127.0.0.1", dns.port),),
        endpoints=(HostPort("127.0.0.1", goproxy.port),),
        goproxy=goproxy.url,
        gosumdb="off",
        module=MODULE,
        version="v1.0.0",
        docker_host="unix:///nonexistent/docker.sock",
        timeout=2.0,
    )


@pytest.fixture
def hole() -> Iterator[BlackholeTcp]:
    with BlackholeTcp() as h:
        yield h


def _black_target(dns: BlackholeDns, hole: BlackholeTcp, timeout: float) -> ProbeTarget:
    return ProbeTarget(
        hosts=("proxy.golang.org", "sum.golang.org"),
        resolvers=(Resolver("host", "127.0.0.1", dns.port),),
        endpoints=(HostPort("127.0.0.1", hole.port),),
        goproxy=hole.url,
        gosumdb=f"sum.golang.org {hole.url}",
        docker_host=f"tcp://127.0.0.1:{hole.port}",
        timeout=timeout,
    )


def _panel(qtbot: QtBot, target: ProbeTarget) -> ProbePanel:
    panel = ProbePanel(target_factory=lambda _df: target)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    return panel


def test_run_groups_results_and_shows_evidence(
    qtbot: QtBot, dns_server: DnsServer, goproxy: GoModuleProxy
) -> None:
    panel = _panel(qtbot, _good_target(dns_server, goproxy))
    with qtbot.waitSignal(panel.run_finished, timeout=10_000):
        panel.run_families(["dns", "tcp", "goproxy", "docker"])
    groups = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]  # type: ignore[union-attr]
    assert groups == [
        "Name resolution",
        "Network & proxy",
        "Go module proxy & checksum DB",
        "Docker daemon",
    ]
    by_id = {r.probe_id: r for r in panel.results()}
    ok = by_id[f"dns:proxy.golang.org@127.0.0.1:{dns_server.port}"]
    bad = by_id[f"dns:nxdomain.test@127.0.0.1:{dns_server.port}"]
    assert ok.status is Status.OK
    assert bad.status is Status.FAILED
    assert by_id["goproxy:chain"].status is Status.OK
    assert by_id["docker:daemon"].status is Status.FAILED
    assert panel.goproxy_edit.placeholderText() == f"in force: {goproxy.url}"
    assert f"127.0.0.1:{dns_server.port} (host)" in panel.resolver_edit.placeholderText()
    assert panel.tree.topLevelItem(0).text(3) == "1 failed"  # type: ignore[union-attr]
    assert "failed" in panel.status_label.text()
    assert not panel.cancel_button.isEnabled()

    item = panel._items[bad.probe_id]
    assert item.text(1) == "failed"
    assert item.text(3).startswith("NXDOMAIN")
    panel.tree.setCurrentItem(item)
    text = panel.details.toPlainText()
    assert "Evidence" in text
    assert f"127.0.0.1:{dns_server.port} (host)" in text
    assert "What it means" in text
    assert 'href="fix:daemon-dns"' in panel.details.toHtml()
    assert panel.fix_links() == ["daemon-dns"]
    with qtbot.waitSignal(panel.fix_requested, timeout=1000) as blocker:
        panel.details.anchorClicked.emit(QUrl("fix:daemon-dns"))
    assert blocker.args == ["daemon-dns"]


def test_copy_as_text(qtbot: QtBot, dns_server: DnsServer, goproxy: GoModuleProxy) -> None:
    panel = _panel(qtbot, _good_target(dns_server, goproxy))
    assert not panel.copy_button.isEnabled()
    with qtbot.waitSignal(panel.run_finished, timeout=10_000):
        panel.run_families(["dns"])
    panel.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == panel.text()
    assert copied.startswith("Name resolution\n")
    assert "NXDOMAIN" in copied
    assert "2 probes: 1 ok, 1 failed" in copied


def test_run_selected_reruns_only_that_probe(
    qtbot: QtBot, dns_server: DnsServer, goproxy: GoModuleProxy
) -> None:
    panel = _panel(qtbot, _good_target(dns_server, goproxy))
    with qtbot.waitSignal(panel.run_finished, timeout=10_000):
        panel.run_families(["dns", "goproxy"])
    before = {r.probe_id: r for r in panel.results()}
    chain = panel._items["goproxy:chain"]
    panel.tree.setCurrentItem(chain)
    goproxy.set_fault("*.info", status=500)
    with qtbot.waitSignal(panel.run_finished, timeout=10_000):
        panel.run_selected()
    after = {r.probe_id: r for r in panel.results()}
    assert after["goproxy:chain"].status is Status.FAILED
    assert after["goproxy:chain"] is not before["goproxy:chain"]
    others = [p for p in before if p != "goproxy:chain"]
    assert all(after[p] is before[p] for p in others)

    goproxy.clear_faults()  # double-click runs one probe again
    with qtbot.waitSignal(panel.run_finished, timeout=10_000):
        panel.tree.itemDoubleClicked.emit(panel._items["goproxy:chain"], 0)
    assert {r.probe_id: r for r in panel.results()}["goproxy:chain"].status is Status.OK


def test_cancel_is_fast_and_nothing_arrives_late(
    qtbot: QtBot, blackhole_dns: BlackholeDns, hole: BlackholeTcp
) -> None:
    panel = _panel(qtbot, _black_target(blackhole_dns, hole, 1.0))
    shown: list[ProbeResult] = []
    panel.result_shown.connect(shown.append)
    finished: list[bool] = []
    panel.run_finished.connect(lambda: finished.append(True))
    panel.run_all()
    qtbot.waitUntil(
        lambda: any(i.text(1) == "running" for i in panel._items.values()), timeout=3000
    )
    qtbot.wait(200)
    start = time.monotonic()
    panel.cancel_button.click()
    assert time.monotonic() - start < 0.1  # the click returns at once
    assert panel._pool.waitForDone(500)  # every worker noticed within half a second
    assert time.monotonic() - start < 0.5
    statuses = {r.status for r in panel.results()}
    assert statuses <= {Status.CANCELLED, Status.SKIPPED, Status.FAILED}
    n_shown = len(shown)
    qtbot.wait(1500)  # past the 1 s probe timeout: any late result would be here now
    assert len(shown) == n_shown
    assert not finished
    assert all(r.status is Status.CANCELLED for r in panel.results() if r.family in ("dns", "tcp"))
    assert "Cancelled" in panel.status_label.text()


def test_closing_while_probes_run_is_clean(
    qtbot: QtBot, blackhole_dns: BlackholeDns, hole: BlackholeTcp
) -> None:
    panel = _panel(qtbot, _black_target(blackhole_dns, hole, 5.0))
    panel.show()
    qtbot.waitExposed(panel)
    shown: list[ProbeResult] = []
    panel.result_shown.connect(shown.append)
    panel.run_all()
    qtbot.waitUntil(lambda: bool(panel._started), timeout=3000)
    before = len(shown)  # instant results (SKIPPED "no proxy") may already be in
    start = time.monotonic()
    panel.close()  # closeEvent -> shutdown(): cancel, then a bounded wait for the pool
    assert time.monotonic() - start < 1.0
    assert panel._pool.activeThreadCount() == 0
    qtbot.wait(300)
    assert len(shown) == before
    assert not panel.running


def test_overrides_replace_the_factorys_values(qtbot: QtBot, tmp_path: Path) -> None:
    panel = _panel(qtbot, ProbeTarget(resolvers=(Resolver("host", "127.0.0.53"),)))
    panel.resolver_edit.setText("127.0.0.1:5353, 127.0.0.2")
    panel.proxy_edit.setText("127.0.0.1:3128")
    panel.goproxy_edit.setText("http://127.0.0.1:1,off")
    panel.set_dockerfile(tmp_path / "Dockerfile")
    t = panel.target()
    assert [str(r) for r in t.resolvers] == ["127.0.0.1:5353", "127.0.0.2:53"]
    assert {p.url for p in t.proxies} == {"http://127.0.0.1:3128"}
    assert t.goproxy == "http://127.0.0.1:1,off"
    panel.resolver_edit.setText("not an ip:xx")
    panel.run_all()
    assert panel.status_label.text().startswith("Cannot run")


def test_settings_are_read_off_the_gui_thread(
    qtbot: QtBot, dns_server: DnsServer, goproxy: GoModuleProxy
) -> None:
    import threading

    threads: list[str] = []
    target = _good_target(dns_server, goproxy)

    def slow_factory(_df: Path | None) -> ProbeTarget:
        threads.append(threading.current_thread().name)
        time.sleep(0.4)  # like `go env` and `docker info` on a slow machine
        return target

    panel = ProbePanel(target_factory=slow_factory)
    qtbot.addWidget(panel)
    start = time.monotonic()
    panel.run_families(["dns"])
    assert time.monotonic() - start < 0.3
    states = [panel.running]
    assert panel.cancel_button.isEnabled()
    assert panel.status_label.text() == "Reading the settings in force…"
    panel.cancel()  # cancelling while the settings are read: nothing starts
    qtbot.wait(700)
    assert panel.results() == []
    states.append(panel.running)
    assert states == [True, False]
    with qtbot.waitSignal(panel.run_finished, timeout=10_000):
        panel.run_families(["dns"])
    assert len(panel.results()) == 2
    assert threads
    assert threading.main_thread().name not in threads
