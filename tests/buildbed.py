"""A real dockerd on a socket in a temp dir, with a busybox image imported without a registry.

Root network namespace with the flags of ../shared/knowledge/test-bed.md (no bridge, no
iptables, vfs), its own socket/data-root/exec-root, stopped by PID, mounts left behind
unmounted. Used by the build tests (core and Qt adapter). Skips without root, dockerd or
busybox-static, unless ``GOBUILDGUI_REQUIRE_TESTBED=1`` (CI): then it fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

BUSYBOX = Path("/bin/busybox")
IMAGE = "gbg-busybox:latest"
DEBIAN_CLI = "/usr/bin/docker"


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("GOBUILDGUI_REQUIRE_TESTBED") == "1":
        pytest.fail(f"test bed required but unavailable: {reason}")
    pytest.skip(reason)


@dataclass(frozen=True)
class BuildDaemon:
    host: str  # unix:///tmp/.../docker.sock
    root: Path
    image: str
    cli: str  # a docker CLI that talks to it

    def docker(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.cli, "--host", self.host, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )


def _busybox_tar(dest: Path) -> Path:
    """A 2 MB rootfs: static busybox and its applet links, passwd/group for root."""
    rootfs = dest / "rootfs"
    for sub in ("bin", "etc", "tmp", "proc", "sys", "dev", "root"):
        (rootfs / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy2(BUSYBOX, rootfs / "bin" / "busybox")
    applets = subprocess.run(
        [str(BUSYBOX), "--list"], capture_output=True, text=True, check=True, timeout=10
    ).stdout.split()
    for applet in applets:
        if applet != "busybox":
            (rootfs / "bin" / applet).symlink_to("busybox")
    (rootfs / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (rootfs / "etc" / "group").write_text("root:x:0:\n")
    tar = dest / "busybox.tar"
    with tarfile.open(tar, "w") as out:
        out.add(rootfs, arcname=".")
    return tar


def _umount_below(root: Path) -> None:
    mounts = Path("/proc/self/mounts").read_text().splitlines()
    targets = [line.split()[1] for line in mounts if len(line.split()) > 1]
    for target in sorted(targets, key=len, reverse=True):
        if target == str(root) or target.startswith(f"{root}/"):
            subprocess.run(["umount", "-l", target], capture_output=True, check=False)


@contextlib.contextmanager
def build_daemon() -> Iterator[BuildDaemon]:
    """Start dockerd, import the busybox image, yield, stop it and clean up."""
    if os.geteuid() != 0:
        _unavailable("dockerd needs root")
    dockerd = shutil.which("dockerd")
    cli = DEBIAN_CLI if os.access(DEBIAN_CLI, os.X_OK) else shutil.which("docker")
    if dockerd is None or cli is None:
        _unavailable("dockerd or the docker CLI is not installed (Debian package docker.io)")
    if not BUSYBOX.is_file():
        _unavailable("busybox-static is not installed (/bin/busybox)")
    root = Path(tempfile.mkdtemp(prefix=f"gbg-{os.getpid()}-build-"))
    sock = root / "docker.sock"
    host = f"unix://{sock}"
    pidfile = root / "docker.pid"
    log = (root / "dockerd.log").open("wb")
    proc = subprocess.Popen(
        [
            dockerd,
            "--bridge=none",
            "--iptables=false",
            "--ip6tables=false",
            "--ip-forward=false",
            "--ip-masq=false",
            "--storage-driver=vfs",
            f"--host={host}",
            f"--data-root={root / 'data'}",
            f"--exec-root={root / 'exec'}",
            f"--pidfile={pidfile}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    daemon = BuildDaemon(host=host, root=root, image=IMAGE, cli=cli)
    try:
        deadline = time.monotonic() + 30
        while daemon.docker("version", timeout=10).returncode != 0:
            if proc.poll() is not None or time.monotonic() > deadline:
                text = (root / "dockerd.log").read_text(errors="replace")[-2000:]
                _unavailable(f"dockerd did not start: {text}")
            time.sleep(0.2)
        tar = _busybox_tar(root)
        imported = daemon.docker(
            "import", "-c", "ENV PATH=/bin", "-c", 'CMD ["/bin/sh"]', str(tar), IMAGE
        )
        assert imported.returncode == 0, imported.stderr
        yield daemon
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        log.close()
        _umount_below(root)
        shutil.rmtree(root, ignore_errors=True)
