"""The wizard's pages, in order: what happened → options → settings → preview → apply →
what next → verify.

Pages read and write the wizard's :class:`~gobuildgui.ui.wizard.fixwizard.WizardState`;
nothing is written to disk before the user presses **Apply** on the apply page.
Every text a page shows goes through ``redact()`` first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from gobuildgui.core.errors import Error
from gobuildgui.core.fixes import ChangedSincePreviewError, FixContext, NeedsRootError
from gobuildgui.core.model import Applicability
from gobuildgui.core.secrets import redact
from gobuildgui.ui.wizard import catalogue, worker
from gobuildgui.ui.wizard.diffview import DiffView, diff_colours, file_diff, fixed_font
from gobuildgui.ui.wizard.fields import FieldEditor, TargetFileEditor

if TYPE_CHECKING:
    from gobuildgui.ui.wizard.fixwizard import FixWizard

_SYMPTOM_ROLE = Qt.ItemDataRole.UserRole
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


def _label(text: str, parent: QWidget, *, wrap: bool = True, selectable: bool = False) -> QLabel:
    label = QLabel(redact(text), parent)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(label.textInteractionFlags() | _SELECTABLE)
    return label


class Banner(QLabel):
    """A coloured, word-wrapped message box: ``info``, ``warning`` or ``error``."""

    _COLOURS: ClassVar[dict[str, tuple[str, str, str, str]]] = {
        # (light background, light text, dark background, dark text)
        "info": ("#ddf4ff", "#0a3069", "#162c47", "#cae8ff"),
        "warning": ("#fff8c5", "#4d2d00", "#4b3800", "#fff3c4"),
        "error": ("#ffebe9", "#82071e", "#5a1e24", "#ffdcd7"),
        "success": ("#dafbe1", "#0f5323", "#1d4428", "#d2f8dc"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(_SELECTABLE)
        self.setMargin(8)
        self.hide()
        self.kind = "info"

    def show_message(self, kind: str, text: str) -> None:
        """Show ``text`` (redacted) in the colours of ``kind``."""
        self.kind = kind
        light_bg, light_fg, dark_bg, dark_fg = self._COLOURS[kind]
        dark = self.palette().color(self.palette().ColorRole.Window).lightness() < 128
        bg, fg = (dark_bg, dark_fg) if dark else (light_bg, light_fg)
        self.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; border-radius: 4px; }}")
        self.setText(redact(text))
        self.show()

    def clear_message(self) -> None:
        """Hide the banner."""
        self.setText("")
        self.hide()


class CommandsBox(QWidget):
    """Commands to copy: a read-only monospace box and a "Copy" button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(fixed_font())
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)

    def set_commands(self, commands: Sequence[str]) -> None:
        """Show ``commands`` (redacted), one per line."""
        text = redact("\n".join(commands))
        self.text.setPlainText(text)
        lines = text.count("\n") + 1  # a command may span lines (a here-document)
        metrics = self.text.fontMetrics()
        frame = 2 * self.text.frameWidth() + 2 * int(self.text.document().documentMargin())
        scroll = self.text.horizontalScrollBar().sizeHint().height()
        self.text.setFixedHeight(min(lines, 8) * metrics.lineSpacing() + frame + scroll)

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())


def _badge(text: str, warn: bool, parent: QWidget) -> QLabel:
    c = diff_colours(parent.palette())
    bg, fg = (c.warn_badge_bg, c.warn_badge_fg) if warn else (c.badge_bg, c.badge_fg)
    badge = QLabel(text, parent)
    badge.setStyleSheet(
        f"QLabel {{ background: {bg.name()}; color: {fg.name()}; border-radius: 3px;"
        " padding: 1px 6px; font-weight: bold; }"
    )
    return badge


