"""The Build Log pane: paste or drop a failed build log, see what broke and why.

The log is shown read-only with the evidence lines of every finding highlighted; the
findings are listed most likely root cause first. Selecting one jumps to its evidence
and shows its explanation and facts with buttons that ask the window to run the probes
that confirm it (:attr:`BuildLogPane.probes_requested`) or to open the fix wizard
(:attr:`BuildLogPane.fix_requested`).

Diagnosis runs on a worker thread with one incremental
:class:`~gobuildgui.core.diagnose.LogDiagnoser`, so a 100 MB paste or a live build
streaming through :meth:`BuildLogPane.append_log_text` never blocks the UI; results come
back throttled (at most every ``SNAPSHOT_MS``).
"""

from __future__ import annotations

import html
import queue
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPalette,
    QPixmap,
    QShortcut,
    QTextBlock,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.diagnose import Finding, LogDiagnoser
from gobuildgui.core.diagnose.engine import (
    CHUNK_SIZE,
    DisplayNormalizer,
    decode_log_bytes,
    iter_file_chunks,
    normalize_display,
)
from gobuildgui.core.diagnose.patterns import FIX_TITLES
from gobuildgui.core.diagnose.render import ordered_facts
from gobuildgui.core.errors import Error
from gobuildgui.core.model import Diagnostic
from gobuildgui.core.reports import (
    ReportData,
    build_html,
    build_markdown,
    lint_section,
    write_report,
)
from gobuildgui.core.secrets import redact

SNAPSHOT_MS = 250
# setPlainText costs about 0.15 s per MB on the UI thread: a bigger log is diagnosed
# whole but only its end is shown (the failure is at the end), with the file's line numbers.
MAX_SHOWN_CHARS = 2 << 20
MAX_SHOWN_LINES = 40_000  # the same bound for a live log, in lines
EMPTY_TEXT = "Paste or drop a failed build log here"

# One hue per family of categories; drawn translucent so the text stays readable on a
# light or a dark base colour.
_CATEGORY_RGB: dict[str, tuple[int, int, int]] = {
    "dns": (230, 120, 20),
    "proxy_unreachable": (220, 60, 60),
    "proxy_auth": (170, 70, 200),
    "goproxy_blocked_or_slow": (220, 60, 60),
    "tls_ca": (200, 40, 110),
    "private_module_auth": (170, 70, 200),
    "private_module_proxy_404": (40, 130, 220),
    "checksum_mismatch": (200, 40, 110),
    "go_version_mismatch": (20, 160, 150),
    "docker_registry_pull": (40, 130, 220),
    "disk_space": (150, 110, 60),
    "readonly_cache": (150, 110, 60),
    "mtu_or_network_hang": (230, 170, 0),
    "module_not_found": (40, 130, 220),
    "other": (128, 128, 128),
}


def category_color(category: str, *, alpha: int = 255) -> QColor:
    r, g, b = _CATEGORY_RGB.get(category, _CATEGORY_RGB["other"])
    return QColor(r, g, b, alpha)


class _Bridge(QObject):
    """Carries results from the worker thread to the UI thread (queued delivery)."""

    findings_ready = Signal(int, object)


class _DiagnoseWorker:
    """A thread owning the incremental diagnoser; commands arrive through a queue."""

    def __init__(self, bridge: _Bridge) -> None:
        self._bridge = bridge
        self._queue: queue.SimpleQueue[tuple[str, int, str]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="gbg-diagnose", daemon=True)
        self._thread.start()

    def post(self, command: str, generation: int, text: str = "") -> None:
        self._queue.put((command, generation, text))

    def stop(self, timeout: float = 2.0) -> None:
        self._queue.put(("stop", 0, ""))
        self._thread.join(timeout)

    def _run(self) -> None:
        diagnoser = LogDiagnoser()
        current = -1
        while True:
            command, generation, text = self._queue.get()
            if command == "stop":
                return
            if generation != current:
                diagnoser, current = LogDiagnoser(), generation
            if command == "feed":
                diagnoser.feed(text)
            elif command == "finish":
                diagnoser.finish()
            elif command == "file":
                try:
                    for chunk in iter_file_chunks(Path(text)):
                        diagnoser.feed(chunk)
                except OSError:
                    pass  # vanished while being read: what was read is diagnosed
                diagnoser.finish()
            elif command == "snapshot":
                self._bridge.findings_ready.emit(generation, diagnoser.findings())


