"""Benchmark the wizard's preview: how long the diff view takes to show a plan.

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_wizard.py [--lines 2000] [--runs 30]``

Figures printed (median and p95 over many runs, same process):
- reference: the core's ``plan_diff`` + ``side_by_side`` of the plan (the text the view shows);
- diff view: ``DiffView.set_diffs`` of that plan (masking, then the coloured unified
  document), and switching to the side-by-side layout (built on first show), as ratios
  to the reference;
- preview page: the whole ``PreviewPage.refresh`` (plan from disk, masking, rendering).
The plan edits a Dockerfile of ``--lines`` lines in ``--hunks`` places. Goal: the preview
page under the 100 ms a page change may take for realistic files (a few hundred lines).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from gobuildgui.core.fixes import FileChange, FixPlan, plan_diff, side_by_side
from gobuildgui.ui.wizard import catalogue
from gobuildgui.ui.wizard.diffview import DiffMode, DiffView, file_diff
from gobuildgui.ui.wizard.fixwizard import FixWizard


def _times(fn: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _fmt(name: str, times: list[float], reference: float | None = None) -> str:
    med = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    ratio = f"  ({med / reference:.1f}x reference)" if reference else ""
    return f"{name:<24} median {med * 1000:8.2f} ms   p95 {p95 * 1000:8.2f} ms{ratio}"


def make_plan(folder: Path, lines: int, hunks: int) -> tuple[FixPlan, Path]:
    old = "".join(f"RUN echo step {n} && true\n" for n in range(lines))
    step = max(lines // hunks, 1)
    new = "".join(
        (
            f"RUN echo step {n} --changed && true\n"
            if n % step == 0
            else f"RUN echo step {n} && true\n"
        )
        for n in range(lines)
    )
    path = folder / "Dockerfile"
    path.write_text(old)
    change = FileChange(path, old, new, "", "benchmark edit")
    plan = FixPlan("bench", "Benchmark", "many hunks", (change,))
    return plan, path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--hunks", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="gbg-bench-wizard-") as tmp:
        plan, _path = make_plan(Path(tmp), args.lines, args.hunks)
        change = plan.changes[0]

        def reference() -> object:
            return plan_diff(plan), side_by_side(change)

        view = DiffView()
        view.resize(1100, 700)

        def render() -> None:
            view.set_diffs(
                [
                    file_diff(
                        str(change.path),
                        catalogue.diff_text(change, plan),
                        catalogue.diff_rows(change, plan),
                    )
                ]
            )
            app.processEvents()

        wizard = FixWizard(None, plan_factory=lambda: plan)
        wizard.resize(1100, 760)
        wizard.show()
        app.processEvents()

        def side() -> None:
            render()
            view.set_mode(DiffMode.SIDE_BY_SIDE)
            app.processEvents()
            view.set_mode(DiffMode.UNIFIED)

        def page() -> None:
            wizard.preview_page().refresh()
            app.processEvents()

        ref = _times(reference, args.runs)
        ref_med = statistics.median(ref)
        print(f"Dockerfile of {args.lines} lines, {args.hunks} changed lines, {args.runs} runs")
        print(_fmt("reference (core diffs)", ref))
        print(_fmt("diff view, unified", _times(render, args.runs), ref_med))
        print(_fmt("+ side by side shown", _times(side, args.runs), ref_med))
        print(_fmt("preview page refresh", _times(page, args.runs), ref_med))
        wizard.close()


if __name__ == "__main__":
    main()