class _Page(QWizardPage):
    """Common helpers: the typed wizard, completeness as a flag, validation hook."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._complete = True  # gating pages set it in initializePage

    def set_complete(self, ok: bool) -> None:
        """Enable or disable Next for this page."""
        if ok != self._complete:
            self._complete = ok
            self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Whether Next is enabled (see :meth:`set_complete`)."""
        return self._complete

    def validatePage(self) -> bool:
        """Keep the page's choices in the wizard's state when the user moves on."""
        if not self._complete:
            return False
        self.validate_choice()
        return True

    def validate_choice(self) -> None:
        """Store what the user chose on this page (pages override it)."""

    def fix_wizard(self) -> FixWizard:
        """The wizard this page belongs to."""
        from gobuildgui.ui.wizard.fixwizard import FixWizard

        wizard = self.wizard()
        assert isinstance(wizard, FixWizard)
        return wizard


class UndoAware(_Page):
    """A page shown after Apply: it says when the fix was undone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_banner = Banner(self)

    def show_undone(self, ok: bool, message: str) -> None:
        """Reflect an undo done with the wizard's "Undo this fix" button."""
        self.undo_banner.show_message("success" if ok else "error", message)


def _clear_layout(layout: QVBoxLayout | QFormLayout) -> None:
    while layout.count():
        taken = layout.takeAt(0)
        widget = taken.widget() if taken is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def _scroll(parent: QWidget) -> tuple[QScrollArea, QWidget, QVBoxLayout]:
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    inner = QWidget(scroll)
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(0, 0, 0, 0)
    scroll.setWidget(inner)
    return scroll, inner, layout


