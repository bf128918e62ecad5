"""`gobuildgui probe` as a subprocess: JSON and text output, exit codes, Ctrl+C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.testbed.dns import BlackholeDns, DnsServer
from tests.testbed.goproxy import MODULE, GoModuleProxy

ROOT = Path(__file__).resolve().parents[4]


def _env() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["DOCKER_HOST"] = "unix:///nonexistent/docker.sock"
    return env


def _probe(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gobuildgui", "probe", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=timeout,
        check=False,
    )


def test_json_all_ok_exits_0(dns_server: DnsServer, goproxy: GoModuleProxy) -> None:
    proc = _probe(
        "--only", "dns", "goproxy", "--resolver", f"127.0.0.1:{dns_server.port}",
        "--goproxy", goproxy.url, "--module", f"{MODULE}@v1.0.0", "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert {d["family"] for d in data} == {"dns", "goproxy"}
    assert all(d["status"] == "ok" for d in data)
    assert {
        "probe_id",
        "title",
        "summary",
        "evidence",
        "explanation",
        "fix_ids",
        "duration_s",
    } <= set(data[0])


def test_text_with_a_failure_exits_1(dns_server: DnsServer) -> None:
    proc = _probe(
        "--only", "dns", "goproxy", "--resolver", f"127.0.0.1:{dns_server.port}",
        "--goproxy", "http://nxdomain.test,off",
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert out.startswith("Name resolution\n")
    assert "Go module proxy & checksum DB\n" in out
    assert "  FAILED    nxdomain.test via" in out
    assert "NXDOMAIN" in out
    assert "fix: daemon-dns" in out
    assert out.rstrip().splitlines()[-1].startswith(f"{out.count('  OK  ') + out.count('FAILED')}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "0"], "--timeout must be"),
        (["--dockerfile", "/nonexistent/Dockerfile"], "no such file"),
        (["--only", "nope"], "invalid choice"),
        (["--module", "x"], "PATH@VERSION"),
        (["--resolver", "1.2.3.4:xx"], "bad address"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    proc = _probe(*args)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_ctrl_c_cancels_cleanly(blackhole_dns: BlackholeDns) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gobuildgui", "probe", "--only", "dns",
         "--resolver", f"127.0.0.1:{blackhole_dns.port}", "--timeout", "30"],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.0)
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert time.monotonic() - start < 2.5
    assert "interrupted" in err
    assert "Traceback" not in err
