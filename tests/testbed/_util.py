"""Small helpers shared by the test-bed components: names, ports, skipping, processes."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE_ENV = "GOBUILDGUI_REQUIRE_TESTBED"
PID = os.getpid()


class TestbedError(RuntimeError):
    """A test-bed component could not be started although everything it needs is present."""

    __test__ = False  # not a test class, despite the name


def required() -> bool:
    """True when CI demands the whole bed (missing pieces fail instead of skipping)."""
    return os.environ.get(REQUIRE_ENV, "") == "1"


def unavailable(reason: str) -> NoReturn:
    """Skip the current test with ``reason``, or fail it when the bed is required."""
    if required():
        pytest.fail(f"test bed incomplete ({REQUIRE_ENV}=1): {reason}", pytrace=False)
    pytest.skip(reason)


def need_binary(name: str, *, package: str) -> str:
    """The absolute path of ``name``, or skip/fail naming the Debian package to install."""
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/sbin/{name}"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    unavailable(f"{name} not found (Debian package {package})")


def need_root(what: str) -> None:
    if os.geteuid() != 0:
        unavailable(f"{what} needs root")


def name(suffix: str) -> str:
    """A name unique to this test process: ``gbg-<pid>-<suffix>``."""
    return f"gbg-{PID}-{suffix}"


_TEMPDIRS: list[Path] = []


def _world_traversable(directory: str) -> bool:
    try:
        return bool(os.stat(directory).st_mode & 0o001)
    except OSError:
        return False


def make_tempdir(suffix: str, *, shared: bool = False) -> Path:
    """A fresh directory ``/tmp/gbg-<pid>-<suffix>-*``, removed when the process exits.

    ``shared``: a daemon that drops to an unprivileged user must reach it, so it goes
    below a world-traversable directory (/tmp normally; /var/tmp if /tmp is not).
    """
    base = tempfile.gettempdir()
    if shared and not _world_traversable(base):
        base = next((d for d in ("/var/tmp", "/run") if _world_traversable(d)), base)
    path = Path(tempfile.mkdtemp(prefix=name(suffix) + "-", dir=base))
    if not _TEMPDIRS:
        atexit.register(_remove_tempdirs)
    _TEMPDIRS.append(path)
    return path


def _remove_tree(root: Path) -> None:
    def make_writable(func: Callable[..., object], path: str, _exc: object) -> None:
        # The Go module cache is read-only by design; a non-root run must chmod to delete
        # it. Only ever below ``root``: never touch /tmp itself (EBUSY on a leftover mount
        # must not turn into a chmod of the parent).
        parent = os.path.dirname(path)
        if not Path(parent).is_relative_to(root):
            return
        with contextlib.suppress(OSError):
            os.chmod(parent, 0o700)
            if os.path.isdir(path) and not os.path.islink(path):
                os.chmod(path, 0o700)
            func(path)

    shutil.rmtree(root, onerror=make_writable)


def _remove_tempdirs() -> None:
    if os.getpid() != PID:  # a forked child must not delete its parent's files
        return
    for path in _TEMPDIRS:
        if path.exists():  # some were removed already (Dockerd.remove)
            _remove_tree(path)


def free_port(host: str = "127.0.0.1", kind: int = socket.SOCK_STREAM) -> int:
    """A port the kernel just handed out; the caller retries if another process takes it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, kind) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def free_udp_tcp_port(host: str = "127.0.0.1") -> int:
    """A port free for both UDP and TCP (a DNS server needs both)."""
    for _ in range(50):
        port = free_port(host, socket.SOCK_DGRAM)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            try:
                tcp.bind((host, port))
            except OSError:
                continue
            return port
    raise TestbedError("no port free for both UDP and TCP")


def wait_until(
    check: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.02
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        if time.monotonic() > deadline:
            raise TestbedError(f"timed out after {timeout:.1f}s waiting for {what}")
        time.sleep(interval)


def tcp_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def stop_process(
    proc: subprocess.Popen[bytes] | None,
    *,
    timeout: float = 10.0,
    sig: signal.Signals = signal.SIGTERM,
) -> None:
    """``sig`` (TERM), wait, then KILL: only this process (by its pid), never by name."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait(timeout=5)


def stop_pid(pid: int, *, timeout: float = 10.0) -> None:
    """Like :func:`stop_process` for a pid this test started but does not hold a Popen for."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def read_tail(path: Path, limit: int = 2000) -> str:
    try:
        return path.read_text(errors="replace")[-limit:]
    except OSError:
        return ""


def run(
    cmd: Sequence[str],
    *,
    timeout: float = 30.0,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a short command, capture its output, raise :class:`TestbedError` on failure."""
    proc = subprocess.run(
        list(cmd), capture_output=True, text=True, timeout=timeout, check=False, env=env
    )
    if check and proc.returncode != 0:
        raise TestbedError(f"{' '.join(cmd)} -> rc {proc.returncode}: {proc.stderr.strip()}")
    return proc
