"""The window's settings: geometry, dock layout, recent files, the problems filter.

Stored with QSettings in INI format under the platform's config folder
(``platformdirs.user_config_dir("gobuildgui")``, e.g. ``~/.config/gobuildgui`` on
Linux), never inside a project.  ``GOBUILDGUI_CONFIG_DIR`` moves it (tests use a tmp
folder; so can a portable install).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

CONFIG_DIR_ENV = "GOBUILDGUI_CONFIG_DIR"
SETTINGS_FILE = "gobuildgui.ini"
MAX_RECENT = 10

_RECENT = "files/recent"
_GEOMETRY = "window/geometry"
_STATE = "window/state"
_HIDDEN_SEVERITIES = "problems/hidden_severities"
_LAST_FOLDER = "files/last_folder"


def config_dir() -> Path:
    """Where settings live: ``$GOBUILDGUI_CONFIG_DIR`` or the platform's user config folder."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("gobuildgui", appauthor=False))


class AppSettings:
    """Typed access to the settings file; every setter writes through to disk."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else config_dir()
        self.path = self.folder / SETTINGS_FILE
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._qs.sync()

    # -- recent files --------------------------------------------------------------

    def recent_files(self) -> list[Path]:
        """The recently opened files, newest first; files that no longer exist are dropped."""
        stored = self._string_list(_RECENT)
        kept = [Path(p) for p in stored if Path(p).is_file()]
        if len(kept) != len(stored):
            self._set_recent(kept)
        return kept

    def add_recent_file(self, path: Path) -> list[Path]:
        """Put ``path`` first in the recent files (at most :data:`MAX_RECENT`); the new list."""
        path = path.absolute()
        others = [p for p in self.recent_files() if p != path]
        files = [path, *others][:MAX_RECENT]
        self._set_recent(files)
        return files

    def clear_recent_files(self) -> None:
        """Forget the recent files."""
        self._set_recent([])

    def _set_recent(self, files: Iterable[Path]) -> None:
        self._qs.setValue(_RECENT, [str(p) for p in files])
        self._qs.sync()

    # -- window --------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        """The saved ``QMainWindow.saveGeometry()``, if any."""
        return self._bytes(_GEOMETRY)

    def window_state(self) -> QByteArray | None:
        """The saved ``QMainWindow.saveState()`` (docks, toolbars), if any."""
        return self._bytes(_STATE)

    def set_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the window's geometry and dock state."""
        self._qs.setValue(_GEOMETRY, geometry)
        self._qs.setValue(_STATE, state)
        self._qs.sync()

    # -- misc ------------------------------------------------------------------------

    def hidden_severities(self) -> set[str]:
        """Severity values the problems list hides."""
        return set(self._string_list(_HIDDEN_SEVERITIES))

    def set_hidden_severities(self, values: Iterable[str]) -> None:
        """Remember which severities the problems list hides."""
        self._qs.setValue(_HIDDEN_SEVERITIES, sorted(values))
        self._qs.sync()

    def last_folder(self) -> Path | None:
        """The folder of the last file opened or saved with a dialog."""
        value = self._qs.value(_LAST_FOLDER)
        return Path(value) if isinstance(value, str) and value else None

    def set_last_folder(self, folder: Path) -> None:
        """Remember where the open/save dialogs start."""
        self._qs.setValue(_LAST_FOLDER, str(folder))
        self._qs.sync()

    # -- helpers ---------------------------------------------------------------------

    def _string_list(self, key: str) -> list[str]:
        value = self._qs.value(key)
        # INI files give a str for a one-element list and None for an empty one.
        if value is None:
            return []
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, list):
            return [str(v) for v in value if v]
        return []

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None
