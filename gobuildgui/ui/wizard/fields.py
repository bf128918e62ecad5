"""Form widgets for a fix's settings: validated as typed, secrets masked.

A :class:`FieldEditor` wraps one core ``Field``: the input widget, a red border and a message
under it while the value is invalid, the field's help text, and for secrets a password box
with a "Show" toggle. :class:`TargetFileEditor` lets the user point a fix at another file.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.fixes import Field, FieldKind
from gobuildgui.core.secrets import redact, register_secret

ERROR_COLOUR = "#d1242f"  # on light backgrounds (5.1:1 on white)
ERROR_COLOUR_DARK = "#ff7b72"  # on dark backgrounds (7:1 on #1e1f22)


def error_colour(widget: QWidget) -> str:
    """The red for messages and borders that stays readable on ``widget``'s palette."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return ERROR_COLOUR_DARK if dark else ERROR_COLOUR


def invalid_style(widget: QWidget) -> str:
    """The red border of a box whose value is refused."""
    # A style sheet drops the inherited palette: name the theme's colours explicitly.
    base = widget.palette().color(QPalette.ColorRole.Base).name()
    text = widget.palette().color(QPalette.ColorRole.Text).name()
    return (
        f"QLineEdit {{ border: 2px solid {error_colour(widget)}; border-radius: 3px;"
        f" background: {base}; color: {text}; }}"
    )


_TRUE = {"1", "true", "yes", "on"}


def validation_message(field: Field, value: str) -> str | None:
    """The field's complaint about ``value`` as one line (masked), or ``None`` when fine."""
    try:
        message = field.validate(value)
    except ValueError as exc:  # a check may raise instead of returning the message
        message = str(exc) or "invalid value"
    return redact(message) if message else None


def split_credentials(url: str) -> tuple[str, str, str]:
    """``(url without user info, user, password)``; user and password percent-decoded."""
    if "://" not in url or "@" not in url:
        return url, "", ""
    parts = urllib.parse.urlsplit(url)
    if not parts.netloc or "@" not in parts.netloc:
        return url, "", ""
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    bare = urllib.parse.urlunsplit(parts._replace(netloc=hostport))
    return bare, urllib.parse.unquote(user), urllib.parse.unquote(password)


def join_credentials(url: str, user: str, password: str) -> str:
    """``url`` with ``user:password@`` put in (percent-encoded), or ``url`` when no user."""
    if not user or "://" not in url:
        return url
    parts = urllib.parse.urlsplit(url)
    userinfo = urllib.parse.quote(user, safe="")
    if password:
        userinfo += ":" + urllib.parse.quote(password, safe="")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{userinfo}@{parts.netloc}"))


def takes_login(field: Field) -> bool:
    """Proxy URL fields get separate user and (masked) password boxes."""
    return field.kind is FieldKind.URL and field.name.endswith("proxy")


