"""Benchmark the fix core: planning a daemon.json edit and applying it safely.

Run: ``python benchmarks/bench_fixes.py [--keys 40] [--runs 300]``

Figures printed (median and p95 over many runs, same process):
- plan: ``FIXES["daemon-dns"].build`` on a daemon.json with ``--keys`` members (read,
  parse with offsets, minimal edit, validate, diff-ready FileChange), and the reference
  ``json.loads`` + ``json.dumps`` round trip of the same file (which would lose the
  user's formatting) as a ratio;
- apply: ``apply_plan`` (re-read, backup blob + history index, temp file, fsync, rename,
  fsync folder) against a plain ``Path.write_bytes`` of the same bytes, as a ratio;
- undo: ``History.undo`` of that entry.
Goal: planning well under the 100 ms a wizard page may take to show a preview.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gobuildgui.core.fixes import FIXES, FixContext, History, Target, apply_plan


def _times(fn: Callable[[], object], runs: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _fmt(ts: list[float]) -> str:
    ts = sorted(ts)
    p95 = ts[int(len(ts) * 0.95) - 1]
    return f"median {statistics.median(ts) * 1e3:7.3f} ms, p95 {p95 * 1e3:7.3f} ms"


def _daemon_json(keys: int) -> str:
    members = [
        f'    "x-option-{i}": {{"enabled": true, "values": [{i}, {i + 1}]}}' for i in range(keys)
    ]
    members.append('    "dns": ["127.0.0.53"]')
    return "{\n" + ",\n".join(members) + "\n}\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=40)
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gbg-bench-fixes-") as tmp:
        root = Path(tmp)
        f = root / "daemon.json"
        text = _daemon_json(args.keys)
        f.write_text(text)
        ctx = FixContext(
            platform="linux", env={}, overrides={Target.DAEMON_JSON: f}, service_files=()
        )
        spec = FIXES["daemon-dns"]

        plan_t = _times(lambda: spec.build({"dns": "10.0.0.2, 10.0.0.3"}, ctx), args.runs)
        ref_t = _times(lambda: json.dumps(json.loads(f.read_text()), indent=4), args.runs)
        print(f"daemon.json: {len(text)} bytes, {args.keys + 1} top-level keys")
        print(f"plan  (build daemon-dns):        {_fmt(plan_t)}")
        print(f"ref   (json.loads + json.dumps): {_fmt(ref_t)}")
        print(f"ratio plan/ref: {statistics.median(plan_t) / statistics.median(ref_t):.1f}x")

        history = History(root / "history")
        plans = [spec.build({"dns": f"10.0.0.{i % 2 + 2}"}, ctx) for i in range(2)]
        state = {"n": 0}

        def apply_once() -> None:
            n = state["n"]
            state["n"] = n + 1
            plan = spec.build({"dns": f"10.0.{n % 200}.{n % 250 + 1}"}, ctx)
            apply_plan(plan, history=history)

        apply_t = _times(apply_once, min(args.runs, 100), warmup=2)
        data = plans[0].changes[0].new_bytes
        plain_t = _times(lambda: (root / "plain.json").write_bytes(data), min(args.runs, 100))
        print(f"apply (plan + backup + atomic):  {_fmt(apply_t)}")
        print(f"ref   (Path.write_bytes):        {_fmt(plain_t)}")
        ratio = statistics.median(apply_t) / statistics.median(plain_t)
        print(f"ratio apply/write_bytes: {ratio:.0f}x (fsync of file and folder dominates)")
        undo_t: list[float] = []
        for _ in range(min(20, len(history.entries()))):
            t0 = time.perf_counter()
            history.undo()
            undo_t.append(time.perf_counter() - t0)
        print(f"undo (last applied):             {_fmt(undo_t)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
