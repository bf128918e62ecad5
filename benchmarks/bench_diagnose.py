"""Benchmark the build-log diagnosis on huge logs: throughput and memory.

Run: ``python benchmarks/bench_diagnose.py [--sizes 10 100] [--keep DIR]``

For each size (MB) a log is generated into a temp file in chunks (mostly BuildKit noise:
``go: downloading`` lines, compiler and test output, step headers, with a few real
failures and BuildKit's echo block spread through it), then, each in a fresh process:

- ``diagnose_file()``: wall time and MB/s;
- the same-process reference: reading and UTF-8 decoding the file in the same chunks (the
  floor any streaming diagnoser pays), and the ratio diagnose/read;
- a naive engine on the first 10 MB (every pattern regex on every line), as a ratio;
- memory: ``tracemalloc`` peak during a second diagnosis, and the growth of ``ru_maxrss``
  over the whole run; flat memory means the 100 MB figure equals the 10 MB one.
Goals (issue 6): over 50 MB/s; memory flat in the log size.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gobuildgui.core.diagnose import diagnose_file
from gobuildgui.core.diagnose.engine import CHUNK_SIZE, iter_file_chunks
from gobuildgui.core.diagnose.patterns import PATTERNS

MB = 1 << 20

_PKGS = [
    "github.com/google/uuid", "golang.org/x/net", "golang.org/x/sys", "github.com/spf13/cobra",
    "google.golang.org/grpc", "github.com/prometheus/client_golang", "k8s.io/client-go",
    "github.com/aws/aws-sdk-go-v2/service/s3", "go.uber.org/zap", "github.com/stretchr/testify",
]  # fmt: skip
_ERRORS = [
    'go: github.com/google/uuid@v1.6.0: Get "https://proxy.golang.org/github.com/google/uuid/@v/'
    'v1.6.0.mod": dial tcp: lookup proxy.golang.org on 8.8.8.8:53: read udp '
    "172.17.0.2:51812->8.8.8.8:53: i/o timeout",
    "go: git.corp.example/platform/auth@v0.4.2: reading https://proxy.golang.org/git.corp.example/"
    "platform/auth/@v/v0.4.2.mod: 410 Gone",
    'go: golang.org/x/net@v0.24.0: Get "https://proxy.golang.org/golang.org/x/net/@v/v0.24.0.zip": '
    "tls: failed to verify certificate: x509: certificate signed by unknown authority",
    "go: go.mod requires go >= 1.22.1 (running go 1.21.13; GOTOOLCHAIN=local)",
]


def _noise_line(rng: random.Random, step: int, t: float) -> str:
    pkg = rng.choice(_PKGS)
    kind = rng.random()
    if kind < 0.45:
        body = f"go: downloading {pkg} v1.{rng.randint(0, 40)}.{rng.randint(0, 9)}"
    elif kind < 0.70:
        body = f"{pkg}/internal/{rng.choice(['codec', 'http2', 'trace', 'util'])}"
    elif kind < 0.85:
        body = f"=== RUN   Test{rng.choice(['Parse', 'Dial', 'Codec'])}{rng.randint(1, 999)}"
    elif kind < 0.93:
        body = f"--- PASS: TestParse{rng.randint(1, 999)} (0.{rng.randint(0, 99):02d}s)"
    else:
        body = f"ok  \t{pkg}\t{rng.random():.3f}s"
    return f"#{step} {t:.3f} {body}\n"


def generate(path: Path, size_mb: int, seed: int = 6) -> int:
    """Write a log of about ``size_mb`` MB; return the number of real error lines."""
    rng = random.Random(seed)
    target = size_mb * MB
    written = errors = 0
    step, t = 12, 0.0
    every = max(1, target // 8)  # a few real errors spread through the log
    next_error = every
    with path.open("w", encoding="utf-8") as fh:
        while written < target:
            buf: list[str] = []
            for _ in range(5000):
                t += 0.001
                buf.append(_noise_line(rng, step, t))
            if written >= next_error:
                err = _ERRORS[errors % len(_ERRORS)]
                buf.append(f"#{step} {t:.3f} {err}\n")
                buf.append(
                    f'#{step} ERROR: process "/bin/sh -c go mod download" did not complete '
                    "successfully: exit code: 1\n------\n"
                    f" > [build 4/6] RUN go mod download:\n{t:.3f} {err}\n------\n"
                )
                errors += 1
                step += 1
                next_error += every
            chunk = "".join(buf)
            fh.write(chunk)
            written += len(chunk)
    return errors


def _read_only(path: Path) -> int:
    n = 0
    for chunk in iter_file_chunks(path):
        n += chunk.count("\n")
    return n


def _naive(path: Path, limit: int) -> int:
    """Every pattern on every line: what the prefilter saves."""
    hits = 0
    with path.open(encoding="utf-8", errors="replace") as fh:
        read = 0
        for line in fh:
            read += len(line)
            if read > limit:
                break
            for p in PATTERNS:
                if p.compiled.search(line):
                    hits += 1
                    break
    return hits


def measure(path: Path) -> dict[str, float | str]:
    size = path.stat().st_size / MB
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    _read_only(path)
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    findings = diagnose_file(path)
    t_diag = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    naive_limit = min(path.stat().st_size, 10 * MB)
    t0 = time.perf_counter()
    _naive(path, naive_limit)
    t_naive = (time.perf_counter() - t0) * (path.stat().st_size / naive_limit)
    tracemalloc.start()
    diagnose_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "size_mb": round(size, 1),
        "findings": len(findings),
        "first": findings[0].code if findings else "",
        "diagnose_s": round(t_diag, 3),
        "diagnose_mb_s": round(size / t_diag, 1),
        "read_only_mb_s": round(size / t_read, 1),
        "diagnose_vs_read": round(t_diag / t_read, 2),
        "naive_vs_diagnose": round(t_naive / t_diag, 1),
        "tracemalloc_peak_mb": round(peak / MB, 2),
        "maxrss_growth_mb": round((rss1 - rss0) / 1024, 1),  # ru_maxrss is in KiB on Linux
        "chunk_mb": CHUNK_SIZE / MB,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100], help="log sizes in MB")
    ap.add_argument("--keep", type=Path, help="write the logs here and keep them")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # child process
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    with tempfile.TemporaryDirectory(prefix="gbg-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in args.sizes:
            path = folder / f"build-{size}mb.log"
            t0 = time.perf_counter()
            errors = generate(path, size)
            gen_s = time.perf_counter() - t0
            # A fresh process per size, so ru_maxrss shows this size's memory alone.
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            row = json.loads(out.stdout)
            row["error_lines"] = errors
            row["generate_s"] = round(gen_s, 1)
            rows.append(row)
            print(json.dumps(row))
    if len(rows) >= 2:
        small, big = rows[0], rows[-1]
        print(
            f"memory {small['size_mb']} MB -> {big['size_mb']} MB: tracemalloc peak "
            f"{small['tracemalloc_peak_mb']} -> {big['tracemalloc_peak_mb']} MB, "
            f"ru_maxrss growth {small['maxrss_growth_mb']} -> {big['maxrss_growth_mb']} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
