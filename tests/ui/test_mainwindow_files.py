"""The main window's files: bad inputs, the unsaved-changes guard, reload, save formats, recents."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gobuildgui.core.textfile import UTF8_BOM
from gobuildgui.ui.mainwindow import MainWindow
from gobuildgui.ui.messages import UnsavedChoice
from gobuildgui.ui.settings import CONFIG_DIR_ENV, MAX_RECENT, AppSettings
from tests.ui.window_helpers import LATEST_GO, RecordingMessages, make_window

OTHER = "FROM alpine:3.19\nRUN echo other\n"


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "default-config"))


@pytest.fixture
def messages() -> RecordingMessages:
    return RecordingMessages()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, messages: RecordingMessages) -> MainWindow:
    return make_window(qtbot, tmp_path / "config", messages)


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "proj" / "Dockerfile"
    path.parent.mkdir()
    path.write_text(LATEST_GO, encoding="utf-8")
    return path


@pytest.fixture
def other(tmp_path: Path) -> Path:
    path = tmp_path / "other" / "Dockerfile"
    path.parent.mkdir()
    path.write_text(OTHER, encoding="utf-8")
    return path


def _type(window: MainWindow, text: str) -> None:
    cursor = window.editor().textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText(text)


# -- bad files: a clear message, and the editor keeps what it had ---------------------------


def _assert_unchanged(window: MainWindow, dockerfile: Path) -> None:
    assert window.current_path() == dockerfile
    assert window.editor().toPlainText() == LATEST_GO


def _bad_binary(tmp_path: Path) -> Path:
    path = tmp_path / "Dockerfile.bin"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    return path


def _bad_huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.Dockerfile"
    with path.open("wb") as fh:
        fh.truncate(11 * 1024 * 1024)  # sparse: refused by its size, never read
    return path


def _bad_fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo.Dockerfile"
    os.mkfifo(path)
    return path


def _bad_utf16(tmp_path: Path) -> Path:
    path = tmp_path / "utf16.Dockerfile"
    path.write_bytes("FROM scratch\n".encode("utf-16"))
    return path


def _bad_missing(tmp_path: Path) -> Path:
    return tmp_path / "missing" / "Dockerfile"


def _bad_folder_without_dockerfile(tmp_path: Path) -> Path:
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    (folder / "README.md").write_text("no Dockerfile here\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_bad_binary, "looks like a binary file"),
        (_bad_huge, "too big (11.0 MiB)"),
        (_bad_fifo, "not a regular file"),
        (_bad_utf16, "UTF-16"),
        (_bad_missing, "no such file"),
        (_bad_folder_without_dockerfile, "no Dockerfile in"),
    ],
)
def test_bad_file_keeps_the_editor(
    window: MainWindow,
    messages: RecordingMessages,
    dockerfile: Path,
    tmp_path: Path,
    make: object,
    expected: str,
) -> None:
    window.open_path(dockerfile)
    assert callable(make)
    bad = make(tmp_path)
    assert not window.open_interactively(bad)
    _assert_unchanged(window, dockerfile)
    assert len(messages.warnings) == 1
    assert expected in messages.warnings[0]


def test_read_error_keeps_the_editor(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path
) -> None:
    # A real read() failure that even root gets: /proc/self/mem is a regular file
    # whose first page is unmapped, so reading it fails with EIO.
    mem = Path("/proc/self/mem")
    if not mem.exists():
        pytest.skip("needs Linux /proc")
    window.open_path(dockerfile)
    assert not window.open_interactively(mem)
    _assert_unchanged(window, dockerfile)
    assert len(messages.warnings) == 1
    assert "cannot open /proc/self/mem: input/output error" in messages.warnings[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_keeps_the_editor(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.Dockerfile"
    secret.write_text("FROM scratch\n", encoding="utf-8")
    secret.chmod(0)
    window.open_path(dockerfile)
    assert not window.open_interactively(secret)
    _assert_unchanged(window, dockerfile)
    assert "permission denied" in messages.warnings[0]


def test_unreadable_folder_as_root_is_still_clear(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path, tmp_path: Path
) -> None:
    # What root cannot open: a "Dockerfile" inside a path where a folder is a file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    window.open_path(dockerfile)
    assert not window.open_interactively(blocker / "Dockerfile")
    _assert_unchanged(window, dockerfile)
    assert "not a folder" in messages.warnings[0]


def test_not_utf8_declined_keeps_the_editor(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path, tmp_path: Path
) -> None:
    latin = tmp_path / "latin.Dockerfile"
    latin.write_bytes(b"FROM scratch\n# caf\xe9\n")
    window.open_path(dockerfile)
    messages.encoding_answers = [False]
    assert not window.open_interactively(latin)
    _assert_unchanged(window, dockerfile)
    assert messages.questions[0][0] == "encoding"
    assert "not valid UTF-8" in messages.questions[0][1]
    assert messages.warnings == []


def test_not_utf8_opened_as_latin1_and_saved_back(
    window: MainWindow, messages: RecordingMessages, tmp_path: Path
) -> None:
    latin = tmp_path / "latin.Dockerfile"
    latin.write_bytes(b"FROM scratch\n# caf\xe9\n")
    messages.encoding_answers = [True]
    assert window.open_interactively(latin)
    assert window.editor().toPlainText() == "FROM scratch\n# café\n"
    assert window.format_label.text() == "LATIN-1 · LF"
    _type(window, "# déjà\n")
    assert window.save()
    assert latin.read_bytes() == b"FROM scratch\n# caf\xe9\n# d\xe9j\xe0\n"
    # A character Latin-1 cannot hold is refused with a message; the file stays.
    _type(window, "# \N{SNOWMAN}\n")
    assert not window.save()
    assert "line 4" in messages.warnings[-1]
    assert latin.read_bytes() == b"FROM scratch\n# caf\xe9\n# d\xe9j\xe0\n"
    assert window.is_modified()


# -- the unsaved-changes guard ---------------------------------------------------------------


def test_guard_cancel_keeps_everything(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path, other: Path
) -> None:
    window.open_path(dockerfile)
    _type(window, "RUN echo edited\n")
    messages.unsaved_answers = [UnsavedChoice.CANCEL]
    assert not window.open_interactively(other)
    assert messages.questions == [("unsaved", "Dockerfile")]
    assert window.current_path() == dockerfile
    assert window.editor().toPlainText() == LATEST_GO + "RUN echo edited\n"
    assert window.is_modified()
    assert dockerfile.read_text(encoding="utf-8") == LATEST_GO


def test_guard_discard_opens_the_other_file(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path, other: Path
) -> None:
    window.open_path(dockerfile)
    _type(window, "RUN echo edited\n")
    messages.unsaved_answers = [UnsavedChoice.DISCARD]
    assert window.open_interactively(other)
    assert window.current_path() == other
    assert window.editor().toPlainText() == OTHER
    assert not window.is_modified()
    assert dockerfile.read_text(encoding="utf-8") == LATEST_GO


def test_guard_save_writes_then_opens(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path, other: Path
) -> None:
    window.open_path(dockerfile)
    _type(window, "RUN echo edited\n")
    messages.unsaved_answers = [UnsavedChoice.SAVE]
    assert window.open_interactively(other)
    assert dockerfile.read_text(encoding="utf-8") == LATEST_GO + "RUN echo edited\n"
    assert window.current_path() == other


def test_guard_on_close(
    qtbot: QtBot, window: MainWindow, messages: RecordingMessages, dockerfile: Path
) -> None:
    window.show()
    window.open_path(dockerfile)
    _type(window, "RUN echo edited\n")
    messages.unsaved_answers = [UnsavedChoice.CANCEL]
    assert not window.close()
    assert window.isVisible()
    messages.unsaved_answers = [UnsavedChoice.SAVE]
    assert window.close()
    assert not window.isVisible()
    assert dockerfile.read_text(encoding="utf-8").endswith("RUN echo edited\n")


def test_guard_on_quit_and_close_file(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path
) -> None:
    window.show()
    window.open_path(dockerfile)
    _type(window, "RUN echo edited\n")
    messages.unsaved_answers = [UnsavedChoice.CANCEL, UnsavedChoice.DISCARD]
    window.close_action.trigger()
    assert window.current_path() == dockerfile
    window.close_action.trigger()
    assert window.showing_empty_state
    assert window.problems_view().topLevelItemCount() == 0
    assert dockerfile.read_text(encoding="utf-8") == LATEST_GO
    assert len(messages.questions) == 2


def test_no_question_without_changes(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path, other: Path
) -> None:
    window.open_path(dockerfile)
    assert window.open_interactively(other)
    assert window.close()
    assert messages.questions == []


# -- reload on external change ------------------------------------------------------------------


def test_external_change_reloads_an_unmodified_buffer(
    window: MainWindow, dockerfile: Path, qtbot: QtBot, messages: RecordingMessages
) -> None:
    window.open_path(dockerfile)
    dockerfile.write_text(OTHER, encoding="utf-8")
    qtbot.waitUntil(lambda: window.editor().toPlainText() == OTHER, timeout=5000)
    assert messages.questions == []
    assert "changed on disk" in window.statusBar().currentMessage()
    assert not window.is_modified()
    qtbot.waitUntil(lambda: not window.editor().lint_pending(), timeout=5000)
    assert "DL3007" not in {d.code for d in window.problems_view().diagnostics}
    # The reload is one edit: Undo brings the old text back (as an unsaved change).
    window.undo_action.trigger()
    assert window.editor().toPlainText() == LATEST_GO
    assert window.is_modified()


def test_external_replace_by_rename_is_seen_twice(
    window: MainWindow, dockerfile: Path, qtbot: QtBot
) -> None:
    window.open_path(dockerfile)
    for round_ in range(2):
        text = f"FROM scratch\n# round {round_}\n"
        tmp = dockerfile.with_name(".Dockerfile.swp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, dockerfile)  # how vim and many IDEs save

        def reloaded(expected: str = text) -> bool:
            return window.editor().toPlainText() == expected

        qtbot.waitUntil(reloaded, timeout=5000)


def test_external_change_asks_when_modified(
    window: MainWindow, dockerfile: Path, qtbot: QtBot, messages: RecordingMessages
) -> None:
    window.open_path(dockerfile)
    _type(window, "RUN echo mine\n")
    messages.reload_answers = [False]
    dockerfile.write_text(OTHER, encoding="utf-8")
    qtbot.waitUntil(lambda: ("reload", "Dockerfile") in messages.questions, timeout=5000)
    assert window.editor().toPlainText() == LATEST_GO + "RUN echo mine\n"
    assert "Kept your version" in window.statusBar().currentMessage()

    messages.reload_answers = [True]
    dockerfile.write_text(OTHER + "# again\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.editor().toPlainText() == OTHER + "# again\n", timeout=5000)
    assert len(messages.questions) == 2


def test_touch_without_change_does_nothing(
    window: MainWindow, dockerfile: Path, qtbot: QtBot, messages: RecordingMessages
) -> None:
    window.open_path(dockerfile)
    _type(window, "RUN echo mine\n")
    os.utime(dockerfile)
    qtbot.wait(500)
    window._watcher.check_now()
    assert messages.questions == []


def test_own_save_is_not_an_external_change(
    window: MainWindow, dockerfile: Path, qtbot: QtBot, messages: RecordingMessages
) -> None:
    window.open_path(dockerfile)
    _type(window, "RUN echo mine\n")
    assert window.save()
    _type(window, "RUN echo more\n")
    qtbot.wait(500)
    QApplication.processEvents()
    assert messages.questions == []
    assert window.editor().toPlainText().endswith("RUN echo more\n")


def test_deleted_file_marks_the_buffer(window: MainWindow, dockerfile: Path, qtbot: QtBot) -> None:
    window.open_path(dockerfile)
    dockerfile.unlink()
    qtbot.waitUntil(window.is_modified, timeout=5000)
    assert "deleted or moved" in window.statusBar().currentMessage()
    assert window.save()
    assert dockerfile.read_text(encoding="utf-8") == LATEST_GO


def test_reload_action(window: MainWindow, dockerfile: Path, messages: RecordingMessages) -> None:
    window.open_path(dockerfile)
    _type(window, "RUN echo mine\n")
    messages.unsaved_answers = [UnsavedChoice.CANCEL]
    assert not window.reload()
    assert window.editor().toPlainText().endswith("mine\n")
    messages.unsaved_answers = [UnsavedChoice.DISCARD]
    assert window.reload()
    assert window.editor().toPlainText() == LATEST_GO
    assert not window.is_modified()


# -- saving keeps the file's format ----------------------------------------------------------


def test_save_keeps_crlf_and_bom(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(UTF8_BOM + b"FROM golang:1.22\r\nRUN go mod download\r\n")
    path.chmod(0o640)
    window.open_path(path)
    assert window.editor().toPlainText() == "FROM golang:1.22\nRUN go mod download\n"
    assert window.format_label.text() == "UTF-8 with BOM · CRLF"
    _type(window, "RUN go build ./...\n")
    assert window.save()
    assert path.read_bytes() == (
        UTF8_BOM + b"FROM golang:1.22\r\nRUN go mod download\r\nRUN go build ./...\r\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not window.is_modified()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "config") == ["Dockerfile"]


def test_save_as_moves_the_document(window: MainWindow, dockerfile: Path, tmp_path: Path) -> None:
    window.open_path(dockerfile)
    target = tmp_path / "copy" / "api.Dockerfile"
    target.parent.mkdir()
    (target.parent / "go.mod").write_text("module y\n\ngo 1.23\n", encoding="utf-8")
    assert window.save_as(target)
    assert window.current_path() == target
    assert target.read_text(encoding="utf-8") == LATEST_GO
    assert window.go_label.text() == "go 1.23"
    assert "api.Dockerfile" in window.windowTitle()
    assert window.settings.recent_files()[0] == target


def test_save_failure_keeps_the_edits(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path, tmp_path: Path
) -> None:
    window.open_path(dockerfile)
    _type(window, "RUN echo mine\n")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert not window.save_as(blocker / "Dockerfile")
    assert "Cannot save" in messages.warnings[0]
    assert window.current_path() == dockerfile
    assert window.is_modified()
    assert window.editor().toPlainText().endswith("mine\n")


# -- recent files and window state ---------------------------------------------------------------


def test_recent_files_persist_across_windows(
    qtbot: QtBot, tmp_path: Path, dockerfile: Path, other: Path
) -> None:
    config = tmp_path / "shared-config"
    first = make_window(qtbot, config, RecordingMessages())
    first.open_path(dockerfile)
    first.open_path(other)
    first.close()

    second = make_window(qtbot, config, RecordingMessages())
    assert second.settings.recent_files() == [other, dockerfile]
    labels = [a.text() for a in second.recent_menu.actions() if a.data()]
    assert len(labels) == 2
    assert labels[0].startswith("&1")
    assert "Dockerfile" in labels[0]
    items = [
        second.empty_state.recent_list.item(i).toolTip()
        for i in range(second.empty_state.recent_list.count())
    ]
    assert items == [str(other), str(dockerfile)]
    # Activating a recent entry opens it.
    second.recent_menu.actions()[1].trigger()
    assert second.current_path() == dockerfile
    assert (config / "gobuildgui.ini").is_file()
    assert not (dockerfile.parent / "gobuildgui.ini").exists()


def test_recent_files_are_pruned_capped_and_cleared(tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "cfg")
    files = []
    for i in range(MAX_RECENT + 2):
        f = tmp_path / f"{i}.Dockerfile"
        f.write_text("FROM scratch\n", encoding="utf-8")
        files.append(f)
        settings.add_recent_file(f)
    recent = settings.recent_files()
    assert len(recent) == MAX_RECENT
    assert recent[0] == files[-1]
    files[-1].unlink()
    assert settings.recent_files()[0] == files[-2]
    settings.add_recent_file(files[5])
    assert settings.recent_files()[0] == files[5]
    assert settings.recent_files().count(files[5]) == 1
    settings.clear_recent_files()
    assert AppSettings(tmp_path / "cfg").recent_files() == []


def test_clear_recent_action(window: MainWindow, dockerfile: Path) -> None:
    window.open_path(dockerfile)
    assert window.clear_recent_action.isEnabled()
    window.clear_recent_action.trigger()
    assert window.settings.recent_files() == []
    assert not window.clear_recent_action.isEnabled()


def test_geometry_is_restored(qtbot: QtBot, tmp_path: Path) -> None:
    config = tmp_path / "geo"
    first = make_window(qtbot, config, RecordingMessages())
    first.show()
    first.resize(760, 540)  # inside the offscreen screen (800x600): restore clamps
    first.probes_dock.hide()
    size = (first.width(), first.height())
    assert size != (1200, 800)
    first.close()
    second = make_window(qtbot, config, RecordingMessages())
    second.show()
    assert (second.width(), second.height()) == size
    assert not second.probes_dock.isVisible()


def test_bad_project_configuration_is_reported_and_defaults_apply(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path
) -> None:
    (dockerfile.parent / ".gobuildgui.toml").write_text("ignroe = ['DL3007']\n", encoding="utf-8")
    assert window.open_interactively(dockerfile)
    assert len(messages.warnings) == 1
    assert "configuration was not used" in messages.warnings[0]
    assert ".gobuildgui.toml" in messages.warnings[0]
    assert "DL3007" in {d.code for d in window.problems_view().diagnostics}
    assert "configuration ignored" in window.statusBar().currentMessage()


def test_project_configuration_applies(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path
) -> None:
    (dockerfile.parent / ".gobuildgui.toml").write_text("ignore = ['DL3007']\n", encoding="utf-8")
    assert window.open_interactively(dockerfile)
    assert messages.warnings == []
    assert "DL3007" not in {d.code for d in window.problems_view().diagnostics}


@pytest.mark.parametrize(("answer", "opened"), [("prod.Dockerfile", True), (None, False)])
def test_folder_with_several_dockerfiles_asks_which(
    window: MainWindow,
    messages: RecordingMessages,
    tmp_path: Path,
    answer: str | None,
    opened: bool,
) -> None:
    folder = tmp_path / "multi"
    folder.mkdir()
    (folder / "Dockerfile.dev").write_text(OTHER, encoding="utf-8")
    (folder / "prod.Dockerfile").write_text(LATEST_GO, encoding="utf-8")
    (folder / "README.md").write_text("x", encoding="utf-8")
    messages.file_answers = [answer]
    assert window.open_interactively(folder) is opened
    assert messages.questions == [
        (
            "choose",
            "multi has several Dockerfiles. Which one do you want to open?"
            " ['Dockerfile.dev', 'prod.Dockerfile']",
        )
    ]
    if opened:
        assert window.current_path() == folder / "prod.Dockerfile"
        assert window.editor().toPlainText() == LATEST_GO
    else:
        assert window.showing_empty_state
    assert messages.warnings == []