# --- 1. What happened ----------------------------------------------------------------------
class SymptomPage(_Page):
    """A symptom list, or the context the wizard was opened with."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("What happened?")
        self.setSubTitle(
            "Pick what your build shows: each symptom gives the error text first, then what"
            " it means."
        )
        self.context_banner = Banner(self)
        self.list_label = QLabel("Symptoms:", self)
        self.list = QListWidget(self)
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.itemSelectionChanged.connect(self._on_list_selection_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.context_banner)
        layout.addWidget(self.list_label)
        layout.addWidget(self.list, 1)

    def initializePage(self) -> None:
        """Fill the list and show the context given to the wizard."""
        state = self.fix_wizard().state
        self.list.blockSignals(True)
        self.list.clear()
        for symptom in catalogue.symptoms():
            item = QListWidgetItem(f"{symptom.error_text}\n{symptom.explanation}")
            item.setData(_SYMPTOM_ROLE, symptom.symptom_id)
            self.list.addItem(item)
            if symptom.symptom_id == state.symptom:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if state.context_text:
            self.context_banner.show_message("info", state.context_text)
        else:
            self.context_banner.clear_message()
        # Opened for a fix: the list is a way out, not a required choice.
        self.list_label.setText("Or pick another symptom:" if state.prefilled else "Symptoms:")
        self._sync_complete()

    def chosen(self) -> str | None:
        """The symptom the user selected (focus alone does not choose one)."""
        selected = self.list.selectedItems()
        return str(selected[0].data(_SYMPTOM_ROLE)) if selected else None

    def validate_choice(self) -> None:
        """Turn the choice into the candidate fixes (called when leaving the page)."""
        state = self.fix_wizard().state
        chosen = self.chosen()
        if chosen is not None and chosen != state.symptom:
            state.symptom = chosen
            state.candidates = catalogue.resolve_symptom(chosen)[1]
        elif chosen is not None and not state.prefilled:
            state.candidates = catalogue.resolve_symptom(chosen)[1]

    def _sync_complete(self) -> None:
        state = self.fix_wizard().state
        chosen = self.chosen()
        ok = bool(catalogue.resolve_symptom(chosen)[1]) if chosen else bool(state.prefilled)
        self.set_complete(ok)

    @Slot()
    def _on_list_selection_changed(self) -> None:
        self._sync_complete()


# --- 2. The cause and the options ----------------------------------------------------------
class OptionsPage(_Page):
    """Each way to fix it, with its trade-off and "needs root"/"restart" badges."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("The cause and the options")
        self.setSubTitle("Choose how to fix it. Each option says what it costs.")
        self.group = QButtonGroup(self)
        self.group.buttonToggled.connect(self._on_group_toggled)
        self.radios: dict[tuple[str, str], tuple[QRadioButton, catalogue.OptionChoice]] = {}
        scroll, self._inner, self._inner_layout = _scroll(self)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)

    def initializePage(self) -> None:
        """One group per candidate fix, one radio button per option."""
        wizard = self.fix_wizard()
        state = wizard.state
        ctx = wizard.context()
        for button in self.group.buttons():
            self.group.removeButton(button)
        self.radios.clear()
        _clear_layout(self._inner_layout)
        for fix_id in state.candidates:
            self._add_fix(fix_id, ctx, state.candidates)
        self._inner_layout.addStretch(1)
        entries = list(self.radios.values())
        wanted = self.radios.get((state.group_fix or "", state.option_id or ""))
        if wanted is None:
            wanted = next((r for r in entries if r[1].recommended), None)
        if wanted is None and entries:
            wanted = entries[0]
        if wanted is not None:
            wanted[0].setChecked(True)
        self._sync_complete()

    def _add_fix(self, fix_id: str, ctx: FixContext, candidates: Sequence[str]) -> None:
        spec = catalogue.spec(fix_id)
        heading = _label(spec.title, self._inner)
        bold = heading.font()
        bold.setBold(True)
        heading.setFont(bold)
        self._inner_layout.addWidget(heading)
        box = QFrame(self._inner)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(_label(spec.description, box))
        for option in catalogue.options(fix_id, ctx):
            if option.fix_id != fix_id and option.fix_id in candidates:
                continue  # that fix has its own group on this page
            button = QRadioButton(redact(option.title), box)
            self.group.addButton(button)
            self.radios[(fix_id, option.option_id)] = (button, option)
            head = QHBoxLayout()
            head.addWidget(button)
            if option.recommended:
                head.addWidget(_badge("recommended", False, box))
            if option.needs_root:
                head.addWidget(_badge("needs root", True, box))
            if option.needs_restart:
                head.addWidget(_badge("needs a daemon restart", True, box))
            if option.fix_id != fix_id:
                head.addWidget(_badge(f"uses fix {option.fix_id}", False, box))
            head.addStretch(1)
            box_layout.addLayout(head)
            tradeoff = _label(option.tradeoff, box)
            tradeoff.setContentsMargins(24, 0, 0, 4)
            box_layout.addWidget(tradeoff)
        manual = catalogue.manual_alternatives(fix_id)
        if manual:
            lines = "\n".join(f"\u2022 {m.title}: {m.tradeoff}\n    {m.command}" for m in manual)
            alt = _label(f"Also possible, by hand (nothing to write):\n{lines}", box)
            box_layout.addWidget(alt)
        self._inner_layout.addWidget(box)

    def chosen(self) -> tuple[str, catalogue.OptionChoice] | None:
        """The group's fix id and the option selected."""
        for (group_fix, _option_id), (button, option) in self.radios.items():
            if button.isChecked():
                return group_fix, option
        return None

    def validate_choice(self) -> None:
        """Remember the option; another fix or option starts its settings afresh."""
        chosen = self.chosen()
        if chosen is None:
            return
        group_fix, option = chosen
        state = self.fix_wizard().state
        if (state.fix_id, state.option_id) != (option.fix_id, option.option_id):
            state.settings = {}
        state.group_fix = group_fix
        state.option = option
        state.fix_id, state.option_id = option.fix_id, option.option_id

    def _sync_complete(self) -> None:
        self.set_complete(self.chosen() is not None)

    @Slot(QAbstractButton, bool)
    def _on_group_toggled(self, _button: QAbstractButton, _checked: bool) -> None:
        self._sync_complete()


