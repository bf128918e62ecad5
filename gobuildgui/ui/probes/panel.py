"""The network-probe panel: a tree of probes grouped by meaning, live status, evidence, fixes.

Probes are the core's (``gobuildgui.core.probes``); each runs in a :class:`ProbeWorker`
on the panel's own ``QThreadPool``. Every run has an id: Cancel (or a new run) bumps it,
so results of an older run that still trickle in are dropped. ``shutdown()`` cancels
every token and waits for the pool with a bound, so closing the window mid-run is clean.
"""

from __future__ import annotations

import dataclasses
import html
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QThreadPool, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.probes import (
    FAMILIES,
    GROUPS,
    CancelToken,
    ProbeResult,
    ProbeSpec,
    ProbeTarget,
    Proxy,
    Resolver,
    Status,
    build_plan,
)
from gobuildgui.core.probes.discovered import discovered_target
from gobuildgui.core.probes.plan import GROUP_OF
from gobuildgui.core.probes.report import format_text
from gobuildgui.core.probes.runner import warm_up
from gobuildgui.core.secrets import redact
from gobuildgui.ui.probes.worker import CallWorker, ProbeWorker

TargetFactory = Callable[[Path | None], ProbeTarget]

_COLORS = {
    Status.OK: "#2e7d32",
    Status.WARNING: "#ef8f00",
    Status.FAILED: "#c62828",
    Status.SKIPPED: "#8a8a8a",
    Status.CANCELLED: "#5f6b7a",
}
_RUNNING = "#1565c0"
_QUEUED = "#b0bec5"
_ROLE_ID = Qt.ItemDataRole.UserRole
_COL_PROBE, _COL_STATUS, _COL_TIME, _COL_SUMMARY = range(4)
_SPIN_FRAMES = 12


def _status_icon(color: str, glyph: str) -> QIcon:
    """A filled circle with a white glyph (✓ ! ✕ – ·), drawn so no theme is needed."""
    pm = QPixmap(32, 32)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor(color)))
    p.drawEllipse(QRectF(2, 2, 28, 28))
    pen = QPen(QColor("white"), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    if glyph == "ok":
        p.drawPolyline([QPointF(9, 16.5), QPointF(14, 21.5), QPointF(23, 11)])
    elif glyph == "warning":
        p.drawLine(QPointF(16, 8.5), QPointF(16, 18))
        p.drawPoint(QPointF(16, 23.5))
    elif glyph == "failed":
        p.drawLine(QPointF(10.5, 10.5), QPointF(21.5, 21.5))
        p.drawLine(QPointF(21.5, 10.5), QPointF(10.5, 21.5))
    elif glyph == "skipped":
        p.drawLine(QPointF(10, 16), QPointF(22, 16))
    elif glyph == "cancelled":
        p.drawRect(QRectF(11.5, 11.5, 9, 9))
    p.end()
    return QIcon(pm)


def _spinner_icon(frame: int) -> QIcon:
    """One frame of the running spinner: a 270° arc rotated by ``frame``."""
    pm = QPixmap(32, 32)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor(_QUEUED), 4))
    p.drawEllipse(QRectF(5, 5, 22, 22))
    p.setPen(QPen(QColor(_RUNNING), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    start = int(-360 * 16 * frame / _SPIN_FRAMES)
    p.drawArc(QRectF(5, 5, 22, 22), start, 100 * 16)
    p.end()
    return QIcon(pm)


def _queued_icon() -> QIcon:
    pm = QPixmap(32, 32)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor(_QUEUED), 3))
    p.drawEllipse(QRectF(6, 6, 20, 20))
    p.end()
    return QIcon(pm)


def _warm_up_then_set(done: threading.Event) -> None:
    try:
        warm_up()
    finally:
        done.set()


