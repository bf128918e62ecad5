"""Run one core probe in a ``QThreadPool`` and report it through queued signals.

``ProbeSignals`` is created in ``ProbeWorker.__init__``, which runs on the GUI thread, so
the object lives there and every emission from the pool thread is delivered as a queued
event: slots run on the GUI thread. ``run()`` is the only place that turns the probe's
outcome into signals; after a cancel it skips ``returned`` (no late results) but always
emits ``finished``, after which the owner may ``deleteLater()`` the signals object.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal

from gobuildgui.core.probes import CancelToken, ProbeSpec


class ProbeSignals(QObject):
    """What a worker reports; every signal carries the run id first."""

    started = Signal(int, str)  # run id, probe id
    returned = Signal(int, object)  # run id, ProbeResult
    errored = Signal(int, str, str)  # run id, probe id, message
    finished = Signal(int, str)  # run id, probe id


class ProbeWorker(QRunnable):
    """One probe of one run. The owner keeps a reference until ``finished`` arrives."""

    def __init__(
        self,
        spec: ProbeSpec,
        token: CancelToken,
        timeout: float,
        run_id: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it: the panel holds it until finished
        self.spec = spec
        self.token = token
        self.timeout = timeout
        self.run_id = run_id
        # Parented to the owner, so Qt (not Python's garbage collector, possibly after the
        # QApplication is gone) destroys it, together with the owner's pending events.
        self.signals = ProbeSignals(parent)

    def run(self) -> None:
        """Pool-thread entry point."""
        sig = self.signals
        probe_id = self.spec.probe_id
        try:
            if self.token.cancelled:
                return
            sig.started.emit(self.run_id, probe_id)
            result = self.spec.run(self.token, self.timeout)  # never raises
            if not self.token.cancelled:
                sig.returned.emit(self.run_id, result)
        except Exception as exc:  # a bug outside the probe; ProbeSpec.run catches the rest
            sig.errored.emit(self.run_id, probe_id, f"{type(exc).__name__}: {exc}")
        finally:
            sig.finished.emit(self.run_id, probe_id)


class CallSignals(QObject):
    done = Signal(int, object)  # run id, the value or the exception


class CallWorker(QRunnable):
    """Call ``fn`` on a pool thread and deliver its value (or exception) with a run id.

    ``fn`` must not reference a widget (its last reference could then drop on the pool
    thread, and shiboken would delete the widget there).
    """

    def __init__(
        self, fn: Callable[[], object], run_id: int, parent: QObject | None = None
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.run_id = run_id
        self.signals = CallSignals(parent)

    def run(self) -> None:
        """Pool-thread entry point."""
        try:
            value: object = self.fn()
        except Exception as exc:  # handed to the GUI thread, which reports it
            value = exc
        self.signals.done.emit(self.run_id, value)