# --- 3. Settings ---------------------------------------------------------------------------
class SettingsPage(_Page):
    """The fix's fields as a validated form, and the files it will edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Settings")
        self.setSubTitle(
            "Values are checked as you type; Next is enabled once all are valid. The values"
            " shown are your files' current settings."
        )
        self.editors: dict[str, FieldEditor] = {}
        self.targets: dict[object, TargetFileEditor] = {}
        scroll, self._host, self._host_layout = _scroll(self)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        self._built_for: tuple[str | None, str | None] | None = None

    def initializePage(self) -> None:
        """Build the form for the chosen fix (values kept as typed when coming back)."""
        wizard = self.fix_wizard()
        state = wizard.state
        assert state.fix_id is not None
        key = (state.fix_id, state.option_id)
        if key == self._built_for:
            self._sync_complete()
            return
        self._built_for = key
        self.editors.clear()
        self.targets.clear()
        _clear_layout(self._host_layout)
        ctx = wizard.context()
        option = state.option
        presets = {**state.presets, **(option.presets if option is not None else {})}
        values = catalogue.initial_values(
            state.fix_id,
            ctx,
            presets,
            keep_current=option is None or option.recommended,  # preselected: files win
        )
        values.update(state.settings)

        fields_box = QGroupBox("Values", self._host)
        form = QFormLayout(fields_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in catalogue.fields(state.fix_id):
            editor = FieldEditor(field, values.get(field.name, ""), fields_box)
            editor.edited.connect(self._on_editor_edited)
            self.editors[field.name] = editor
            label = "" if field.kind.value == "bool" else redact(field.label) + ":"
            form.addRow(label, editor)
        if not self.editors:
            form.addRow(_label("This fix has nothing to fill in.", fields_box))
        self._host_layout.addWidget(fields_box)

        files_box = QGroupBox("Files this fix edits", self._host)
        files_form = QFormLayout(files_box)
        for target in catalogue.targets(state.fix_id, ctx):
            editor_t = TargetFileEditor(target.label, target.path, files_box)
            editor_t.edited.connect(self._on_editor_edited)
            self.targets[target.target] = editor_t
            files_form.addRow(target.label + ":", editor_t)
        self._host_layout.addWidget(files_box)
        self._host_layout.addStretch(1)
        self._sync_complete()

    def validate_choice(self) -> None:
        """Register the secrets (masked everywhere from now on) and keep the values."""
        state = self.fix_wizard().state
        for editor in self.editors.values():
            editor.register_secrets()
        state.settings = {name: e.value() for name, e in self.editors.items()}
        for kind, editor_t in self.targets.items():
            path = editor_t.path()
            if path is not None:
                state.paths[kind] = path  # type: ignore[index]  # keys are core Targets

    def _sync_complete(self) -> None:
        ok = all(e.is_valid() for e in self.editors.values()) and all(
            t.is_valid() for t in self.targets.values()
        )
        self.set_complete(ok)

    @Slot()
    def _on_editor_edited(self) -> None:
        self._sync_complete()


# --- 4. Preview ----------------------------------------------------------------------------
class PreviewPage(_Page):
    """Every file's diff, with the plan's warnings above."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Preview")
        self.setSubTitle("Nothing has been written yet. This is exactly what will change.")
        self.message_banner = Banner(self)
        self.warnings_banner = Banner(self)
        self.summary_label = _label("", self, selectable=True)
        self.diff_view = DiffView(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_banner)
        layout.addWidget(self.warnings_banner)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.diff_view, 1)

    def initializePage(self) -> None:
        """Build the plan from the settings and show it."""
        self.refresh()

    def refresh(self, message: str | None = None) -> None:
        """Rebuild the plan from the files as they are now; ``message`` explains why."""
        wizard = self.fix_wizard()
        state = wizard.state
        state.plan = None
        if message:
            self.message_banner.show_message("warning", message)
        else:
            self.message_banner.clear_message()
        try:
            plan = wizard.build_plan()
        except Error as exc:
            self.warnings_banner.show_message(
                "error",
                f"{exc}\n\nNothing was written. Go Back to change the values or to point"
                " the fix at another file.",
            )
            self.summary_label.setText("")
            self.diff_view.set_diffs(())
            self.set_complete(False)
            return
        state.plan = plan
        notes = [catalogue.show(w, plan) for w in plan.warnings]
        if plan.is_empty:
            notes.insert(0, "Nothing to change: the files already say this.")
        if notes:
            self.warnings_banner.show_message("warning", "\n".join(notes))
        else:
            self.warnings_banner.clear_message()
        self.summary_label.setText(catalogue.show(f"{plan.title}: {plan.summary}", plan))
        self.diff_view.set_diffs(
            [
                file_diff(
                    str(change.path),
                    catalogue.diff_text(change, plan),
                    catalogue.diff_rows(change, plan),
                    catalogue.change_badges(change),
                )
                for change in plan.changes
            ]
        )
        self.set_complete(True)


