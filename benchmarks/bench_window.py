"""Benchmark the main window's file handling: open, save, reload on an external change.

For generated Go Dockerfiles of 300 and 2,000 lines (``gen_dockerfile.py``), in an
offscreen Qt application, each figure the median of N runs:

- **open**: ``MainWindow.open_path`` (read, decode, fill the editor, watch the file; up
  to 1,000 lines also lint and fill the problems list before it returns, bigger files
  lint on the editor's thread) and **shown**: until the problems list is filled, against
  ``lint()`` of the same text in the same process as the reference (``shown / lint``
  ratio: the window's own overhead);
- **save**: ``MainWindow.save`` (encode, atomic write with fsync, rename);
- **reload**: from an external ``os.replace`` of the file to the editor showing the new
  text (includes the watcher's 150 ms settle time, so compare "reload - settle").

The machine may be shared: rerun and compare.  ``--json`` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_dockerfile import generate
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.ui.filewatch import SETTLE_MS
from gobuildgui.ui.mainwindow import MainWindow
from gobuildgui.ui.messages import Messages
from gobuildgui.ui.settings import AppSettings


@dataclass(frozen=True)
class Figures:
    """Medians in milliseconds for one file size."""

    lines: int
    lint_ms: float
    open_ms: float
    shown_ms: float
    shown_over_lint: float
    save_ms: float
    reload_ms: float
    reload_minus_settle_ms: float


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def measure(lines: int, runs: int, folder: Path) -> Figures:
    """Time open, save and reload of a ``lines``-line Dockerfile in ``folder``."""
    text = generate(lines)
    path = folder / f"bench-{lines}" / "Dockerfile"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    window = MainWindow(settings=AppSettings(folder / f"config-{lines}"), messages=Messages())
    window.show()

    lint_times: list[float] = []
    open_times: list[float] = []
    shown_times: list[float] = []
    save_times: list[float] = []
    reload_times: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        lint(text, project=ProjectContext.for_dockerfile(path))
        lint_times.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        window.open_path(path)
        open_times.append(time.perf_counter() - t0)
        while window.editor().lint_pending():
            QCoreApplication.processEvents()
            time.sleep(0.0005)
        shown_times.append(time.perf_counter() - t0)

        window.editor().textCursor().insertText("# edit\n")
        t0 = time.perf_counter()
        assert window.save()
        save_times.append(time.perf_counter() - t0)

        replaced = text + f"# external {len(reload_times)}\n"
        tmp = path.with_name(".Dockerfile.tmp")
        tmp.write_text(replaced, encoding="utf-8")
        t0 = time.perf_counter()
        os.replace(tmp, path)
        deadline = t0 + 10
        while window.editor().toPlainText() != replaced:
            QCoreApplication.processEvents()
            if time.perf_counter() > deadline:
                raise RuntimeError("the window did not reload within 10 s")
            time.sleep(0.001)
        reload_times.append(time.perf_counter() - t0)
        path.write_text(text, encoding="utf-8")
        QCoreApplication.processEvents()
    window.editor().document().setModified(False)
    window.close()
    # Delete it here, on this thread, once no lint runs: never leave it to the garbage
    # collector, which may run on a lint thread.
    while window.editor().lint_pending():
        QCoreApplication.processEvents()
        time.sleep(0.001)
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()

    lint_ms = _ms(statistics.median(lint_times))
    open_ms = _ms(statistics.median(open_times))
    shown_ms = _ms(statistics.median(shown_times))
    reload_ms = _ms(statistics.median(reload_times))
    return Figures(
        lines=lines,
        lint_ms=lint_ms,
        open_ms=open_ms,
        shown_ms=shown_ms,
        shown_over_lint=round(shown_ms / lint_ms, 2) if lint_ms else 0.0,
        save_ms=_ms(statistics.median(save_times)),
        reload_ms=reload_ms,
        reload_minus_settle_ms=round(reload_ms - SETTLE_MS, 2),
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per size (default 15)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("sizes", nargs="*", type=int, default=[300, 2000])
    ns = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    del app
    with tempfile.TemporaryDirectory(prefix="gbg-bench-window-") as tmp:
        results = [measure(n, ns.runs, Path(tmp)) for n in ns.sizes]
    if ns.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
        return 0
    head = ("lines", "lint", "open", "shown", "shown/lint", "save", "reload")
    print("".join(f"{h:>11}" for h in head))
    for r in results:
        print(
            f"{r.lines:>11} {r.lint_ms:>8.1f}ms {r.open_ms:>8.1f}ms {r.shown_ms:>8.1f}ms"
            f" {r.shown_over_lint:>10.2f} {r.save_ms:>8.1f}ms {r.reload_ms:>8.1f}ms"
        )
    print(f"(reload includes the watcher's {SETTLE_MS} ms settle time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
