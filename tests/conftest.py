"""Shared pytest setup.

Qt needs a platform plugin before the first ``QApplication`` exists; without a display
and without ``QT_QPA_PLATFORM=offscreen`` it aborts the whole test process. Set it here,
before any test module imports PySide6, and leave a developer's explicit choice alone
(``QT_QPA_PLATFORM=xcb pytest tests/ui`` shows real windows).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The real loopback test bed (dnsmasq, proxies, TLS, Go module proxy, go, dockerd).
pytest_plugins = ["tests.testbed.fixtures"]

_UI_TESTS = Path(__file__).parent / "ui"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under ``tests/ui/`` as ``gui`` so ``-m "not gui"`` skips Qt."""
    for item in items:
        if item.path.is_relative_to(_UI_TESTS):
            item.add_marker(pytest.mark.gui)
