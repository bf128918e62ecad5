"""Notice when the open file changes on disk, including editors that save by rename.

QFileSystemWatcher alone is not enough: an editor that writes a new file and renames
it over the old one makes the watcher drop the path, and a ``touch`` fires without
any change.  So the folder is watched too, the file is re-added whenever it is back,
and a change counts only when the content hash differs from the last one known
(loaded, saved, or already reported).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

from gobuildgui.core.textfile import file_digest

SETTLE_MS = 150  # editors write in several steps; look once they are done


class FileWatcher(QObject):
    """Watch one file; emit ``changed`` when its content differs, ``removed`` when it is gone."""

    changed = Signal(object)  # Path
    removed = Signal(object)  # Path

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_watcher_changed)
        self._watcher.directoryChanged.connect(self._on_watcher_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._path: Path | None = None
        self._digest: str | None = None
        self._gone = False

    @property
    def path(self) -> Path | None:
        """The watched file."""
        return self._path

    def watch(self, path: Path, digest: str) -> None:
        """Watch ``path``, whose content now hashes to ``digest``."""
        self.stop()
        self._path = path
        self._digest = digest
        self._gone = False
        self._watcher.addPath(str(path.parent))
        self._watcher.addPath(str(path))

    def set_digest(self, digest: str) -> None:
        """The file now has this content (we saved it, or the user chose to keep theirs)."""
        self._digest = digest
        self._gone = False
        if self._path is not None and str(self._path) not in self._watcher.files():
            self._watcher.addPath(str(self._path))

    def stop(self) -> None:
        """Stop watching."""
        self._timer.stop()
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)
        self._path = None
        self._digest = None

    def check_now(self) -> None:
        """Compare the file with the known content at once (tests, window activation)."""
        self._timer.stop()
        self._on_timer_timeout()

    @Slot(str)
    def _on_watcher_changed(self, _path: str) -> None:
        if self._path is not None:
            self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        path = self._path
        if path is None:
            return
        digest = file_digest(path)
        if digest is None:
            if not self._gone and not path.exists():
                self._gone = True
                self.removed.emit(path)
            return
        self._gone = False
        if str(path) not in self._watcher.files():
            self._watcher.addPath(str(path))  # replaced by rename: watch the new file
        if digest != self._digest:
            self._digest = digest  # report each new content once
            self.changed.emit(path)
