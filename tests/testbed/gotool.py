"""The real ``go`` tool (Debian's golang-go, go1.19) in a fully isolated environment."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.testbed._util import TestbedError, make_tempdir, need_binary
from tests.testbed.goproxy import MODULE
from tests.testbed.netns import Netns

APP_MODULE = "gbg.test/app"


@dataclass(frozen=True)
class GoResult:
    rc: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.rc == 0

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class GoTool:
    """Runs ``go mod download -x`` in a fresh temp module that requires the served module.

    Every run gets a new GOPATH/GOMODCACHE/GOCACHE/HOME (so nothing comes from a cache) and
    an environment built from scratch: nothing of the developer's GOPROXY, GOFLAGS, proxies
    or SSL_CERT_FILE leaks in. Defaults: ``GOFLAGS=-mod=mod``, ``GOSUMDB=off`` (the test
    checksum database cannot sign), ``GOENV`` pointing at a file in the temp dir.
    With ``netns=`` the command runs under ``ip netns exec`` (the namespace's resolv.conf).
    Without it, only loopback URLs are allowed (a host name, ``direct`` or a live GOSUMDB
    would send a DNS query to the machine's real resolver): :class:`TestbedError` otherwise.
    """

    def __init__(self) -> None:
        self.binary = need_binary("go", package="golang-go")
        self.root = make_tempdir("go")
        self._runs = 0

    def version(self) -> str:
        proc = subprocess.run(
            [self.binary, "version"], capture_output=True, text=True, timeout=30, check=False
        )
        return proc.stdout.strip()

    def environment(self, workdir: Path, env: Mapping[str, str]) -> dict[str, str]:
        base = {
            "PATH": os.path.dirname(self.binary) + ":/usr/bin:/bin",
            "HOME": str(workdir / "home"),
            "GOPATH": str(workdir / "gopath"),
            "GOMODCACHE": str(workdir / "modcache"),
            "GOCACHE": str(workdir / "cache"),
            "GOENV": str(workdir / "goenv"),
            "GOFLAGS": "-mod=mod",
            "GOSUMDB": "off",
            "GO111MODULE": "on",
            "CGO_ENABLED": "0",
            "GIT_TERMINAL_PROMPT": "0",
        }
        base.update(env)
        return base

    def download(
        self,
        goproxy: str,
        *,
        env: Mapping[str, str] | None = None,
        requires: Sequence[tuple[str, str]] = ((MODULE, "v1.0.0"),),
        go_sum: str | None = None,
        netns: Netns | None = None,
        timeout: float = 60.0,
        args: Sequence[str] = ("mod", "download", "-x"),
    ) -> GoResult:
        """``GOPROXY=<goproxy> go mod download -x``; ``env`` adds or overrides variables.

        ``go_sum`` writes a go.sum first (e.g. a wrong hash to provoke a checksum mismatch).
        """
        self._runs += 1
        workdir = self.root / f"run{self._runs}"
        app = workdir / "app"
        app.mkdir(parents=True)
        (workdir / "home").mkdir()
        require = "".join(f"\t{m} {v}\n" for m, v in requires)
        (app / "go.mod").write_text(f"module {APP_MODULE}\n\ngo 1.19\n\nrequire (\n{require})\n")
        if go_sum is not None:
            (app / "go.sum").write_text(go_sum)
        full_env = self.environment(workdir, {"GOPROXY": goproxy, **(env or {})})
        if netns is None:
            _refuse_leaks(full_env)
        cmd = [self.binary, *args]
        if netns is not None:
            cmd = [*netns.prefix(), *cmd]
        start = time.monotonic()
        try:
            proc = subprocess.run(
                cmd,
                cwd=app,
                env=full_env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            return GoResult(
                -1, _text(exc.stdout), _text(exc.stderr), time.monotonic() - start, True
            )
        return GoResult(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


_LOOPBACK_HOSTS = ("localhost", "127.", "[::1]")


def _loopback_url(url: str) -> bool:
    host = urlsplit(url if "://" in url else "//" + url).netloc.rpartition("@")[2]
    return host.startswith(_LOOPBACK_HOSTS)


def _refuse_leaks(env: Mapping[str, str]) -> None:
    """In the root namespace a name lookup would reach the machine's real resolver: refuse.

    Cases with names (``direct``, a real GOSUMDB, host names) belong in a namespace.
    """
    entries = [e for e in re.split(r"[,|]", env.get("GOPROXY", "")) if e and e != "off"]
    bad = [e for e in entries if not _loopback_url(e)]
    sumdb = env.get("GOSUMDB", "")
    if sumdb != "off" and not env.get("GONOSUMDB") and not env.get("GOPRIVATE"):
        bad.append(f"GOSUMDB={sumdb or 'sum.golang.org'}")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        if env.get(name) and not _loopback_url(env[name]):
            bad.append(f"{name}={env[name]}")
    if bad:
        raise TestbedError(
            f"go would look up {', '.join(bad)} with the real resolver; run it with netns="
        )


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode(errors="replace")
