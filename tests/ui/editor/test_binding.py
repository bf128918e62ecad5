"""The Qt binding must not corrupt reference counts (PySide6 6.12.0 does, on Python 3.11).

The editor emits a signal after every lint and restarts timers on every keystroke; a
binding that drops a reference to ``None`` or ``True`` on those calls aborts the whole
application after a few thousand keystrokes ("deallocating None").
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal
from pytestqt.qtbot import QtBot


class _Carrier(QObject):
    fired = Signal(object)


def _refcounts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_emit_and_timer_start_keep_singleton_refcounts(qtbot: QtBot) -> None:
    carrier = _Carrier()
    received: list[object] = []
    carrier.fired.connect(received.append)
    timer = QTimer()
    carrier.fired.emit(0)  # warm up caches before counting
    timer.start(50)
    received.clear()
    before = _refcounts()
    for i in range(200):
        carrier.fired.emit(i)
        timer.start(50)
    after = _refcounts()
    timer.stop()
    assert len(received) == 200
    drift = [a - b for a, b in zip(after, before, strict=True)]
    # A faulty binding loses exactly one reference per call (-200 or -400).
    assert all(abs(d) < 50 for d in drift), f"None/True/False refcounts drifted by {drift}"
