"""Build-log diagnosis: the GB2xx pattern catalogue and the streaming engine."""

from __future__ import annotations

from gobuildgui.core.diagnose.engine import (
    Evidence,
    Finding,
    LogDiagnoser,
    diagnose_file,
    diagnose_lines,
    diagnose_text,
)
from gobuildgui.core.diagnose.patterns import CATEGORIES, PATTERNS, Pattern

__all__ = [
    "CATEGORIES",
    "PATTERNS",
    "Evidence",
    "Finding",
    "LogDiagnoser",
    "Pattern",
    "diagnose_file",
    "diagnose_lines",
    "diagnose_text",
]