class _SecretBox(QWidget):
    """A password box with a "Show" toggle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit(self)
        self.line_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_button = QToolButton(self)
        self.show_button.setText("Show")
        self.show_button.setCheckable(True)
        self.show_button.setToolTip("Show the typed value")
        self.show_button.toggled.connect(self._on_show_button_toggled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line_edit, 1)
        row.addWidget(self.show_button)

    @Slot(bool)
    def _on_show_button_toggled(self, shown: bool) -> None:
        self.line_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.show_button.setText("Hide" if shown else "Show")


class FieldEditor(QWidget):
    """One setting: its input, its error message (red, under it) and its help text.

    Secrets get a password box with a "Show" toggle. A proxy URL gets a user box and a
    password box beside it: credentials typed into the URL move there, so the password is
    never drawn in clear unless the user asks for it.
    """

    edited = Signal()

    def __init__(self, field: Field, value: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._combo: QComboBox | None = None
        self._check: QCheckBox | None = None
        self.line_edit: QLineEdit | None = None
        self.show_button: QToolButton | None = None
        self.user_edit: QLineEdit | None = None
        self.password_edit: QLineEdit | None = None

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        if field.kind is FieldKind.BOOL:
            self._check = QCheckBox(redact(field.label), self)
            self._check.setChecked(value.strip().lower() in _TRUE)
            self._check.toggled.connect(self._on_input_changed)
            row.addWidget(self._check)
        elif field.choices:
            self._combo = QComboBox(self)
            self._combo.addItems(list(field.choices))
            if value in field.choices:
                self._combo.setCurrentText(value)
            self._combo.currentTextChanged.connect(self._on_input_changed)
            row.addWidget(self._combo, 1)
        elif field.secret or field.kind is FieldKind.SECRET:
            box = _SecretBox(self)
            self.line_edit, self.show_button = box.line_edit, box.show_button
            self.line_edit.setText(value)
            self.line_edit.setAccessibleName(field.label)
            self.line_edit.textChanged.connect(self._on_input_changed)
            row.addWidget(box, 1)
        else:
            self.line_edit = QLineEdit(self)
            self.line_edit.setAccessibleName(field.label)
            if field.placeholder:
                self.line_edit.setPlaceholderText(redact(field.placeholder))
            self.line_edit.setClearButtonEnabled(True)
            row.addWidget(self.line_edit, 1)
            if takes_login(field):
                self.user_edit = QLineEdit(self)
                self.user_edit.setPlaceholderText("user")
                self.user_edit.setAccessibleName(f"{field.label} user")
                self.user_edit.setMaximumWidth(140)
                box = _SecretBox(self)
                box.line_edit.setPlaceholderText("password")
                box.line_edit.setAccessibleName(f"{field.label} password")
                box.setMaximumWidth(220)
                self.password_edit, self.show_button = box.line_edit, box.show_button
                row.addWidget(self.user_edit)
                row.addWidget(box)
                self.user_edit.textChanged.connect(self._on_input_changed)
                self.password_edit.textChanged.connect(self._on_input_changed)
            self.set_value(value)
            self.line_edit.textChanged.connect(self._on_url_changed)

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {error_colour(self)};")
        self.error_label.hide()
        self.help_label = QLabel(redact(field.help), self)
        self.help_label.setWordWrap(True)
        self.help_label.setEnabled(False)  # the palette's muted text colour
        self.help_label.setVisible(bool(field.help))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.help_label)
        self._error: str | None = None
        self._revalidate()

    # --- values --------------------------------------------------------------------------
    def value(self) -> str:
        """The value as the core takes it (a proxy URL with its credentials put back)."""
        if self._check is not None:
            return "true" if self._check.isChecked() else "false"
        if self._combo is not None:
            return self._combo.currentText()
        assert self.line_edit is not None
        text = self.line_edit.text()
        if self.user_edit is not None and self.password_edit is not None:
            return join_credentials(
                text.strip(), self.user_edit.text().strip(), self.password_edit.text()
            )
        return text

    def set_value(self, value: str) -> None:
        """Replace the value (credentials in a proxy URL go to the login boxes)."""
        if self._check is not None:
            self._check.setChecked(value.strip().lower() in _TRUE)
        elif self._combo is not None:
            self._combo.setCurrentText(value)
        elif self.line_edit is not None:
            if self.user_edit is not None and self.password_edit is not None:
                bare, user, password = split_credentials(value)
                if user:
                    self.user_edit.setText(user)
                    self.password_edit.setText(password)
                value = bare
            self.line_edit.setText(value)

    def secrets(self) -> tuple[str, ...]:
        """The secret values typed here (to mask everywhere)."""
        if self.password_edit is not None and self.password_edit.text():
            raw = self.password_edit.text()
            return (raw, urllib.parse.quote(raw, safe=""))
        if (self.field.secret or self.field.kind is FieldKind.SECRET) and self.value():
            return (self.value(),)
        return ()

    def register_secrets(self) -> None:
        """Mask this field's secrets everywhere from now on (before a preview shows them)."""
        for secret in self.secrets():
            register_secret(secret)

    def error(self) -> str | None:
        """The current validation message, or ``None``."""
        return self._error

    def is_valid(self) -> bool:
        """Whether the value passes the field's validation."""
        return self._error is None

    # --- slots -----------------------------------------------------------------------------
    @Slot()
    def _on_input_changed(self) -> None:
        self._revalidate()
        self.edited.emit()

    @Slot(str)
    def _on_url_changed(self, text: str) -> None:
        if self.user_edit is not None and self.password_edit is not None:
            bare, user, password = split_credentials(text)
            if user:  # typed into the URL: move the login out of sight
                self.set_value(join_credentials(bare, user, password))
                return
        self._on_input_changed()

    def _revalidate(self) -> None:
        self._error = validation_message(self.field, self.value())
        self.error_label.setText(self._error or "")
        self.error_label.setVisible(self._error is not None)
        if self.line_edit is not None:
            self.line_edit.setStyleSheet(invalid_style(self) if self._error else "")
            self.line_edit.setToolTip(self._error or "")


class TargetFileEditor(QWidget):
    """The file a fix edits, with a "Choose…" button to point at another one."""

    edited = Signal()

    def __init__(self, label: str, path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.line_edit = QLineEdit("" if path is None else str(path), self)
        self.line_edit.setAccessibleName(label)
        self.line_edit.textChanged.connect(self._on_line_edit_changed)
        self.choose_button = QPushButton("Choose\u2026", self)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.error_label = QLabel("Enter the file to edit", self)
        self.error_label.setStyleSheet(f"color: {error_colour(self)};")
        self.error_label.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line_edit, 1)
        row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error_label)

    def path(self) -> Path | None:
        """The chosen file, or ``None`` when the box is empty."""
        text = self.line_edit.text().strip()
        return Path(text).expanduser() if text else None

    def is_valid(self) -> bool:
        """A path is given and is not a directory."""
        path = self.path()
        return path is not None and not path.is_dir()

    @Slot(str)
    def _on_line_edit_changed(self, _text: str) -> None:
        valid = self.is_valid()
        self.error_label.setText(
            "That is a folder: choose a file" if self.path() is not None else "Enter the file"
        )
        self.error_label.setVisible(not valid)
        self.line_edit.setStyleSheet("" if valid else invalid_style(self))
        self.edited.emit()

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        current = self.path()
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            f"Choose the {self.label}",
            str(current) if current else "",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.line_edit.setText(chosen)
