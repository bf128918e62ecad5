"""Free each test's panels in the main thread, at a safe point.

A panel whose Python wrapper sits in a reference cycle is otherwise freed whenever the
garbage collector runs, possibly on a probe thread; shiboken then deletes the widget
later from the event loop of another test, which crashed (double deletion).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def _collect_widgets(qapp: QApplication) -> Iterator[None]:
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()
    QApplication.processEvents()
