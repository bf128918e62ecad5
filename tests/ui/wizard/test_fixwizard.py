"""The fix wizard walked page by page on real temp files."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from gobuildgui.core import fixes
from gobuildgui.core.secrets import redact
from gobuildgui.ui.wizard.fixwizard import FixWizard
from tests.ui.wizard.conftest import TargetFiles, visible_texts

P = FixWizard  # page ids


def make(qtbot: QtBot, files: TargetFiles, **kwargs: object) -> FixWizard:
    kwargs.setdefault("fix_context", files.context())
    wizard = FixWizard(
        None,
        history=files.history(),
        paths=files.paths(),
        dockerfile=files.dockerfile,
        **kwargs,  # type: ignore[arg-type]  # keyword arguments of FixWizard, checked there
    )
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def forward_button(wizard: FixWizard) -> QWizard.WizardButton:
    page = wizard.currentPage()
    if page.isCommitPage():
        return QWizard.WizardButton.CommitButton
    if wizard.currentId() == wizard.pageIds()[-1]:
        return QWizard.WizardButton.FinishButton
    return QWizard.WizardButton.NextButton


def can_go_on(wizard: FixWizard) -> bool:
    return wizard.button(forward_button(wizard)).isEnabled()


def go_on(wizard: FixWizard) -> None:
    assert can_go_on(wizard), f"Next is disabled on page {wizard.currentId()}"
    before = wizard.currentId()
    wizard.next()
    assert wizard.currentId() == before + 1


def walk_to(wizard: FixWizard, page_id: int, settings: dict[str, str] | None = None) -> None:
    while wizard.currentId() < page_id:
        if wizard.currentId() == P.PAGE_SETTINGS:
            for name, value in (settings or {}).items():
                wizard.settings_page().editors[name].set_value(value)
        if wizard.currentId() == P.PAGE_APPLY and not wizard.state.applied:
            wizard.apply_page().apply_button.click()
        go_on(wizard)


def applied(wizard: FixWizard) -> bool:
    return wizard.state.applied


def plan_diff(wizard: FixWizard) -> str:
    plan = wizard.state.plan
    assert plan is not None
    return redact(fixes.plan_diff(plan))


# --- the whole walk ---------------------------------------------------------------------------
def test_daemon_dns_walk_validates_previews_applies_and_undoes(
    qtbot: QtBot, files: TargetFiles
) -> None:
    original = files.snapshot()
    wizard = make(qtbot, files, fix_id="daemon-dns")

    # 1. Opened for a fix: the page shows it and Next is enabled at once.
    assert wizard.currentId() == P.PAGE_SYMPTOM
    assert wizard.symptom_page().context_banner.isVisibleTo(wizard)
    assert "DNS" in wizard.symptom_page().context_banner.text()
    go_on(wizard)

    # 2. One option is preselected.
    assert wizard.options_page().chosen() is not None
    go_on(wizard)

    # 3. A bad IP blocks Next, with a message under the field; a good one unblocks it.
    editor = wizard.settings_page().editors["dns"]
    editor.set_value("10.20.1.300")
    assert not can_go_on(wizard)
    assert editor.error_label.isVisibleTo(wizard)
    assert editor.error_label.text()
    assert editor.line_edit is not None
    assert "border" in editor.line_edit.styleSheet()
    editor.set_value("10.20.1.2, 10.20.1.3")
    assert can_go_on(wizard)
    assert not editor.error_label.isVisibleTo(wizard)
    go_on(wizard)

    # 4. The preview is exactly the plan's diff, and nothing is written yet.
    view = wizard.preview_page().diff_view
    plan = wizard.state.plan
    assert plan is not None
    assert view.unified_text() == fixes.plan_diff(plan)
    shown = view.unified_pane.toPlainText()
    for line in fixes.plan_diff(plan).splitlines():
        assert line in shown
    assert '+    "dns": [' in shown  # the file's own 4-space indent
    assert files.snapshot() == original
    go_on(wizard)

    # 5. Apply writes the plan's text, byte for byte.
    assert files.snapshot() == original
    assert not can_go_on(wizard)  # Next only after Apply
    with qtbot.waitSignal(wizard.applied, timeout=5000):
        wizard.apply_page().apply_button.click()
    assert files.daemon_json.read_bytes() == plan.changes[0].new_bytes
    written = files.daemon_json.read_text()
    assert '"x-corp-managed": true' in written
    assert '    "dns": [\n        "10.20.1.2",\n        "10.20.1.3"\n    ]' in written
    assert written.replace(
        ',\n    "dns": [\n        "10.20.1.2",\n        "10.20.1.3"\n    ]', ""
    ) == files.daemon_json.read_text().replace(
        ',\n    "dns": [\n        "10.20.1.2",\n        "10.20.1.3"\n    ]', ""
    )
    assert len(files.history_files()) >= 2  # the index and the backup blob
    assert can_go_on(wizard)
    undo_button = wizard.button(QWizard.WizardButton.CustomButton1)
    assert undo_button.isVisible()
    assert undo_button.isEnabled()

    # 6. What next: the follow-ups.
    go_on(wizard)
    assert wizard.next_steps_page().followups_label.text()

    # 7. Verify, then undo: every file byte for byte as before.
    go_on(wizard)
    with qtbot.waitSignal(wizard.undone, timeout=5000):
        undo_button.click()
    assert files.snapshot() == original
    assert not undo_button.isEnabled()


# --- cancel at every step ----------------------------------------------------------------------
BEFORE_APPLY = [P.PAGE_SYMPTOM, P.PAGE_OPTIONS, P.PAGE_SETTINGS, P.PAGE_PREVIEW, P.PAGE_APPLY]


@pytest.mark.parametrize("page_id", BEFORE_APPLY)
@pytest.mark.parametrize(
    ("fix_id", "settings"),
    [
        ("daemon-dns", {"dns": "10.20.1.2"}),
        ("client-proxy", {"http-proxy": "http://alice:pa55-word-xyz@proxy.corp.example:3128"}),
        ("go-proxy", {}),
    ],
)
def test_cancel_before_apply_writes_nothing(
    qtbot: QtBot, files: TargetFiles, page_id: int, fix_id: str, settings: dict[str, str]
) -> None:
    original = files.snapshot()
    wizard = make(qtbot, files, fix_id=fix_id)
    walk_to(wizard, page_id, settings)
    assert wizard.currentId() == page_id
    wizard.reject()
    assert not wizard.isVisible()
    assert files.snapshot() == original
    assert files.history_files() == []


@pytest.mark.parametrize("page_id", [P.PAGE_APPLY, P.PAGE_NEXT, P.PAGE_VERIFY])
def test_close_after_apply_writes_nothing_more(
    qtbot: QtBot, files: TargetFiles, page_id: int
) -> None:
    wizard = make(qtbot, files, fix_id="daemon-dns")
    walk_to(wizard, P.PAGE_APPLY, {"dns": "10.20.1.2"})
    wizard.apply_page().apply_button.click()
    applied = files.snapshot()
    history = sorted(files.history_files())
    walk_to(wizard, page_id)
    assert wizard.button(QWizard.WizardButton.CancelButton).text().replace("&", "") == "Close"
    wizard.reject()
    assert files.snapshot() == applied
    assert sorted(files.history_files()) == history


# --- changed on disk between preview and apply ------------------------------------------------
def test_file_changed_after_preview_shows_the_new_diff_and_writes_nothing(
    qtbot: QtBot, files: TargetFiles
) -> None:
    wizard = make(qtbot, files, fix_id="daemon-dns")
    walk_to(wizard, P.PAGE_APPLY, {"dns": "10.20.1.2"})
    old_diff = wizard.preview_page().diff_view.unified_text()
    # Someone else edits the file (another editor, Docker Desktop) before Apply.
    edited = files.daemon_json.read_text().replace('"3"', '"5"')
    files.daemon_json.write_text(edited)
    changed = files.snapshot()

    wizard.apply_page().apply_button.click()

    assert wizard.currentId() == P.PAGE_PREVIEW
    banner = wizard.preview_page().message_banner
    assert banner.isVisibleTo(wizard)
    assert "changed" in banner.text().lower()
    new_diff = wizard.preview_page().diff_view.unified_text()
    assert new_diff != old_diff
    assert new_diff == plan_diff(wizard)
    assert '"max-file": "5"' in wizard.preview_page().diff_view.unified_pane.toPlainText()
    assert files.snapshot() == changed
    assert files.history_files() == []
    assert not applied(wizard)

    # Applying the fresh preview works.
    go_on(wizard)
    wizard.apply_page().apply_button.click()
    assert applied(wizard)
    plan = wizard.state.plan
    assert plan is not None
    assert files.daemon_json.read_bytes() == plan.changes[0].new_bytes


# --- secrets -------------------------------------------------------------------------------------
SECRET = "Tr0ub4dor-and-3"


def test_a_typed_secret_never_shows_unmasked(qtbot: QtBot, files: TargetFiles) -> None:
    wizard = make(qtbot, files, fix_id="client-proxy")
    walk_to(wizard, P.PAGE_SETTINGS)
    proxy = wizard.settings_page().editors["http-proxy"]
    assert proxy.password_edit is not None
    assert proxy.user_edit is not None
    assert proxy.password_edit.echoMode() == proxy.password_edit.EchoMode.Password
    proxy.set_value("http://proxy.corp.example:3128")
    proxy.user_edit.setText("alice")
    proxy.password_edit.setText(SECRET)
    # Typed into the URL box, the login moves out of sight at once.
    https = wizard.settings_page().editors["https-proxy"]
    assert https.line_edit is not None
    https.line_edit.setText(f"http://alice:{SECRET}@proxy.corp.example:3128")
    assert https.line_edit.text() == "http://proxy.corp.example:3128"
    assert https.value() == f"http://alice:{SECRET}@proxy.corp.example:3128"
    assert all(SECRET not in t for t in visible_texts(wizard))

    for page_id in (P.PAGE_PREVIEW, P.PAGE_APPLY, P.PAGE_NEXT, P.PAGE_VERIFY):
        walk_to(wizard, page_id)
        texts = visible_texts(wizard)
        assert all(SECRET not in t for t in texts), f"secret shown on page {page_id}"
        if page_id == P.PAGE_PREVIEW:
            view = wizard.preview_page().diff_view
            assert "****" in view.unified_pane.toPlainText()
            view.set_mode(view.mode().SIDE_BY_SIDE)
            assert "****" in view.new_pane.toPlainText()
            assert SECRET not in view.new_pane.toPlainText()
    # The file itself gets the real password: that is the point of the fix.
    assert SECRET in files.client_config.read_text()


def test_show_toggle_reveals_the_secret_only_in_its_own_box(
    qtbot: QtBot, files: TargetFiles
) -> None:
    wizard = make(qtbot, files, fix_id="client-proxy")
    walk_to(wizard, P.PAGE_SETTINGS)
    proxy = wizard.settings_page().editors["http-proxy"]
    assert proxy.password_edit is not None
    assert proxy.show_button is not None
    proxy.set_value(f"http://bob:{SECRET}@proxy.corp.example:3128")
    assert SECRET not in proxy.password_edit.displayText()
    proxy.show_button.click()
    assert proxy.password_edit.displayText() == SECRET
    proxy.show_button.click()
    assert SECRET not in proxy.password_edit.displayText()


# --- verify ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoEnvResult:
    """What a probe result looks like to the verify page: family, status, summary."""

    family: str
    status: str
    summary: str


def go_env_verifier(goenv: Path, expected: str) -> object:
    """Runs the real ``go env GOPROXY`` against the env file the wizard wrote."""

    def verify(probes: Sequence[str]) -> list[GoEnvResult]:
        env = {**os.environ, "GOENV": str(goenv)}
        env.pop("GOPROXY", None)
        out = subprocess.run(
            ["go", "env", "GOPROXY"], env=env, capture_output=True, text=True, timeout=60
        ).stdout.strip()
        status = "ok" if out == expected else "failed"
        return [GoEnvResult(p, status, f"go env GOPROXY = {out}") for p in probes]

    return verify


def test_verify_runs_the_probes_off_the_ui_thread_and_shows_before_and_after(
    qtbot: QtBot, files: TargetFiles
) -> None:
    if shutil.which("go") is None:
        if os.environ.get("GOBUILDGUI_REQUIRE_TESTBED") == "1":
            pytest.fail("the go tool is not installed (apt-get install golang-go)")
        pytest.skip("the go tool is not installed (apt-get install golang-go)")
    value = "https://goproxy.corp.example,direct"
    before = [GoEnvResult("goproxy", "failed", "dial tcp: i/o timeout")]
    wizard = make(
        qtbot,
        files,
        fix_id="go-proxy",
        verifier=go_env_verifier(files.goenv, value),
        before_results=before,
    )
    walk_to(wizard, P.PAGE_VERIFY, {"GOPROXY": value})
    page = wizard.verify_page()
    assert page.is_running()  # started by the page, running on the pool
    qtbot.waitUntil(lambda: not page.is_running(), timeout=60000)
    items = [page.table.topLevelItem(i) for i in range(page.table.topLevelItemCount())]
    rows = {item.text(0): (item.text(1), item.text(2)) for item in items if item is not None}
    assert rows["goproxy"][0] == "failed: dial tcp: i/o timeout"
    assert rows["goproxy"][1] == f"ok: go env GOPROXY = {value}"
    assert page.status_banner.kind == "success"


def test_verify_never_blocks_the_ui(qtbot: QtBot, files: TargetFiles) -> None:
    release = threading.Event()
    threads: list[str] = []

    def held(probes: Sequence[str]) -> list[GoEnvResult]:
        threads.append(threading.current_thread().name)
        assert release.wait(30)  # runs until the test lets it finish
        return [GoEnvResult(p, "ok", "fine") for p in probes]

    wizard = make(qtbot, files, fix_id="go-proxy", verifier=held)
    walk_to(wizard, P.PAGE_VERIFY)  # returns while the verifier is still held
    page = wizard.verify_page()
    assert page.is_running()
    assert not page.run_button.isEnabled()
    rows = [page.table.topLevelItem(i) for i in range(page.table.topLevelItemCount())]
    assert [r.text(2) for r in rows if r is not None] == ["running\u2026", "running\u2026"]
    qtbot.wait(20)  # the event loop turns while the probes run
    release.set()
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10000)
    assert threads
    assert threads[0] != threading.main_thread().name


def test_without_a_verifier_the_page_says_what_to_run(qtbot: QtBot, files: TargetFiles) -> None:
    wizard = make(qtbot, files, fix_id="go-proxy")
    walk_to(wizard, P.PAGE_VERIFY)
    page = wizard.verify_page()
    assert not page.run_button.isVisibleTo(wizard)
    assert page.how_commands.text.toPlainText() == "gobuildgui probe --only goproxy,sumdb"


# --- opening -------------------------------------------------------------------------------------
def test_symptom_list_leads_to_the_fixes_of_that_symptom(qtbot: QtBot, files: TargetFiles) -> None:
    wizard = make(qtbot, files)
    page = wizard.symptom_page()
    assert not can_go_on(wizard)
    assert page.list.count() >= 2
    texts = [page.list.item(i).text() for i in range(page.list.count())]
    assert any(t.startswith("x509: certificate signed by unknown authority") for t in texts)
    page.list.setCurrentRow(0)
    assert can_go_on(wizard)
    go_on(wizard)
    assert wizard.options_page().radios


def test_opened_with_a_symptom_preselects_it(qtbot: QtBot, files: TargetFiles) -> None:
    wizard = make(qtbot, files, symptom="dns-timeout")
    page = wizard.symptom_page()
    assert can_go_on(wizard)
    assert page.context_banner.isVisibleTo(wizard)
    assert page.chosen() == "dns-timeout"
    go_on(wizard)
    assert {fix for fix, _ in wizard.options_page().radios} == {"daemon-dns", "daemon-mtu"}


def test_unknown_fix_id_falls_back_to_the_symptom_list(qtbot: QtBot, files: TargetFiles) -> None:
    wizard = make(qtbot, files, fix_id="no-such-fix")
    assert not can_go_on(wizard)
    assert "no-such-fix" in wizard.symptom_page().context_banner.text()


# --- other targets, other files, bad files ----------------------------------------------------
def test_dockerfile_fix_from_a_lint_finding_applies_and_undoes(
    qtbot: QtBot, files: TargetFiles
) -> None:
    original = files.snapshot()
    wizard = make(qtbot, files, fix_id="dockerfile-goproxy")
    walk_to(wizard, P.PAGE_APPLY, {"GOPROXY": "https://goproxy.corp.example,direct"})
    assert [str(c.path) for c in wizard.state.plan.changes] == [str(files.dockerfile)]  # type: ignore[union-attr]  # built on the preview page
    wizard.apply_page().apply_button.click()
    text = files.dockerfile.read_text()
    assert "ENV GOPROXY=https://goproxy.corp.example,direct\nRUN go mod download" in text
    assert wizard.undo()
    assert files.snapshot() == original


def test_pointing_at_another_file_edits_that_file(qtbot: QtBot, files: TargetFiles) -> None:
    other = files.root / "other-daemon.json"
    other.write_bytes(b'{\n  "debug": true\n}\n')
    original = files.snapshot()
    wizard = make(qtbot, files, fix_id="daemon-dns")
    walk_to(wizard, P.PAGE_SETTINGS, {})
    target_editor = wizard.settings_page().targets[fixes.Target.DAEMON_JSON]
    target_editor.line_edit.setText(str(files.root))  # a folder is refused
    assert not can_go_on(wizard)
    assert target_editor.error_label.isVisibleTo(wizard)
    target_editor.line_edit.setText(str(other))
    wizard.settings_page().editors["dns"].set_value("10.0.0.2")
    walk_to(wizard, P.PAGE_APPLY)
    wizard.apply_page().apply_button.click()
    assert other.read_text() == '{\n  "debug": true,\n  "dns": [\n    "10.0.0.2"\n  ]\n}\n'
    assert files.daemon_json.read_bytes() == original[files.daemon_json]


def test_invalid_json_is_refused_with_a_way_out_and_nothing_written(
    qtbot: QtBot, files: TargetFiles
) -> None:
    files.daemon_json.write_bytes(b'{\n    "dns": ["10.0.0.1"],\n    "debug": tru\n}\n')
    original = files.snapshot()
    wizard = make(qtbot, files, fix_id="daemon-dns")
    walk_to(wizard, P.PAGE_PREVIEW, {"dns": "10.0.0.2"})
    banner = wizard.preview_page().warnings_banner
    assert banner.kind == "error"
    assert "line 3" in banner.text()
    assert "Nothing was written" in banner.text()
    assert not can_go_on(wizard)
    assert wizard.preview_page().diff_view.diffs() == ()
    wizard.reject()
    assert files.snapshot() == original
    assert files.history_files() == []


def test_settings_start_from_the_environment_and_the_files(
    qtbot: QtBot, files: TargetFiles
) -> None:
    ctx = files.context(
        env={"HOME": str(files.home), "HTTPS_PROXY": "http://proxy.corp.example:8080"}
    )
    wizard = make(qtbot, files, fix_id="client-proxy", fix_context=ctx)
    walk_to(wizard, P.PAGE_SETTINGS)
    assert wizard.settings_page().editors["https-proxy"].value() == (
        "http://proxy.corp.example:8080"
    )
    files.goenv.write_text("GOPROXY=https://athens.corp.example\n")
    wizard2 = make(qtbot, files, fix_id="go-proxy")
    walk_to(wizard2, P.PAGE_SETTINGS)
    assert wizard2.settings_page().editors["GOPROXY"].value() == "https://athens.corp.example"


def test_an_option_presets_the_fields(qtbot: QtBot, files: TargetFiles) -> None:
    wizard = make(qtbot, files, fix_id="go-proxy")
    walk_to(wizard, P.PAGE_OPTIONS)
    radios = wizard.options_page().radios
    radios[("go-proxy", "mirror")][0].setChecked(True)
    go_on(wizard)
    assert wizard.settings_page().editors["GOPROXY"].value() == "https://goproxy.cn,direct"


def test_opened_from_a_lint_finding(qtbot: QtBot, files: TargetFiles) -> None:
    @dataclass(frozen=True)
    class Finding:
        code: str
        message: str
        fix: object | None = None

    wizard = make(qtbot, files, diagnostic=Finding("GB110", "GOPROXY=direct before download"))
    assert can_go_on(wizard)
    assert "GB110" in wizard.symptom_page().context_banner.text()
    go_on(wizard)
    assert {fix for fix, _ in wizard.options_page().radios} == {"dockerfile-goproxy"}


def test_closing_while_the_checks_run_is_safe(qtbot: QtBot, files: TargetFiles) -> None:
    calls: list[Sequence[str]] = []
    release = threading.Event()

    def held(probes: Sequence[str]) -> list[GoEnvResult]:
        calls.append(probes)
        assert release.wait(30)
        return [GoEnvResult(p, "ok", "fine") for p in probes]

    wizard = make(qtbot, files, fix_id="go-proxy", verifier=held)
    walk_to(wizard, P.PAGE_VERIFY)
    assert wizard.verify_page().is_running()
    wizard.reject()
    wizard.deleteLater()
    qtbot.wait(10)
    release.set()  # the results arrive after the wizard is gone
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)  # the queued results find no page: dropped, not a crash
    assert calls == [("goproxy", "sumdb")]


@pytest.mark.parametrize(
    ("statuses", "kind"),
    [(["ok", "ok"], "success"), (["ok", "failed"], "warning"), (["ok", "skipped"], "info")],
)
def test_verify_summary_says_whether_the_fix_worked(
    qtbot: QtBot, files: TargetFiles, statuses: list[str], kind: str
) -> None:
    def verify(probes: Sequence[str]) -> list[GoEnvResult]:
        return [GoEnvResult(p, s, "checked") for p, s in zip(probes, statuses, strict=True)]

    wizard = make(qtbot, files, fix_id="go-proxy", verifier=verify)
    walk_to(wizard, P.PAGE_VERIFY)
    page = wizard.verify_page()
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10000)
    assert page.status_banner.kind == kind