class BuildLogPane(QWidget):
    """A failed build log, its findings, and the way to the probes and fixes."""

    probes_requested = Signal(list)  # probe family names
    fix_requested = Signal(str)  # a fix id
    findings_changed = Signal(list)  # the new findings, most likely first

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buildLogPane")
        self.setAcceptDrops(True)
        self._findings: list[Finding] = []
        self._line_offset = 0  # lines of a huge log left out of the view (see set_log_text)
        self._dockerfile: Path | None = None
        self._generation = 0
        self._busy = False
        self._normalizer = DisplayNormalizer()
        # No parent: the worker thread holds it too, and a result emitted after the pane
        # is gone then finds no receiver instead of a deleted object.
        self._bridge = _Bridge()
        self._bridge.findings_ready.connect(self._on_worker_findings_ready)
        self._worker: _DiagnoseWorker | None = _DiagnoseWorker(self._bridge)
        self._snapshot_timer = QTimer(self)
        self._snapshot_timer.setSingleShot(True)
        self._snapshot_timer.setInterval(SNAPSHOT_MS)
        self._snapshot_timer.timeout.connect(self._on_snapshot_timer_timeout)
        self._build_ui()
        self._show_empty(True)
        QShortcut(
            QKeySequence.StandardKey.Paste,
            self,
            self.paste_from_clipboard,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    # -- construction ---------------------------------------------------------------

    def _build_ui(self) -> None:
        self.paste_button = QPushButton("Paste")
        self.paste_button.setToolTip("Replace the log with the clipboard's text (Ctrl+V)")
        self.paste_button.clicked.connect(self.paste_from_clipboard)
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Read a build log from a file")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear)
        self.export_button = QPushButton("Export report…")
        self.export_button.setToolTip(
            "Save the findings (and the Dockerfile's lint) as Markdown or HTML, credentials masked"
        )
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.status_label = QLabel()
        self.status_label.setObjectName("buildLogStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        bar = QHBoxLayout()
        bar.addWidget(self.paste_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.clear_button)
        bar.addWidget(self.export_button)
        bar.addSpacing(12)
        bar.addWidget(self.status_label, 1)

        self.log_view = QPlainTextEdit()
        self.log_view.setObjectName("buildLogView")
        self.log_view.setReadOnly(True)
        self.log_view.setAcceptDrops(False)  # the pane takes drops (files and text)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log_view.setUndoRedoEnabled(False)

        self.findings_list = QListWidget()
        self.findings_list.setObjectName("buildLogFindings")
        self.findings_list.setWordWrap(True)
        self.findings_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.findings_list.currentRowChanged.connect(self._on_findings_list_current_row_changed)

        self.detail_label = QLabel()
        self.detail_label.setObjectName("buildLogDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.probes_button = QPushButton()
        self.probes_button.setObjectName("buildLogProbes")
        self.probes_button.clicked.connect(self._on_probes_button_clicked)
        self._fix_buttons: list[QPushButton] = []
        self._buttons_box = QVBoxLayout()
        self._buttons_box.setSpacing(4)
        self._buttons_box.addWidget(self.probes_button)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(6, 6, 6, 6)
        dl.addWidget(self.detail_label)
        dl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(detail)
        # The buttons stay visible below the (scrolling) explanation.
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(scroll, 1)
        ll.addLayout(self._buttons_box)

        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.findings_list)
        side.addWidget(lower)
        side.setStretchFactor(0, 1)
        side.setStretchFactor(1, 3)
        side.setSizes([140, 420])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.log_view)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setObjectName("buildLogEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.empty_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.empty_label.setFont(font)
        hint = QLabel(
            "The output of a failed <code>docker build</code>, <code>docker pull</code> or "
            "<code>go mod download</code>: Ctrl+V, the Paste button, or drag a log file here."
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        # A tone between text and background: quieter than the title, still readable.
        pal = hint.palette()
        fg = pal.color(QPalette.ColorRole.WindowText)
        bg = pal.color(QPalette.ColorRole.Window)
        pal.setColor(
            QPalette.ColorRole.WindowText,
            QColor(
                (fg.red() * 2 + bg.red()) // 3,
                (fg.green() * 2 + bg.green()) // 3,
                (fg.blue() * 2 + bg.blue()) // 3,
            ),
        )
        hint.setPalette(pal)
        empty = QWidget()
        el = QVBoxLayout(empty)
        el.addStretch(1)
        el.addWidget(self.empty_label)
        el.addWidget(hint)
        el.addStretch(1)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.splitter)

        root = QVBoxLayout(self)
        root.addLayout(bar)
        root.addWidget(self.stack, 1)

    # -- public API -----------------------------------------------------------------

    def set_log_text(self, text: str) -> None:
        """Show ``text`` as the log and diagnose it (on the worker thread)."""
        self._restart()
        self._normalizer = DisplayNormalizer()
        start = 0
        if len(text) > MAX_SHOWN_CHARS:
            start = text.find("\n", len(text) - MAX_SHOWN_CHARS) + 1
        self._line_offset = text.count("\n", 0, start)
        self.log_view.setPlainText(normalize_display(text[start:]))
        self._show_empty(not text)
        if text:
            self._feed(text)
            self._post("finish")
            self._post("snapshot")
            self._set_busy(True)

    def append_log_text(self, text: str) -> None:
        """Add text at the end (a live build); diagnosis follows, throttled."""
        if not text:
            return
        shown = self._normalizer.feed(text)
        if shown:
            at_end = self._at_end()
            cursor = QTextCursor(self.log_view.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(shown)
            self._trim_view()
            if at_end:
                self.log_view.verticalScrollBar().setValue(
                    self.log_view.verticalScrollBar().maximum()
                )
        self._show_empty(False)
        self._feed(text)
        if not self._snapshot_timer.isActive():
            self._snapshot_timer.start()

    def _trim_view(self) -> None:
        """Keep a live log's view bounded: drop its oldest lines once it is a fifth over
        MAX_SHOWN_LINES (the diagnosis keeps counting the file's lines)."""
        doc = self.log_view.document()
        excess = doc.blockCount() - MAX_SHOWN_LINES
        if excess <= MAX_SHOWN_LINES // 5:
            return
        cursor = QTextCursor(doc)
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        cursor.movePosition(
            QTextCursor.MoveOperation.NextBlock, QTextCursor.MoveMode.KeepAnchor, excess
        )
        cursor.removeSelectedText()
        self._line_offset += excess
        self._highlight(self._current_finding())
        self._update_status()

    def finish_log(self) -> None:
        """The live log is complete: judge its last line even without a newline."""
        tail = self._normalizer.flush()
        if tail:
            cursor = QTextCursor(self.log_view.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(tail)
        self._post("finish")
        self._post("snapshot")
        self._set_busy(True)

    def set_dockerfile(self, path: Path | None) -> None:
        """The Dockerfile the log belongs to (shown; kept for reports)."""
        self._dockerfile = Path(path) if path is not None else None
        self._update_status()

    def dockerfile(self) -> Path | None:
        return self._dockerfile

    def findings(self) -> list[Finding]:
        """The findings shown, most likely root cause first."""
        return list(self._findings)

    def log_text(self) -> str:
        return self.log_view.toPlainText()

    def is_busy(self) -> bool:
        """True while a diagnosis is on its way."""
        return self._busy

    @Slot()
    def clear(self) -> None:
        """Forget the log and its findings; back to the empty state."""
        self._restart()
        self._normalizer = DisplayNormalizer()
        self._line_offset = 0
        self.log_view.clear()
        self._apply_findings([])
        self._show_empty(True)

    @Slot()
    def paste_from_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text:
            self.set_log_text(text)
        else:
            self.status_label.setText("The clipboard holds no text.")

    def load_file(self, path: Path) -> bool:
        """Show and diagnose a log file; False (and a message) if it cannot be read.

        A file bigger than the view can hold is never read whole: the worker diagnoses it
        a chunk at a time and the view shows its end.
        """
        path = Path(path)
        try:
            size = path.stat().st_size
            if size <= MAX_SHOWN_CHARS:
                self.set_log_text(decode_log_bytes(path.read_bytes()))
                return True
            offset, tail = _file_tail(path, MAX_SHOWN_CHARS)
        except OSError as exc:
            self.status_label.setText(f"Cannot read {path}: {exc.strerror or exc}")
            return False
        self._restart()
        self._normalizer = DisplayNormalizer()
        self._line_offset = offset
        self.log_view.setPlainText(normalize_display(tail))
        self._show_empty(False)
        self._post("file", str(path))
        self._post("snapshot")
        self._set_busy(True)
        return True

    def select_finding(self, index: int) -> None:
        self.findings_list.setCurrentRow(index)

    def shutdown(self) -> None:
        """Stop the worker thread (the window calls this when it closes)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()

    # -- events ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files = [u for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if files:
            self.load_file(Path(QUrl(files[0]).toLocalFile()))
        elif mime.hasText():
            self.set_log_text(mime.text())
        else:
            return
        event.acceptProposedAction()

    # -- worker plumbing ------------------------------------------------------------

    def _restart(self) -> None:
        self._generation += 1
        self._snapshot_timer.stop()

    def _post(self, command: str, text: str = "") -> None:
        if self._worker is not None:
            self._worker.post(command, self._generation, text)

    def _feed(self, text: str) -> None:
        for i in range(0, len(text), CHUNK_SIZE):
            self._post("feed", text[i : i + CHUNK_SIZE])

    @Slot()
    def _on_snapshot_timer_timeout(self) -> None:
        self._post("snapshot")

    @Slot(int, object)
    def _on_worker_findings_ready(self, generation: int, findings: object) -> None:
        if generation != self._generation:
            return  # a newer log replaced the one this result is about
        self._set_busy(False)
        assert isinstance(findings, list)
        self._apply_findings(findings)

    # -- rendering ------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_status()

    def _show_empty(self, empty: bool) -> None:
        self.stack.setCurrentIndex(0 if empty else 1)
        self.clear_button.setEnabled(not empty)
        self.export_button.setEnabled(not empty)
        self._update_status()

    def _update_status(self) -> None:
        parts: list[str] = []
        if self.stack.currentIndex() == 1:
            if self._busy:
                parts.append("Diagnosing…")
            else:
                n = len(self._findings)
                parts.append("No known failure found" if n == 0 else f"{n} finding{'s' * (n != 1)}")
        if self._line_offset:
            parts.append(f"showing the log from line {self._line_offset + 1}")
        if self._dockerfile is not None:
            parts.append(f"Dockerfile: {self._dockerfile}")
        self.status_label.setText(" · ".join(parts))

    def _apply_findings(self, findings: list[Finding]) -> None:
        previous = self._current_finding()
        self._findings = findings
        self.findings_list.blockSignals(True)
        self.findings_list.clear()
        for f in findings:
            text = f"{f.code}  {f.title}  (line {f.line}"
            text += f", ×{f.count})" if f.count > 1 else ")"
            item = QListWidgetItem(_swatch(f.category), text)
            item.setToolTip(f"{f.category}: {redact(f.evidence[0].text) if f.evidence else ''}")
            self.findings_list.addItem(item)
        self.findings_list.blockSignals(False)
        keep = 0
        if previous is not None:
            for i, f in enumerate(findings):
                if (f.code, f.line) == (previous.code, previous.line):
                    keep = i
        if findings:
            self.findings_list.setCurrentRow(keep)
            self._show_detail(findings[keep], jump=previous is None)
        else:
            self._show_detail(None, jump=False)
        self._update_status()
        self.findings_changed.emit(list(findings))

    def _current_finding(self) -> Finding | None:
        row = self.findings_list.currentRow()
        return self._findings[row] if 0 <= row < len(self._findings) else None

    @Slot(int)
    def _on_findings_list_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._findings):
            self._show_detail(self._findings[row], jump=True)

    def _show_detail(self, f: Finding | None, *, jump: bool) -> None:
        for b in self._fix_buttons:
            self._buttons_box.removeWidget(b)
            b.deleteLater()
        self._fix_buttons = []
        if f is None:
            self.detail_label.setText("")
            self.probes_button.hide()
            self._highlight(None)
            return
        esc = html.escape
        rows = "".join(
            f"<tr><td><b>{esc(k)}</b>&nbsp;</td><td><code>{esc(redact(v))}</code></td></tr>"
            for k, v in ordered_facts(f)
        )
        color = category_color(f.category).name()
        self.detail_label.setText(
            f"<p><b>{esc(f.code)} {esc(f.title)}</b><br>"
            f"<span style='color:{color}'>■</span> {esc(f.category)} · line {f.line}"
            + (f" · seen {f.count} times" if f.count > 1 else "")
            + (" · from BuildKit's repeat of the failed step" if f.echo_only else "")
            + f"</p><p>{esc(redact(f.explanation))}</p>"
            + (f"<table>{rows}</table>" if rows else "")
        )
        if f.probes:
            self.probes_button.setText("Run probes: " + ", ".join(f.probes))
            self.probes_button.show()
        else:
            self.probes_button.hide()
        for fix_id in f.fixes:
            b = QPushButton(f"Fix: {FIX_TITLES.get(fix_id, fix_id)}")
            b.setObjectName(f"buildLogFix-{fix_id}")
            b.setToolTip(f"Open the fix wizard at {fix_id}")
            b.clicked.connect(lambda _checked=False, fid=fix_id: self.fix_requested.emit(fid))
            self._buttons_box.addWidget(b)
            self._fix_buttons.append(b)
        self._highlight(f)
        if jump and f.evidence:
            self._jump_to_line(f.evidence[0].line)

    @Slot()
    def _on_probes_button_clicked(self) -> None:
        f = self._current_finding()
        if f is not None and f.probes:
            self.probes_requested.emit(list(f.probes))

    @Slot()
    def _on_open_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open a build log", "", "Logs (*.log *.txt);;All files (*)"
        )
        if name:
            self.load_file(Path(name))

    def report_data(self) -> ReportData:
        """What a report of this pane holds: the findings, and the lint of the Dockerfile
        when one is set (the window adds probe results, environment and fixes)."""
        lint: tuple[Diagnostic, ...] = ()
        dockerfile = None
        if self._dockerfile is not None:
            try:
                path, lint = lint_section(self._dockerfile)
                dockerfile = str(path)
            except (Error, OSError):
                dockerfile = str(self._dockerfile)  # shown, even if it cannot be linted
        return ReportData(
            dockerfile=dockerfile,
            log="build log in the Build Log pane"
            if self.log_view.document().characterCount() > 1
            else None,
            lint=lint,
            findings=tuple(self._findings),
        )

    def export_report(self, path: Path) -> bool:
        """Write the report to ``path`` (HTML for .htm/.html, else Markdown)."""
        data = self.report_data()
        text = (
            build_html(data) if path.suffix.lower() in (".html", ".htm") else build_markdown(data)
        )
        try:
            write_report(path, text)
        except OSError as exc:
            self.status_label.setText(
                f"Cannot write {path}: {exc.strerror or exc}. Nothing was changed."
            )
            return False
        self.status_label.setText(f"Report saved to {path}")
        return True

    @Slot()
    def _on_export_button_clicked(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export a report", "gobuildgui-report.md", "Markdown (*.md);;HTML (*.html)"
        )
        if name:
            path = Path(name)
            if not path.suffix:
                path = path.with_suffix(".html" if "html" in chosen.lower() else ".md")
            self.export_report(path)

    def fix_buttons(self) -> list[QPushButton]:
        """The "Fix: ..." buttons of the selected finding (tests, accessibility)."""
        return list(self._fix_buttons)

    def _highlight(self, current: Finding | None) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        for f in self._findings:
            strong = current is not None and f is current
            alpha = (150 if dark else 110) if strong else (70 if dark else 50)
            for ev in f.evidence:
                block = self._block(ev.line)
                if not block.isValid():
                    continue
                sel = QTextEdit.ExtraSelection()
                sel.format.setBackground(QBrush(category_color(f.category, alpha=alpha)))
                sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                cursor = QTextCursor(block)
                sel.cursor = cursor
                selections.append(sel)
        self.log_view.setExtraSelections(selections)

    def highlighted_lines(self) -> list[int]:
        """1-based lines that carry a highlight (tests)."""
        return sorted(
            {
                s.cursor.block().blockNumber() + 1 + self._line_offset
                for s in self.log_view.extraSelections()
            }
        )

    def _block(self, line: int) -> QTextBlock:
        """The view's block of log line ``line`` (invalid when it is not shown)."""
        number = line - 1 - self._line_offset
        if number < 0:
            return QTextBlock()
        return self.log_view.document().findBlockByNumber(number)

    def shown_from_line(self) -> int:
        """First log line the view shows (1 unless the log was too big to show whole)."""
        return self._line_offset + 1

    def _jump_to_line(self, line: int) -> None:
        block = self._block(line)
        if block.isValid():
            cursor = QTextCursor(block)
            self.log_view.setTextCursor(cursor)
            self.log_view.centerCursor()

    def _at_end(self) -> bool:
        bar = self.log_view.verticalScrollBar()
        return bar.value() >= bar.maximum() - 2


def _file_tail(path: Path, size: int) -> tuple[int, str]:
    """(lines before the tail, the tail text) of a big file: its last ``size`` bytes from
    a line start, newlines before them counted a chunk at a time."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(b"\xff\xfe"):
            unit, newline, encoding = 2, b"\n\x00", "utf-16-le"
        elif head.startswith(b"\xfe\xff"):
            unit, newline, encoding = 2, b"\x00\n", "utf-16-be"
        else:
            unit, newline, encoding = 1, b"\n", "utf-8"
        total = fh.seek(0, 2)
        start = max(0, total - size)
        start -= start % unit
        fh.seek(start)
        tail = fh.read()
        cut = 0
        if start:
            i = tail.find(newline)
            while i >= 0 and i % unit:
                i = tail.find(newline, i + 1)
            cut = i + len(newline) if i >= 0 else 0
        start += cut
        fh.seek(0)
        lines = 0
        remaining = start
        carry = b""
        while remaining > 0:
            block = fh.read(min(CHUNK_SIZE, remaining))
            if not block:
                break
            remaining -= len(block)
            data = carry + block
            keep = len(data) - len(data) % unit
            lines += data[:keep].count(newline) if unit == 1 else _count_units(data[:keep], newline)
            carry = data[keep:]
    text = tail[cut:].decode(encoding, errors="replace")
    return lines, text.lstrip("\ufeff")


def _count_units(data: bytes, newline: bytes) -> int:
    """Newlines in UTF-16 data (only at even offsets: code units, not byte pairs)."""
    count, i = 0, data.find(newline)
    while i >= 0:
        if i % 2 == 0:
            count += 1
            i = data.find(newline, i + 2)
        else:
            i = data.find(newline, i + 1)
    return count


def _swatch(category: str) -> QIcon:
    pm = QPixmap(12, 12)
    pm.fill(category_color(category))
    return QIcon(pm)


__all__: Sequence[str] = ("BuildLogPane", "category_color")
