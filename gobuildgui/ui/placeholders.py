"""Stand-ins for the parts of the window that later versions fill in (probes, build log).

Each says what is coming and what works today, so no button in the window is dead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

PROBES_PLACEHOLDER = (
    "Network probes arrive in a later version: DNS, TCP, TLS, the HTTP(S) proxy, GOPROXY,"
    " the checksum database, private Git hosts and the Docker daemon, each checked from"
    " your machine and from inside a build container, with a fix for every failure.\n\n"
    "Until then, the lint findings in the Problems list already point at the Dockerfile"
    " lines that break go mod download."
)
BUILD_LOG_PLACEHOLDER = (
    "Build-log diagnosis arrives in a later version: paste the output of a failed"
    " docker build here and get the cause (DNS, proxy, TLS CA, private module auth,"
    " Go version, ...) with the matching probe and fix.\n\n"
    "Until then, gobuildgui lint and the Problems list check the Dockerfile itself."
)
WIZARD_PLACEHOLDER = (
    "The fix wizard arrives in a later version: it will preview and apply fixes to the"
    " Dockerfile, ~/.docker/config.json, daemon.json and go env, with a backup of every"
    " file it changes.\n\nToday, quick fixes for lint findings are in the editor"
    " (Edit › Quick Fix, Ctrl+.)."
)


class ComingLater(QWidget):
    """A short explanation of a feature that is not there yet."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(title)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(heading)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def text(self) -> str:
        """The explanation shown."""
        return self.label.text()
