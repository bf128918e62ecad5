"""Fixtures for the wizard tests: real target files in a temp dir, an undo history there."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QTreeWidget,
    QWidget,
    QWizard,
)

from gobuildgui.core.fixes import FixContext, History, Target
from gobuildgui.core.secrets import forget_secrets

# A daemon.json as people have it: 4-space indent, keys this app does not know.
DAEMON_JSON = (
    "{\n"
    '    "log-driver": "json-file",\n'
    '    "log-opts": {\n'
    '        "max-size": "10m",\n'
    '        "max-file": "3"\n'
    "    },\n"
    '    "x-corp-managed": true,\n'
    '    "storage-driver": "overlay2"\n'
    "}\n"
)
CLIENT_CONFIG = (
    "{\n"
    '\t"auths": {\n'
    '\t\t"registry.corp.example": {\n'
    '\t\t\t"auth": ""\n'
    "\t\t}\n"
    "\t},\n"
    '\t"credsStore": "desktop",\n'
    '\t"currentContext": "default"\n'
    "}"
)
GO_ENV = "GOFLAGS=-mod=mod\nGOPRIVATE=git.corp.example/*\n"
DOCKERFILE = (
    "FROM golang:1.22 AS build\n"
    "WORKDIR /src\n"
    "COPY go.mod go.sum ./\n"
    "RUN go mod download\n"
    "COPY . .\n"
    "RUN go build -o /out/app ./cmd/app\n"
)


@dataclass
class TargetFiles:
    """The temp files a wizard under test edits, and their original bytes."""

    root: Path
    daemon_json: Path
    client_config: Path
    goenv: Path
    dockerfile: Path
    dropin: Path
    history_dir: Path
    home: Path

    def paths(self) -> dict[Target, Path]:
        """Context overrides for ``FixWizard(paths=...)``."""
        return {
            Target.DAEMON_JSON: self.daemon_json,
            Target.CLIENT_CONFIG: self.client_config,
            Target.GO_ENV: self.goenv,
            Target.SYSTEMD_DROPIN: self.dropin,
        }

    def context(self, **changes: object) -> FixContext:
        """A Linux context whose defaults all point into the temp dir."""
        env = {"HOME": str(self.home), "PATH": "/usr/bin:/bin", "GOENV": str(self.goenv)}
        ctx = FixContext.discover(env=env, platform="linux", dockerfile=self.dockerfile)
        # No service units of this machine: their dockerd flags would add warnings.
        return dataclasses.replace(ctx, service_files=(), **changes)  # type: ignore[arg-type]  # FixContext fields

    def history(self) -> History:
        """The undo history of the test."""
        return History(self.history_dir)

    def snapshot(self) -> dict[Path, bytes]:
        """Every file under the temp dir, by path, with its bytes."""
        return {p: p.read_bytes() for p in sorted(self.root.rglob("*")) if p.is_file()}

    def history_files(self) -> list[Path]:
        """Whatever the undo history wrote."""
        if not self.history_dir.exists():
            return []
        return [p for p in self.history_dir.rglob("*") if p.is_file()]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TargetFiles:
    root = tmp_path / "targets"
    root.mkdir()
    daemon = root / "daemon.json"
    daemon.write_bytes(DAEMON_JSON.encode())
    client = root / "config.json"
    client.write_bytes(CLIENT_CONFIG.encode())
    goenv = root / "go-env"
    goenv.write_bytes(GO_ENV.encode())
    dockerfile = root / "Dockerfile"
    dockerfile.write_bytes(DOCKERFILE.encode())
    (root / "go.mod").write_bytes(b"module corp.example/app\n\ngo 1.22\n")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("GOENV", str(goenv))
    monkeypatch.setenv("HOME", str(home))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    return TargetFiles(
        root,
        daemon,
        client,
        goenv,
        dockerfile,
        root / "http-proxy.conf",
        tmp_path / "history",
        home,
    )


@pytest.fixture(autouse=True)
def _no_leaked_secrets() -> Iterator[None]:
    """Secrets registered by one test must not mask text in the next."""
    yield
    forget_secrets()


def visible_texts(root: QWidget) -> list[str]:
    """Every piece of text the wizard can show: labels, boxes, lists, tables, buttons."""
    out: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        out.append(w.windowTitle())
        out.append(w.toolTip())
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QLineEdit):
            out.append(w.displayText())  # what is drawn: bullets for a password
            out.append(w.placeholderText())
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            out.append(w.toPlainText())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QListWidget):
            out.extend(w.item(i).text() for i in range(w.count()))
        elif isinstance(w, QTreeWidget):
            for i in range(w.topLevelItemCount()):
                item = w.topLevelItem(i)
                assert item is not None
                out.extend(item.text(c) for c in range(w.columnCount()))
                out.extend(item.toolTip(c) for c in range(w.columnCount()))
        if isinstance(w, QWizard):
            for page_id in w.pageIds():
                page = w.page(page_id)
                out.extend([page.title(), page.subTitle()])
    return out