# --- 5. Apply ------------------------------------------------------------------------------
class ApplyPage(UndoAware):
    """Writes the plan when the user presses Apply; offers pkexec when root is needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Apply")
        self.setSubTitle(
            "Press Apply to write the files. Each is backed up to the undo history and"
            " replaced atomically; you can undo the whole fix afterwards."
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Next >")
        self.files_label = _label("", self, selectable=True)
        self.apply_button = QPushButton("&Apply", self)
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        self.status_banner = Banner(self)
        self.root_box = QGroupBox("Administrator rights needed", self)
        self.root_label = _label(
            "These files belong to root. pkexec asks for your password and installs the"
            " previewed contents (the backups are already in the undo history).",
            self.root_box,
        )
        self.pkexec_button = QPushButton("Run with administrator rights (pkexec)", self.root_box)
        self.pkexec_button.clicked.connect(self._on_pkexec_button_clicked)
        self.root_commands = CommandsBox(self.root_box)
        root_layout = QVBoxLayout(self.root_box)
        root_layout.addWidget(self.root_label)
        root_layout.addWidget(self.pkexec_button, 0, Qt.AlignmentFlag.AlignLeft)
        root_layout.addWidget(_label("Or run these commands in a terminal:", self.root_box))
        root_layout.addWidget(self.root_commands)
        self.root_box.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files_label)
        layout.addLayout(buttons)
        layout.addWidget(self.status_banner)
        layout.addWidget(self.undo_banner)
        layout.addWidget(self.root_box)
        layout.addStretch(1)

    def initializePage(self) -> None:
        """List the files that will be written."""
        wizard = self.fix_wizard()
        plan = wizard.state.plan
        assert plan is not None
        lines = []
        for change in plan.changes:
            badges = catalogue.change_badges(change)
            suffix = f"  ({', '.join(badges)})" if badges else ""
            lines.append(f"\u2022 {change.path}{suffix}")
        self.files_label.setText(
            catalogue.show("These files will be written:\n" + "\n".join(lines), plan)
            if not plan.is_empty
            else "No file needs to change: the files already say this."
        )
        self.status_banner.clear_message()
        self.undo_banner.clear_message()
        self.root_box.hide()
        display_only = plan.applicability is Applicability.DISPLAY_ONLY
        self.apply_button.setEnabled(not display_only and not plan.is_empty)
        if display_only:
            self.status_banner.show_message(
                "info", "This fix is shown, not applied: copy the commands on the next page."
            )
        self.set_complete(display_only or plan.is_empty)

    @Slot()
    def _on_apply_button_clicked(self) -> None:
        wizard = self.fix_wizard()
        try:
            wizard.apply()
        except ChangedSincePreviewError as exc:
            wizard.back_to_preview(
                catalogue.show(
                    "A file changed on disk after the preview, so nothing was written. The"
                    " preview below is made from the file as it is now: check it and apply"
                    " again.\n\nWhat changed on disk:\n" + _first_lines(exc.diffs, 14),
                    wizard.state.plan,
                )
            )
            return
        except NeedsRootError as exc:
            self.status_banner.show_message(
                "warning",
                catalogue.show(
                    "Writing these files needs administrator rights; nothing was written yet.",
                    wizard.state.plan,
                ),
            )
            self.root_commands.set_commands(
                [catalogue.show(c, wizard.state.plan) for c in exc.commands]
            )
            self.pkexec_button.setEnabled(bool(exc.elevation_command))
            self.root_box.show()
            return
        except Error as exc:
            self.status_banner.show_message("error", catalogue.show(str(exc), wizard.state.plan))
            return
        self.show_applied()

    def show_applied(self) -> None:
        """The files are written: say so, and how to undo."""
        wizard = self.fix_wizard()
        self.apply_button.setEnabled(False)
        self.pkexec_button.setEnabled(False)
        self.root_box.hide()
        entry = wizard.state.entry_id
        undo = (
            f" Undo entry {entry}: \u201cUndo this fix\u201d puts every file back." if entry else ""
        )
        self.status_banner.show_message("success", f"The files were written.{undo}")
        self.set_complete(True)

    @Slot()
    def _on_pkexec_button_clicked(self) -> None:
        self.pkexec_button.setEnabled(False)
        self.apply_button.setEnabled(False)
        self.status_banner.show_message("info", "Waiting for pkexec\u2026")
        self.fix_wizard().run_elevated()

    def elevated_failed(self, message: str) -> None:
        """The pkexec run did not write the files."""
        self.pkexec_button.setEnabled(True)
        self.apply_button.setEnabled(True)
        self.status_banner.show_message("error", message)


def _first_lines(text: str, n: int) -> str:
    lines = text.splitlines()
    more = f"\n\u2026 ({len(lines) - n} more lines)" if len(lines) > n else ""
    return "\n".join(lines[:n]) + more


# --- 6. What to do next --------------------------------------------------------------------
class NextStepsPage(UndoAware):
    """The plan's follow-ups (restart the daemon, rebuild) with copyable commands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("What to do next")
        self.setSubTitle("The change takes effect after these steps.")
        self.followups_label = _label("", self, selectable=True)
        self.commands_label = _label("Commands to copy:", self)
        self.commands = CommandsBox(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.undo_banner)
        layout.addWidget(self.followups_label)
        layout.addWidget(self.commands_label)
        layout.addWidget(self.commands)
        layout.addStretch(1)

    def initializePage(self) -> None:
        """Show the follow-ups and their commands."""
        plan = self.fix_wizard().state.plan
        assert plan is not None
        steps = catalogue.followup_lines(plan)
        lines = [f"{n}. {text}" for n, (text, _cmd) in enumerate(steps, 1)]
        self.followups_label.setText("\n".join(lines) if lines else "Nothing else to do.")
        commands = [cmd for _text, cmd in steps if cmd]
        if plan.applicability is Applicability.DISPLAY_ONLY:
            commands += [catalogue.show(c, plan) for c in plan.commands_to_copy]
        self.commands.set_commands(commands)
        self.commands.setVisible(bool(commands))
        self.commands_label.setVisible(bool(commands))


