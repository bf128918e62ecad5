"""The guided fix wizard: what happened → options → settings → preview → apply → next → verify.

Files are written once, when the user presses **Apply** on the apply page, through the core's
``apply_plan`` (backups in the undo history, atomic replace, refusal when a file changed
since the preview). Cancel before that writes nothing; after it, "Undo this fix" restores
every file byte for byte through the history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QWidget, QWizard, QWizardPage

from gobuildgui.core.errors import Error
from gobuildgui.core.fixes import FixContext, FixPlan, History, NeedsRootError, Target
from gobuildgui.core.secrets import redact
from gobuildgui.ui.wizard import catalogue, pages, worker
from gobuildgui.ui.wizard.worker import Verifier

__all__ = ["FixWizard", "WizardState"]

_P = TypeVar("_P", bound=QWizardPage)

# ``runner(argv, timeout=..., capture_output=True)`` as ``subprocess.run``; tests pass one.
ElevationRunner = Callable[..., object]


@dataclass
class WizardState:
    """What the user chose so far; the pages read and fill it."""

    symptom: str | None = None
    prefilled: bool = False  # opened for a fix, a finding or a symptom: page 1 may be skipped
    context_text: str = ""
    candidates: tuple[str, ...] = ()
    group_fix: str | None = None  # the fix whose group holds the chosen option
    option: catalogue.OptionChoice | None = None
    fix_id: str | None = None  # the fix that is planned
    option_id: str | None = None
    presets: dict[str, str] = field(default_factory=dict)  # from a lint finding
    settings: dict[str, str] = field(default_factory=dict)
    paths: dict[Target, Path] = field(default_factory=dict)
    plan: FixPlan | None = None
    applied: bool = False
    entry_id: str | None = None
    undone: bool = False
    root_error: NeedsRootError | None = None


class FixWizard(QWizard):
    """Walks the user through one fix, step by step (Picard-style ``PAGES``)."""

    PAGES: tuple[type[QWizardPage], ...] = (
        pages.SymptomPage,
        pages.OptionsPage,
        pages.SettingsPage,
        pages.PreviewPage,
        pages.ApplyPage,
        pages.NextStepsPage,
        pages.VerifyPage,
    )
    PAGE_SYMPTOM, PAGE_OPTIONS, PAGE_SETTINGS, PAGE_PREVIEW, PAGE_APPLY, PAGE_NEXT, PAGE_VERIFY = (
        range(7)
    )

    applied = Signal(object)  # the history entry id (None when nothing needed writing)
    undone = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        fix_id: str | None = None,
        symptom: str | None = None,
        dockerfile: Path | None = None,
        verifier: Verifier | None = None,
        history: History | None = None,
        paths: Mapping[Target, Path] | None = None,
        fix_context: FixContext | None = None,
        before_results: Sequence[object] = (),
        context: str | None = None,
        diagnostic: object | None = None,
        elevation_runner: ElevationRunner | None = None,
        plan_factory: Callable[[], FixPlan] | None = None,
    ) -> None:
        """Open the wizard.

        Args:
            parent: the owning window.
            fix_id: open for this fix (a probe's or a log finding's fix link).
            symptom: open for a symptom id, a log-finding category or a probe family.
            dockerfile: the Dockerfile that Dockerfile fixes edit.
            verifier: re-runs probe families and returns their results; called on a
                worker thread, never on the UI thread.
            history: the undo history writes are recorded in (default: the user's).
            paths: files to edit instead of the platform defaults, by target kind.
            fix_context: the machine context plans are made in (default: discovered).
            before_results: probe results from before the fix, for the verify page.
            context: the error text that brought the user here, shown on page 1.
            diagnostic: a lint finding (the problems list); its fixes are offered.
            elevation_runner: runs the pkexec command line (default: ``subprocess.run``).
            plan_factory: open on a ready plan (e.g. several fixes combined with
                :func:`~gobuildgui.ui.wizard.catalogue.combine_plans`): the wizard starts
                at the preview, and calls it again to re-read the files when they changed.
        """
        super().__init__(parent)
        self.setWindowTitle("Fix wizard")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, False)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "&Undo this fix")
        self.customButtonClicked.connect(self._on_custom_button_clicked)
        self.dockerfile = dockerfile
        self.verifier = verifier
        self.history = history if history is not None else catalogue.default_history()
        self.before_results: tuple[object, ...] = tuple(before_results)
        self.fix_context = fix_context
        self.elevation_runner = elevation_runner
        self.state = WizardState(paths=dict(paths or {}))
        self.plan_factory = plan_factory
        self._elevating: worker.CallSignals | None = None
        self._prefill(fix_id, symptom, context, diagnostic)
        for page_id, page_class in enumerate(self.PAGES):
            self.setPage(page_id, page_class(self))
        self.setStartId(self.PAGE_PREVIEW if plan_factory is not None else self.PAGE_SYMPTOM)
        self.resize(1000, 720)

    def _prefill(
        self,
        fix_id: str | None,
        symptom: str | None,
        context: str | None,
        diagnostic: object | None,
    ) -> None:
        state = self.state
        lines = [context] if context else []
        candidates: tuple[str, ...] = ()
        if diagnostic is not None:
            text, candidates, state.presets = catalogue.diagnostic_fixes(diagnostic)
            lines.append(text)
        if symptom is not None:
            text, from_symptom = catalogue.resolve_symptom(symptom)
            state.symptom = symptom
            candidates = candidates or from_symptom
            if text:
                lines.append(text)
        if fix_id is not None:
            if catalogue.known_fix(fix_id):
                candidates = (fix_id,)
                lines.append(f"Suggested fix: {catalogue.spec(fix_id).title}")
            else:
                lines.append(f"There is no fix called {fix_id!r}; pick a symptom instead.")
        state.candidates = tuple(dict.fromkeys(c for c in candidates if catalogue.known_fix(c)))
        state.prefilled = bool(state.candidates)
        state.context_text = redact("\n".join(lines))

    # --- page accessors --------------------------------------------------------------------
    def symptom_page(self) -> pages.SymptomPage:
        """Page 1."""
        return self._page(self.PAGE_SYMPTOM, pages.SymptomPage)

    def options_page(self) -> pages.OptionsPage:
        """Page 2."""
        return self._page(self.PAGE_OPTIONS, pages.OptionsPage)

    def settings_page(self) -> pages.SettingsPage:
        """Page 3."""
        return self._page(self.PAGE_SETTINGS, pages.SettingsPage)

    def preview_page(self) -> pages.PreviewPage:
        """Page 4."""
        return self._page(self.PAGE_PREVIEW, pages.PreviewPage)

    def apply_page(self) -> pages.ApplyPage:
        """Page 5."""
        return self._page(self.PAGE_APPLY, pages.ApplyPage)

    def next_steps_page(self) -> pages.NextStepsPage:
        """Page 6."""
        return self._page(self.PAGE_NEXT, pages.NextStepsPage)

    def verify_page(self) -> pages.VerifyPage:
        """Page 7."""
        return self._page(self.PAGE_VERIFY, pages.VerifyPage)

    def _page(self, page_id: int, kind: type[_P]) -> _P:
        page = self.page(page_id)
        assert isinstance(page, kind)
        return page

    # --- the work the pages ask for --------------------------------------------------------
    def context(self) -> FixContext:
        """The context plans are made in, with the files the user chose."""
        return catalogue.make_context(self.fix_context, self.dockerfile, self.state.paths)

    def build_plan(self) -> FixPlan:
        """The plan for the current choices, from the files as they are now."""
        if self.plan_factory is not None:
            return self.plan_factory()
        state = self.state
        assert state.fix_id is not None
        return catalogue.build_plan(state.fix_id, state.settings, self.context())

    def apply(self) -> None:
        """Write the previewed plan (raises the core's errors; then nothing is written)."""
        state = self.state
        assert state.plan is not None
        assert not state.applied
        self._discard_pending()
        try:
            entry = catalogue.apply(state.plan, self.history, self.context())
        except NeedsRootError as exc:
            state.root_error = exc
            raise
        self._mark_applied(entry)

    def _mark_applied(self, entry_id: str | None) -> None:
        state = self.state
        state.applied = True
        state.root_error = None
        state.entry_id = entry_id
        # Past the commit point the files are written: Cancel would not undo them.
        self.setButtonText(QWizard.WizardButton.CancelButton, "&Close")
        self.setOption(QWizard.WizardOption.HaveCustomButton1, entry_id is not None)
        # No way back to the preview of a plan that is already on disk.
        layout = [QWizard.WizardButton.Stretch]
        if entry_id is not None:
            layout.insert(0, QWizard.WizardButton.CustomButton1)
        layout += [
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ]
        self.setButtonLayout(layout)
        self.applied.emit(entry_id)

    def back_to_preview(self, message: str) -> None:
        """A file changed since the preview: show the fresh diff and ``message``."""
        while self.currentId() > self.PAGE_PREVIEW:
            self.back()
        self.preview_page().refresh(message)

    def run_elevated(self) -> None:
        """Install the files with pkexec, on a worker thread (pkexec waits for a password)."""
        state = self.state
        plan = state.plan
        if plan is None or state.applied or self._elevating is not None:
            return
        self._discard_pending()  # apply_with_elevation stages its own entry
        history, runner = self.history, self.elevation_runner
        self._elevating = worker.start(
            lambda: catalogue.apply_elevated(plan, history, runner),
            returned=self._on_elevation_returned,
            errored=self._on_elevation_errored,
            finished=self._on_elevation_finished,
        )

    def is_elevating(self) -> bool:
        """Whether a pkexec run is in progress."""
        return self._elevating is not None

    @Slot(object)
    def _on_elevation_returned(self, entry_id: object) -> None:
        self._mark_applied(entry_id if isinstance(entry_id, str) else None)
        self.apply_page().show_applied()

    @Slot(object)
    def _on_elevation_errored(self, exc: object) -> None:
        message = str(exc) if isinstance(exc, Error) else f"pkexec failed: {exc}"
        self.apply_page().elevated_failed(catalogue.show(message, self.state.plan))

    @Slot()
    def _on_elevation_finished(self) -> None:
        self._elevating = None

    def _discard_pending(self) -> None:
        exc, self.state.root_error = self.state.root_error, None
        if exc is not None:
            catalogue.discard_pending(self.history, exc)

    def undo(self) -> bool:
        """Restore every file of the applied fix; ``True`` when done."""
        state = self.state
        if state.entry_id is None or state.undone:
            return False
        try:
            catalogue.undo(self.history, state.entry_id, self.context())
        except NeedsRootError as exc:
            commands = "\n".join(exc.commands)
            self._show_undone(False, f"Undo needs administrator rights; run:\n{commands}")
            return False
        except Error as exc:
            self._show_undone(False, f"Undo failed: {exc}")
            return False
        state.undone = True
        self.button(QWizard.WizardButton.CustomButton1).setEnabled(False)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "Fix undone")
        self._show_undone(True, "The fix was undone: every file is back as it was.")
        self.undone.emit()
        return True

    def _show_undone(self, ok: bool, message: str) -> None:
        text = catalogue.show(message, self.state.plan)
        for page_id in (self.PAGE_APPLY, self.PAGE_NEXT, self.PAGE_VERIFY):
            page = self.page(page_id)
            if isinstance(page, pages.UndoAware):
                page.show_undone(ok, text)

    def reject(self) -> None:
        """Cancel: nothing is written; a refused root write leaves no pending history."""
        if not self.state.applied and self._elevating is None:
            self._discard_pending()
        super().reject()

    @Slot(int)
    def _on_custom_button_clicked(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.undo()