class ProbePanel(QWidget):
    """Run the network probes and show what they found.

    ``target_factory(dockerfile)`` gives the settings to probe (default: the settings in
    force, see :func:`discovered_target`); the override fields replace single
    values. ``fix_requested(fix_id)`` is emitted when the user follows a fix link.
    """

    fix_requested = Signal(str)
    #: A result was shown (after the stale-run filter).
    result_shown = Signal(object)
    #: Every probe of the current run has reported (not emitted for a cancelled run).
    run_finished = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        target_factory: TargetFactory | None = None,
        timeout: float | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory: TargetFactory = target_factory or (lambda df: discovered_target(df))
        self._timeout = timeout
        self._pool = pool or QThreadPool(self)
        if pool is None:
            self._pool.setMaxThreadCount(64)  # all probes at once: one timeout per suite
        self._dockerfile: Path | None = None
        self._run_id = 0
        self._token = CancelToken()
        self._live: set[ProbeWorker] = set()
        self._call_workers: set[CallWorker] = set()
        self._preparing: (
            tuple[int, Callable[[ProbeTarget], list[ProbeSpec]], dict[str, object], bool] | None
        ) = None
        self._queued: dict[str, ProbeWorker] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._results: dict[str, ProbeResult] = {}
        self._started: dict[str, float] = {}
        self._pending: set[str] = set()
        self._closed = False
        self._icons = {s: _status_icon(c, s.value) for s, c in _COLORS.items()}
        self._queued_icon = _queued_icon()
        self._spin = [_spinner_icon(i) for i in range(_SPIN_FRAMES)]
        self._spin_frame = 0
        self._build_ui()
        # Trust-store parsing off the GUI thread (see warm_up). The thread must not hold
        # a reference to the panel: its last reference dropped there would make shiboken
        # delete the widget on that thread.
        self.warmed_up = threading.Event()
        threading.Thread(
            target=_warm_up_then_set, args=(self.warmed_up,), name="gbg-probe-warm-up", daemon=True
        ).start()
        self._spin_timer = QTimer(self)
        self._spin_timer.setInterval(90)
        self._spin_timer.timeout.connect(self._on_spin_timer_timeout)
        self._update_buttons()

    # --- construction ------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.run_all_button = QPushButton("Run all")
        self.run_selected_button = QPushButton("Run selected")
        self.cancel_button = QPushButton("Cancel")
        self.copy_button = QPushButton("Copy as text")
        self.status_label = QLabel("Not run yet.")
        self.run_all_button.clicked.connect(self._on_run_all_button_clicked)
        self.run_selected_button.clicked.connect(self._on_run_selected_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons = QHBoxLayout()
        for b in (self.run_all_button, self.run_selected_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.copy_button)

        self.resolver_edit = QLineEdit()
        self.resolver_edit.setPlaceholderText("from resolv.conf (e.g. 10.0.0.2 or 10.0.0.2:53)")
        self.proxy_edit = QLineEdit()
        self.proxy_edit.setPlaceholderText("from HTTPS_PROXY (e.g. http://proxy.corp:3128)")
        self.goproxy_edit = QLineEdit()
        self.goproxy_edit.setPlaceholderText(
            "from go env (default https://proxy.golang.org,direct)"
        )
        overrides = QFormLayout()
        overrides.setContentsMargins(0, 0, 0, 0)
        overrides.addRow("Resolver:", self.resolver_edit)
        overrides.addRow("Proxy:", self.proxy_edit)
        overrides.addRow("GOPROXY:", self.goproxy_edit)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Probe", "Status", "Time", "Summary"])
        self.tree.setIconSize(QSize(16, 16))
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        header = self.tree.header()
        header.setSectionResizeMode(_COL_PROBE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(_COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(_COL_PROBE, 330)
        self.tree.setColumnWidth(_COL_STATUS, 90)
        self.tree.setColumnWidth(_COL_TIME, 60)
        self.tree.itemSelectionChanged.connect(self._on_tree_selection_changed)
        self.tree.itemDoubleClicked.connect(self._on_tree_item_double_clicked)

        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setOpenExternalLinks(False)
        self.details.anchorClicked.connect(self._on_details_anchor_clicked)
        self.details.setPlaceholderText("Select a probe to see its evidence and the fixes.")

        split = self.splitter = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(overrides)
        layout.addWidget(split, 1)

    # --- public API -------------------------------------------------------------------------
    def set_dockerfile(self, path: Path | None) -> None:
        """The Dockerfile whose build is probed (its base image runs the container probes)."""
        self._dockerfile = path

    def run_all(self) -> None:
        """Start every probe (cancels a run in progress)."""
        self.run_families(FAMILIES)

    def run_families(self, families: Sequence[str]) -> None:
        """Start the probes of ``families`` (cancels a run in progress)."""
        wanted = tuple(families)
        self._prepare(lambda target: build_plan(target, wanted), reset=True)

    def run_selected(self) -> None:
        """Re-run the selected probes (a selected group re-runs all of its probes)."""
        ids: set[str] = set()
        for item in self.tree.selectedItems():
            pid = item.data(_COL_PROBE, _ROLE_ID)
            if pid:
                ids.add(str(pid))
            else:
                ids.update(self._child_ids(item))
        if not ids:
            self.status_label.setText("Select one or more probes first.")
            return
        self._prepare(
            lambda target: [s for s in build_plan(target) if s.probe_id in ids], reset=False
        )

    def _prepare(self, planner: Callable[[ProbeTarget], list[ProbeSpec]], *, reset: bool) -> None:
        """Read the settings in force off the GUI thread (``go env``, ``docker info`` can
        take seconds), then start the plan that ``planner`` makes from them."""
        if self._closed:
            return
        try:
            overrides = self._overrides()
        except ValueError as exc:
            self.status_label.setText(f"Cannot run: {redact(str(exc))}")
            return
        self.cancel()
        self._run_id += 1
        self._preparing = (self._run_id, planner, overrides, reset)
        factory, dockerfile = self._factory, self._dockerfile  # no reference to self
        worker = CallWorker(lambda: factory(dockerfile), self._run_id, parent=self)
        worker.signals.done.connect(self._on_target_worker_done)
        self._call_workers.add(worker)
        self._pool.start(worker)
        self.status_label.setText("Reading the settings in force…")
        self._update_buttons()

    @Slot(int, object)
    def _on_target_worker_done(self, run_id: int, value: object) -> None:
        for worker in [w for w in self._call_workers if w.run_id == run_id]:
            self._call_workers.discard(worker)
            worker.signals.deleteLater()
        prepared = self._preparing
        if prepared is None or prepared[0] != run_id or self._closed:
            return  # cancelled or superseded meanwhile
        self._preparing = None
        _, planner, overrides, reset = prepared
        try:
            if isinstance(value, BaseException):
                raise value
            assert isinstance(value, ProbeTarget)
            target = dataclasses.replace(value, **overrides)  # type: ignore[arg-type]
            plan = planner(target)
        except Exception as exc:  # bad settings: say so, run nothing
            self.status_label.setText(f"Cannot run: {redact(str(exc))}")
            self._update_buttons()
            return
        self._show_settings(value)
        self._start(plan, target.timeout if self._timeout is None else self._timeout, reset=reset)

    def _show_settings(self, target: ProbeTarget) -> None:
        """Put the settings in force into the override fields' placeholders."""
        resolvers = ", ".join(f"{r} ({r.label})" for r in target.resolvers) or "none found"
        self.resolver_edit.setPlaceholderText(f"in force: {resolvers}")
        proxies = ", ".join(f"{p.url} ({p.scheme})" for p in target.proxies) or "none"
        self.proxy_edit.setPlaceholderText(redact(f"in force: {proxies}"))
        self.goproxy_edit.setPlaceholderText(redact(f"in force: {target.goproxy}"))

    def cancel(self) -> None:
        """Stop the current run now: nothing it produces from here on is shown."""
        if self._preparing is not None:
            self._preparing = None
            self._run_id += 1
            self.status_label.setText("Cancelled.")
            self._update_buttons()
        if not self._pending:
            return
        self._token.cancel()
        self._run_id += 1  # results of the cancelled run are stale from now on
        for worker in list(self._queued.values()):
            if self._pool.tryTake(worker):
                self._live.discard(worker)
        self._queued.clear()
        for pid in sorted(self._pending):
            self._show(
                dataclasses.replace(
                    self._placeholder(pid), status=Status.CANCELLED, summary="cancelled"
                ),
                emit=False,
            )
        self._pending.clear()
        self._spin_timer.stop()
        self.status_label.setText(f"Cancelled. {self._tally()}")
        self._update_buttons()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel everything and wait (at most ``timeout_ms``) for the workers; True if done."""
        self._closed = True
        self.cancel()
        self._token.cancel()
        self._spin_timer.stop()
        done = self._pool.waitForDone(timeout_ms)
        # Workers stay referenced until the panel itself goes: signals they queued may
        # still be waiting in the event loop, and Qt drops those with the receiver.
        return bool(done)

    def results(self) -> list[ProbeResult]:
        """The results shown, in tree order."""
        return [self._results[pid] for pid in self._items if pid in self._results]

    def text(self) -> str:
        """The results as the CLI prints them."""
        return format_text(self.results())

    def target(self) -> ProbeTarget:
        """The probe settings: the factory's, with the override fields applied (blocks)."""
        return dataclasses.replace(self._factory(self._dockerfile), **self._overrides())  # type: ignore[arg-type]

    def _overrides(self) -> dict[str, object]:
        """The override fields as ProbeTarget changes (ValueError on a bad address)."""
        changes: dict[str, object] = {}
        if self.resolver_edit.text().strip():
            changes["resolvers"] = tuple(
                Resolver.parse(r, "custom")
                for r in self.resolver_edit.text().replace(",", " ").split()
            )
        if self.proxy_edit.text().strip():
            url = self.proxy_edit.text().strip()
            url = url if "://" in url else "http://" + url
            changes["proxies"] = (Proxy(url, "https", "panel"), Proxy(url, "http", "panel"))
        if self.goproxy_edit.text().strip():
            changes["goproxy"] = self.goproxy_edit.text().strip()
        return changes

    @property
    def running(self) -> bool:
        """Whether the current run is still reading settings or has probes outstanding."""
        return bool(self._pending) or self._preparing is not None

    # --- running ------------------------------------------------------------------------------
    def _start(self, plan: list[ProbeSpec], timeout: float, *, reset: bool) -> None:
        if self._closed:
            return
        self.cancel()
        self._run_id += 1
        self._token = CancelToken()
        if reset:
            self.tree.clear()
            self._items.clear()
            self._groups.clear()
            self._results.clear()
            self.details.clear()
        self._run_started = time.monotonic()
        self._pending = {s.probe_id for s in plan}
        for spec in plan:
            self._results.pop(spec.probe_id, None)
            item = self._item_for(spec.probe_id, spec.family, spec.title)
            item.setIcon(_COL_PROBE, self._queued_icon)
            item.setText(_COL_STATUS, "queued")
            item.setText(_COL_TIME, "")
            item.setText(_COL_SUMMARY, "")
            item.setForeground(_COL_STATUS, QBrush(QColor(_QUEUED).darker(150)))
        for group in self._groups.values():
            group.setExpanded(True)
        # Fit the probe column to its titles, within reason (the summary needs room too).
        self.tree.resizeColumnToContents(_COL_PROBE)
        width = self.tree.columnWidth(_COL_PROBE)
        self.tree.setColumnWidth(_COL_PROBE, max(260, min(width + 8, self.tree.width() * 2 // 5)))
        for spec in plan:
            worker = ProbeWorker(spec, self._token, timeout, self._run_id, parent=self)
            worker.signals.started.connect(self._on_worker_started)
            worker.signals.returned.connect(self._on_worker_returned)
            worker.signals.errored.connect(self._on_worker_errored)
            worker.signals.finished.connect(self._on_worker_finished)
            self._live.add(worker)
            self._queued[spec.probe_id] = worker
            self._pool.start(worker)
        self._spin_timer.start()
        self.status_label.setText(f"Running {len(plan)} probes…")
        self._update_buttons()
        if not plan:
            self.status_label.setText("Nothing to probe.")

    def _group_item(self, family: str) -> QTreeWidgetItem:
        name = GROUP_OF.get(family, "Other")
        item = self._groups.get(name)
        if item is None:
            item = QTreeWidgetItem([name])
            font = item.font(_COL_PROBE)
            font.setBold(True)
            item.setFont(_COL_PROBE, font)
            order = [g for g, _ in GROUPS]
            rank = order.index(name) if name in order else len(order)
            index = sum(1 for g in self._groups if g in order and order.index(g) < rank)
            self.tree.insertTopLevelItem(index, item)
            self._groups[name] = item
        return item

    def _item_for(self, probe_id: str, family: str, title: str) -> QTreeWidgetItem:
        item = self._items.get(probe_id)
        if item is None:
            item = QTreeWidgetItem([redact(title), "", "", ""])
            item.setData(_COL_PROBE, _ROLE_ID, probe_id)
            item.setToolTip(_COL_PROBE, redact(probe_id))
            self._group_item(family).addChild(item)
            self._items[probe_id] = item
        return item

    def _placeholder(self, probe_id: str) -> ProbeResult:
        item = self._items[probe_id]
        family = next((f for f in FAMILIES if probe_id.startswith(f + ":")), "dns")
        return ProbeResult(probe_id, family, item.text(_COL_PROBE), Status.CANCELLED, "")

    def _show(self, result: ProbeResult, *, emit: bool = True) -> None:
        item = self._item_for(result.probe_id, result.family, result.title)
        self._results[result.probe_id] = result
        item.setIcon(_COL_PROBE, self._icons[result.status])
        item.setText(_COL_STATUS, result.status.value)
        item.setForeground(_COL_STATUS, QBrush(QColor(_COLORS[result.status])))
        item.setText(_COL_TIME, f"{result.duration_s:.2f} s" if result.duration_s else "")
        item.setText(_COL_SUMMARY, result.summary)
        item.setToolTip(_COL_SUMMARY, result.summary)
        self._update_group(item.parent())
        if item.isSelected():
            self._show_details(result)
        self.copy_button.setEnabled(True)
        if emit:
            self.result_shown.emit(result)

    @staticmethod
    def _child_ids(group: QTreeWidgetItem) -> list[str]:
        out: list[str] = []
        for i in range(group.childCount()):
            child = group.child(i)
            if child is not None:
                out.append(str(child.data(_COL_PROBE, _ROLE_ID)))
        return out

    def _update_group(self, group: QTreeWidgetItem | None) -> None:
        if group is None:
            return
        statuses = [self._results[p].status for p in self._child_ids(group) if p in self._results]
        if not statuses:
            return
        worst = max(statuses, key=lambda s: s.rank)
        group.setIcon(_COL_PROBE, self._icons[worst])
        bad = sum(s is Status.FAILED for s in statuses)
        group.setText(_COL_SUMMARY, f"{bad} failed" if bad else "")
        group.setForeground(_COL_SUMMARY, QBrush(QColor(_COLORS[Status.FAILED])))

    def _tally(self) -> str:
        counts = dict.fromkeys(Status, 0)
        for r in self._results.values():
            counts[r.status] += 1
        return ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)

    def _update_buttons(self) -> None:
        busy = self.running
        self.cancel_button.setEnabled(busy)
        self.copy_button.setEnabled(bool(self._results))

    # --- details --------------------------------------------------------------------------------
    def _show_details(self, result: ProbeResult | None) -> None:
        if result is None:
            self.details.clear()
            return
        color = _COLORS[result.status]
        rows = "".join(
            f"<tr><td style='color:#555;padding-right:12px;white-space:nowrap' valign='top'>"
            f"{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
            for label, value in result.evidence
        )
        parts = [
            f"<h3 style='margin:0'>{html.escape(result.title)}</h3>",
            f"<p><b style='color:{color}'>{result.status.value.upper()}</b> "
            f"&nbsp;{html.escape(result.summary)}"
            f" <span style='color:#777'>({result.duration_s:.2f} s)</span></p>",
        ]
        if rows:
            parts.append(f"<p><b>Evidence</b></p><table cellspacing='0'>{rows}</table>")
        if result.explanation:
            parts.append(f"<p><b>What it means</b><br>{html.escape(result.explanation)}</p>")
        if result.fix_ids:
            links = " &nbsp; ".join(
                f"<a href='fix:{html.escape(f)}'>Fix… {html.escape(f)}</a>" for f in result.fix_ids
            )
            parts.append(f"<p><b>Fixes</b><br>{links}</p>")
        parts.append(f"<p style='color:#999'>{html.escape(result.probe_id)}</p>")
        self.details.setHtml("".join(parts))

    def fix_links(self) -> list[str]:
        """The fix ids the detail pane links to (for tests and accessibility)."""
        items = self.tree.selectedItems()
        if not items:
            return []
        result = self._results.get(str(items[0].data(_COL_PROBE, _ROLE_ID)))
        return list(result.fix_ids) if result else []

    # --- slots ---------------------------------------------------------------------------------
    @Slot()
    def _on_run_all_button_clicked(self) -> None:
        self.run_all()

    @Slot()
    def _on_run_selected_button_clicked(self) -> None:
        self.run_selected()

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.cancel()

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.status_label.setText(f"Copied {len(self._results)} results. {self._tally()}")

    @Slot()
    def _on_tree_selection_changed(self) -> None:
        items = self.tree.selectedItems()
        pid = items[0].data(_COL_PROBE, _ROLE_ID) if items else None
        self._show_details(self._results.get(str(pid)) if pid else None)

    @Slot(QTreeWidgetItem, int)
    def _on_tree_item_double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        if item.data(_COL_PROBE, _ROLE_ID):  # a probe row: run just that one again
            self.tree.setCurrentItem(item)
            self.run_selected()

    @Slot(QUrl)
    def _on_details_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == "fix" and url.path():
            self.fix_requested.emit(url.path())

    @Slot()
    def _on_spin_timer_timeout(self) -> None:
        self._spin_frame = (self._spin_frame + 1) % _SPIN_FRAMES
        icon = self._spin[self._spin_frame]
        for pid in self._pending:
            if pid in self._started:
                self._items[pid].setIcon(_COL_PROBE, icon)
                self._items[pid].setText(
                    _COL_TIME, f"{time.monotonic() - self._started[pid]:.1f} s"
                )

    @Slot(int, str)
    def _on_worker_started(self, run_id: int, probe_id: str) -> None:
        if run_id != self._run_id or probe_id not in self._pending:
            return
        self._queued.pop(probe_id, None)
        self._started[probe_id] = time.monotonic()
        item = self._items[probe_id]
        item.setIcon(_COL_PROBE, self._spin[self._spin_frame])
        item.setText(_COL_STATUS, "running")
        item.setForeground(_COL_STATUS, QBrush(QColor(_RUNNING)))

    @Slot(int, object)
    def _on_worker_returned(self, run_id: int, result: object) -> None:
        if run_id != self._run_id or not isinstance(result, ProbeResult):
            return  # a cancelled or superseded run: never show its results
        if result.probe_id not in self._pending:
            return
        self._pending.discard(result.probe_id)
        self._started.pop(result.probe_id, None)
        self._show(result)
        self._after_result()

    @Slot(int, str, str)
    def _on_worker_errored(self, run_id: int, probe_id: str, message: str) -> None:
        if run_id != self._run_id or probe_id not in self._pending:
            return
        self._pending.discard(probe_id)
        base = self._placeholder(probe_id)
        self._show(dataclasses.replace(base, status=Status.FAILED, summary=redact(message)))
        self._after_result()

    @Slot(int, str)
    def _on_worker_finished(self, run_id: int, probe_id: str) -> None:
        for worker in [w for w in self._live if w.run_id == run_id and w.spec.probe_id == probe_id]:
            self._live.discard(worker)
            # This was its last signal. The signals object belongs to the panel (Qt frees
            # it after this slot returns); the runnable's Python side can go now.
            worker.signals.deleteLater()

    def _after_result(self) -> None:
        done = len(self._results)
        if self._pending:
            self.status_label.setText(
                f"Running… {done} done, {len(self._pending)} left. {self._tally()}"
            )
            return
        self._spin_timer.stop()
        took = time.monotonic() - self._run_started
        self.status_label.setText(f"Done in {took:.1f} s: {self._tally()}")
        self._update_buttons()
        self.run_finished.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the panel (or its window) stops the probes first."""
        self.shutdown()
        super().closeEvent(event)