# --- 7. Verify -----------------------------------------------------------------------------
class VerifyPage(UndoAware):
    """Re-run the probes tied to the fix and show before and after."""

    COLUMNS = ("Probe", "Before", "After")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Verify")
        self.setSubTitle("Check that the fix worked by running the same probes again.")
        self.status_banner = Banner(self)
        self.run_button = QPushButton("&Run the checks again", self)
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.table = QTreeWidget(self)
        self.table.setColumnCount(len(self.COLUMNS))
        self.table.setHeaderLabels(list(self.COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setWordWrap(True)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.how_label = _label("", self, selectable=True)
        self.how_commands = CommandsBox(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.undo_banner)
        layout.addWidget(self.status_banner)
        layout.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.how_label)
        layout.addWidget(self.how_commands)
        self._signals: worker.CallSignals | None = None  # of the run in progress
        self.after: tuple[object, ...] | None = None

    def probes(self) -> tuple[str, ...]:
        """The probe families the plan names."""
        plan = self.fix_wizard().state.plan
        return tuple(plan.verify_probes) if plan is not None else ()

    def initializePage(self) -> None:
        """Start the verifier, or say how to run the probes by hand."""
        wizard = self.fix_wizard()
        probes = self.probes()
        command = f"gobuildgui probe --only {','.join(probes)}" if probes else ""
        self.how_commands.set_commands([command] if command else [])
        self.how_commands.setVisible(bool(command))
        self._fill_table()
        self.table.setColumnWidth(0, 130)
        self.table.setColumnWidth(1, 330)
        if not probes:
            self.run_button.hide()
            self.table.hide()
            self.how_label.setText("This fix has no probe to re-run: rebuild to check it.")
            return
        if wizard.verifier is None:
            self.run_button.hide()
            self.how_label.setText(
                "Run these probes to check the fix, in the probe panel or in a terminal:"
            )
            return
        self.how_label.setText("The same checks from a terminal:")
        self.start()

    def start(self) -> None:
        """Run the verifier on the app's thread pool; the UI stays responsive."""
        verifier = self.fix_wizard().verifier
        if verifier is None or self._signals is not None:
            return
        probes = self.probes()
        self.after = None
        self.run_button.setEnabled(False)
        self.status_banner.show_message("info", "Running " + ", ".join(probes) + "\u2026")
        self._signals = worker.start(
            lambda: verifier(probes),
            returned=self._on_worker_returned,
            errored=self._on_worker_errored,
            finished=self._on_worker_finished,
        )
        self._fill_table()

    def is_running(self) -> bool:
        """Whether a verifier run is in progress."""
        return self._signals is not None

    @Slot()
    def _on_run_button_clicked(self) -> None:
        self.start()

    @Slot(object)
    def _on_worker_returned(self, results: object) -> None:
        self.after = tuple(results) if isinstance(results, Sequence) else (results,)
        statuses = [catalogue.describe_result(r)[1].lower() for r in self.after]
        failed = sum(s in _BAD_STATUS for s in statuses)
        passed = sum(s in _GOOD_STATUS for s in statuses)
        if failed:
            self.status_banner.show_message(
                "warning", f"{failed} of {len(statuses)} checks still fail; see below."
            )
        elif statuses and passed == len(statuses):
            self.status_banner.show_message("success", "Every check passes now.")
        else:
            self.status_banner.show_message(
                "info", f"{passed} of {len(statuses)} checks pass; the others did not run."
            )

    @Slot(object)
    def _on_worker_errored(self, exc: object) -> None:
        self.status_banner.show_message("error", f"The checks could not run: {exc}")

    @Slot()
    def _on_worker_finished(self) -> None:
        self._signals = None
        self.run_button.setEnabled(True)
        self._fill_table()

    def _fill_table(self) -> None:
        before = {catalogue.describe_result(r)[0]: r for r in self.fix_wizard().before_results}
        after = {catalogue.describe_result(r)[0]: r for r in (self.after or ())}
        names = list(dict.fromkeys([*self.probes(), *before, *after]))
        self.table.clear()
        for name in names:
            row = QTreeWidgetItem(
                [name, _cell(before.get(name)), _cell(after.get(name), pending=self.is_running())]
            )
            for column in (1, 2):
                row.setToolTip(column, row.text(column))
            self.table.addTopLevelItem(row)


_GOOD_STATUS = {"ok", "pass", "passed", "success", "fixed", "true"}
_BAD_STATUS = {"fail", "failed", "error", "errored", "timeout", "false"}


def _cell(result: object | None, *, pending: bool = False) -> str:
    if result is None:
        return "running\u2026" if pending else "not run"
    _name, status, detail = catalogue.describe_result(result)
    return f"{status}: {detail}" if status and detail else status or detail
