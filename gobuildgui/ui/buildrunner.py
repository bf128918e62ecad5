"""Run ``docker build`` from the window: a worker-thread adapter and a small build bar.

:class:`BuildRunner` runs :func:`gobuildgui.core.build.run_build` in a Python thread. The
worker only appends lines to a buffer; a timer in the GUI thread flushes it every
``FLUSH_MS`` as one ``line_received`` text, so a build printing thousands of lines per
second costs the event loop a few signals per second, not thousands.

:class:`BuildBar` is the strip the window puts above the Build Log pane: Build / Cancel,
a busy bar, the current step and the build args in use (credentials masked). Connect
``runner.line_received`` to ``BuildLogPane.append_log_text`` (chunks are whole lines, each
ending in a newline) and ``runner.finished`` to ``BuildLogPane.finish_log``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.build import (
    DEFAULT_TIMEOUT,
    BuildOutcome,
    BuildRequest,
    CliChoice,
    build_command,
    masked_build_args,
    run_build,
    shell_join,
    step_of,
)
from gobuildgui.core.secrets import redact

FLUSH_MS = 50
MAX_LINES_PER_FLUSH = 2000  # the rest waits for the next tick; keeps each append bounded

RequestFactory = Callable[[], BuildRequest | None]


class BuildRunner(QObject):
    """One build at a time, in a worker thread; signals arrive in the GUI thread.

    ``line_received(str)``: one or more complete output lines, each ending in ``"\\n"``.
    ``progress(str)``: the step the build is at. ``finished(object)``: the
    :class:`~gobuildgui.core.build.BuildOutcome`, after the last ``line_received``.
    """

    started = Signal(object)  # the BuildRequest
    line_received = Signal(str)
    progress = Signal(str)
    finished = Signal(object)  # BuildOutcome

    def __init__(self, parent: QObject | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(parent)
        self._timeout = timeout
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._step: str | None = None
        self._outcome: BuildOutcome | None = None
        self._thread: threading.Thread | None = None
        self._token = threading.Event()
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, request: BuildRequest) -> bool:
        """Start ``request``; False (and nothing happens) while another build runs."""
        if self._thread is not None:
            return False
        self._token = threading.Event()
        self._outcome = None
        self._step = None
        self._pending.clear()
        token = self._token
        self._thread = threading.Thread(
            target=self._work, args=(request, token), name="gobuildgui-build", daemon=True
        )
        self._thread.start()
        self._timer.start()
        self.started.emit(request)
        return True

    def cancel(self) -> None:
        """Ask the build to stop; ``finished`` follows with ``cancelled=True``."""
        self._token.set()

    def shutdown(self, wait: float = 10.0) -> None:
        """Cancel and wait (bounded) for the worker: call when the window closes."""
        thread = self._thread
        if thread is None:
            return
        self._token.set()
        thread.join(timeout=wait)
        self._timer.stop()
        self._thread = None

    # -- worker thread --------------------------------------------------------------

    def _work(self, request: BuildRequest, token: threading.Event) -> None:
        def on_line(line: str) -> None:
            step = step_of(line)
            with self._lock:
                self._pending.append(line)
                if step is not None:
                    self._step = step

        try:
            outcome = run_build(request, on_line=on_line, token=token, timeout=self._timeout)
        except Exception as exc:  # a bug must not leave the UI waiting forever
            message = redact(f"gobuildgui: the build could not run: {exc!r}")
            on_line(message)
            outcome = BuildOutcome(1, False, 0.0, None, (message,), error=message)
        with self._lock:
            self._outcome = outcome

    # -- GUI thread -------------------------------------------------------------------

    def _flush(self) -> tuple[str | None, BuildOutcome | None]:
        with self._lock:
            lines = self._pending[:MAX_LINES_PER_FLUSH]
            del self._pending[:MAX_LINES_PER_FLUSH]
            step, self._step = self._step, None
            done = self._outcome if not self._pending else None
        if lines:
            self.line_received.emit("".join(f"{line}\n" for line in lines))
        return step, done

    def _on_timer_timeout(self) -> None:
        step, done = self._flush()
        if step is not None:
            self.progress.emit(step)
        if done is not None:
            self._timer.stop()
            if self._thread is not None:
                self._thread.join(timeout=1.0)
            self._thread = None
            self._outcome = None
            self.finished.emit(done)


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when too narrow; the whole text is the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 1)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


def describe_outcome(outcome: BuildOutcome) -> str:
    """One line for the status text."""
    seconds = f"{outcome.duration:.1f} s"
    if outcome.cancelled:
        return f"Build cancelled after {seconds}"
    if outcome.timed_out:
        return f"Build stopped: no result after {seconds}"
    if outcome.error:
        return f"Build failed: {outcome.error}"
    if outcome.rc == 0:
        image = f" — image {outcome.image_id[7:19]}" if outcome.image_id else ""
        return f"Build succeeded in {seconds}{image}"
    return f"Build failed (exit status {outcome.rc}) after {seconds}"


class BuildBar(QWidget):
    """Build / Cancel, a busy bar, the current step, and the build args in use.

    ``request_factory`` returns the request for the open Dockerfile (None: nothing to build);
    call :meth:`refresh` when the open Dockerfile or the build args change.
    """

    build_started = Signal(object)  # BuildRequest
    build_finished = Signal(object)  # BuildOutcome

    def __init__(
        self,
        runner: BuildRunner,
        request_factory: RequestFactory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._request_factory = request_factory
        self._outcome_shown: BuildOutcome | None = None  # the last build's result, on show

        self.build_button = QPushButton("&Build")
        self.build_button.setToolTip("Run docker build for the open Dockerfile")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 1)
        self.busy.setValue(0)
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setVisible(False)  # shown only while a build runs
        self.step_label = ElidedLabel("Ready to build")
        self.args_label = ElidedLabel()
        self.args_label.setStyleSheet("color: palette(placeholder-text);")
        self.command_tip = ""

        top = QHBoxLayout()
        top.addWidget(self.build_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.busy)
        top.addWidget(self.step_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.args_label)

        self.build_button.clicked.connect(self._on_build_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        runner.started.connect(self._on_runner_started)
        runner.progress.connect(self._on_runner_progress)
        runner.finished.connect(self._on_runner_finished)
        self.refresh()

    @property
    def runner(self) -> BuildRunner:
        return self._runner

    def refresh(self) -> None:
        """Show the args and command of the request the Build button would start."""
        request = self._request_factory()
        if not self._runner.is_running():
            self.build_button.setEnabled(request is not None)
        if request is None:
            self.args_label.set_full_text("No Dockerfile open")
            self.build_button.setToolTip("Open a Dockerfile to build it")
            if not self._runner.is_running():
                self.step_label.set_full_text("Open a Dockerfile to build it")
            return
        if not self._runner.is_running() and self._outcome_shown is None:
            self.step_label.set_full_text("Ready to build")
        self._show_request(request)

    def _show_request(self, request: BuildRequest) -> None:
        args = masked_build_args(request.build_args)
        builder = "BuildKit" if request.buildkit else "classic builder"
        shown = ", ".join(args) if args else "none"
        self.args_label.set_full_text(f"{builder} · build args: {shown}")
        self.build_button.setToolTip("Run docker build for the open Dockerfile")
        # The plain "docker" here: choosing the real CLI runs it (`buildx version`), which
        # belongs in the worker; the log's first line shows the command that ran.
        preview = CliChoice("docker", request.buildkit)
        self.command_tip = shell_join(build_command(request, preview))
        self.args_label.setToolTip(self.command_tip)

    def _on_build_button_clicked(self) -> None:
        request = self._request_factory()
        if request is not None:
            self._runner.start(request)

    def _on_cancel_button_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.step_label.set_full_text("Cancelling…")
        self._runner.cancel()

    def _on_runner_started(self, request: BuildRequest) -> None:
        self.build_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._outcome_shown = None
        self.busy.setRange(0, 0)  # indeterminate: docker gives no overall percentage
        self.busy.setVisible(True)
        self.step_label.set_full_text("Starting docker build…")
        self._show_request(request)
        self.build_started.emit(request)

    def _on_runner_progress(self, step: str) -> None:
        if self.cancel_button.isEnabled():
            self.step_label.set_full_text(step)

    def _on_runner_finished(self, outcome: BuildOutcome) -> None:
        self._outcome_shown = outcome
        self.busy.setRange(0, 1)
        self.busy.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.build_button.setEnabled(self._request_factory() is not None)
        self.step_label.set_full_text(describe_outcome(outcome))
        self.build_finished.emit(outcome)
