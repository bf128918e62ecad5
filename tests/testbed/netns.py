"""Network namespaces created by the tests: private loopback worlds, with their own DNS.

A namespace made here has only ``lo``; every connection to a non-loopback address fails at
once with ``Network is unreachable``, so nothing a test does inside can leave the machine.
``/etc/netns/<name>/resolv.conf`` says ``nameserver 127.0.0.1``, which ``ip netns exec``
bind-mounts over ``/etc/resolv.conf`` for the commands it runs; a :class:`DnsServer` started
with ``netns=`` on port 53 answers there.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from tests.testbed._util import TestbedError, name, need_binary, need_root, run

_T = TypeVar("_T")
_CLONE_NEWNET = 0x40000000
_NETNS_DIR = Path("/var/run/netns")
_ETC_NETNS = Path("/etc/netns")


class Netns:
    """A named network namespace ``gbg-<pid>-<suffix>`` with ``lo`` up.

    ``run`` uses ``ip netns exec`` (the namespace's resolv.conf is in place); ``popen`` uses it
    too unless ``resolv=False``, which uses ``nsenter --net=`` instead (required for dockerd,
    which dies under ``ip netns exec`` because that remounts /sys). ``call`` runs a Python
    callable in a thread that joined the namespace: sockets it creates stay in the namespace,
    so in-process servers can listen there.
    """

    def __init__(self, suffix: str, *, nameservers: Sequence[str] = ("127.0.0.1",)) -> None:
        need_root("a network namespace")
        self._ip = need_binary("ip", package="iproute2")
        self._nsenter = need_binary("nsenter", package="util-linux")
        self.name = name(suffix)
        self.path = _NETNS_DIR / self.name
        self.etc_dir = _ETC_NETNS / self.name
        self._nameservers = tuple(nameservers)
        self._alive = False

    def create(self) -> Netns:
        if self.path.exists():  # a leftover of a crashed run with the same pid
            run([self._ip, "netns", "del", self.name], check=False)
        run([self._ip, "netns", "add", self.name])
        self._alive = True
        run([self._ip, "netns", "exec", self.name, self._ip, "link", "set", "lo", "up"])
        self.etc_dir.mkdir(parents=True, exist_ok=True)
        lines = "".join(f"nameserver {ns}\n" for ns in self._nameservers)
        (self.etc_dir / "resolv.conf").write_text(lines or "# no nameserver\n")
        # Names only this namespace knows, for hosts-file based tests.
        (self.etc_dir / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
        return self

    def __enter__(self) -> Netns:
        return self.create()

    def __exit__(self, *exc: object) -> None:
        self.delete()

    @property
    def resolv_conf(self) -> Path:
        return self.etc_dir / "resolv.conf"

    def prefix(self, *, resolv: bool = True) -> list[str]:
        """The argv prefix that runs a command in this namespace."""
        if resolv:
            return [self._ip, "netns", "exec", self.name]
        return [self._nsenter, f"--net={self.path}"]

    def run(
        self,
        cmd: Sequence[str],
        *,
        timeout: float = 30.0,
        env: dict[str, str] | None = None,
        check: bool = False,
        cwd: str | os.PathLike[str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """A short command inside the namespace; output captured as text."""
        proc = subprocess.run(
            [*self.prefix(), *cmd],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=cwd,
            check=False,
        )
        if check and proc.returncode != 0:
            raise TestbedError(f"in {self.name}: {' '.join(cmd)} -> {proc.stderr.strip()}")
        return proc

    def popen(
        self,
        cmd: Sequence[str],
        *,
        resolv: bool = True,
        stdout: int | IO[Any] | None = subprocess.DEVNULL,
        stderr: int | IO[Any] | None = subprocess.STDOUT,
        env: dict[str, str] | None = None,
    ) -> subprocess.Popen[bytes]:
        """A long-running process in the namespace (its pid is the program's own pid)."""
        return subprocess.Popen(
            [*self.prefix(resolv=resolv), *cmd], stdout=stdout, stderr=stderr, env=env
        )

    def call(self, fn: Callable[[], _T]) -> _T:
        """Run ``fn`` in a thread that entered this namespace; return its result."""
        result: list[_T] = []
        error: list[BaseException] = []

        def body() -> None:
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                fd = os.open(self.path, os.O_RDONLY)
                try:
                    if libc.setns(fd, _CLONE_NEWNET) != 0:
                        err = ctypes.get_errno()
                        raise OSError(err, f"setns({self.name}): {os.strerror(err)}")
                finally:
                    os.close(fd)
                result.append(fn())
            except BaseException as exc:  # handed to the caller's thread
                error.append(exc)

        thread = threading.Thread(target=body, name=f"netns-{self.name}", daemon=True)
        thread.start()
        thread.join()
        if error:
            raise error[0]
        if not result:
            raise TestbedError(f"could not enter namespace {self.name}")
        return result[0]

    def tcp_open(self, host: str, port: int, timeout: float = 0.2) -> bool:
        def probe() -> bool:
            try:
                with socket.create_connection((host, port), timeout=timeout):
                    return True
            except OSError:
                return False

        return self.call(probe)

    def delete(self) -> None:
        if self._alive:
            run([self._ip, "netns", "del", self.name], check=False)
            self._alive = False
        with contextlib.suppress(OSError):
            shutil.rmtree(self.etc_dir)
