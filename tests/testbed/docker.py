"""A real Docker daemon for the tests, and images made without any registry.

dockerd runs with its own socket, data-root and exec-root in a temp dir, no bridge, no
iptables, the vfs storage driver (``Dockerd``), or inside a private namespace where a
bridge is harmless (``Dockerd(netns=...)``). Images come from ``docker import`` of
root filesystems assembled here: ``gbg-busybox:latest`` (busybox-static) and
``gbg-go:1.19`` (busybox + Debian's go binary and the libraries ``ldd`` lists), which can
run a real ``RUN go mod download``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tests.testbed._util import (
    TestbedError,
    make_tempdir,
    need_binary,
    need_root,
    read_tail,
    run,
    stop_process,
    wait_until,
)
from tests.testbed.netns import Netns

BUSYBOX_IMAGE = "gbg-busybox:latest"
GO_IMAGE = "gbg-go:1.19"
_FLAGS_NO_NETWORK = (
    "--bridge=none",
    "--iptables=false",
    "--ip6tables=false",
    "--ip-forward=false",
    "--ip-masq=false",
)
_ERROR_RE = re.compile(
    r"(unable to configure the Docker daemon with file .*|failed to start daemon: .*"
    r"|Status: .*|invalid .*)"
)


def _umount_under(root: Path) -> None:
    """Unmount whatever dockerd left mounted below ``root`` (deepest first)."""
    prefix = str(root)
    mounts = []
    with contextlib.suppress(OSError), open("/proc/self/mounts") as table:
        for line in table:
            target = line.split()[1].replace("\\040", " ")
            if target == prefix or target.startswith(prefix + "/"):
                mounts.append(target)
    for target in sorted(mounts, key=len, reverse=True):
        subprocess.run(["umount", "-l", target], capture_output=True, check=False, timeout=10)


class Dockerd:
    """A dockerd of its own: ``.host`` (``unix://...``), ``.client()`` (docker SDK).

    ``config`` is written as daemon.json and passed with ``--config-file``. With ``netns``
    it is started with ``nsenter --net=`` (not ``ip netns exec``, which breaks cgroups) and
    keeps the default bridge, which then exists only inside that namespace.
    """

    def __init__(
        self,
        *,
        config: Mapping[str, Any] | None = None,
        netns: Netns | None = None,
        storage_driver: str = "vfs",
        extra_flags: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        need_root("dockerd")
        self._binary = need_binary("dockerd", package="docker.io")
        self.dir = make_tempdir("dockerd")
        self.socket = self.dir / "docker.sock"
        self.host = f"unix://{self.socket}"
        self.data_root = self.dir / "data"
        self.exec_root = self.dir / "exec"
        self.log_path = self.dir / "dockerd.log"
        self.config_path: Path | None = None
        if config is not None:
            self.config_path = self.dir / "daemon.json"
            self.config_path.write_text(json.dumps(config, indent=2))
        self.netns = netns
        self._storage = storage_driver
        self._extra = list(extra_flags)
        self._env = dict(env or {})
        self._proc: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        cmd = [
            self._binary,
            f"--host={self.host}",
            f"--data-root={self.data_root}",
            f"--exec-root={self.exec_root}",
            f"--pidfile={self.dir / 'docker.pid'}",
            f"--storage-driver={self._storage}",
        ]
        if self.netns is None:
            cmd += _FLAGS_NO_NETWORK
        if self.config_path is not None:
            cmd.append(f"--config-file={self.config_path}")
        return cmd + self._extra

    def _environment(self) -> dict[str, str]:
        # Nothing of the developer's proxy settings reaches the daemon unless asked for.
        keep = ("PATH", "HOME", "LANG")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update(self._env)
        return env

    def start(self, *, timeout: float = 60.0) -> Dockerd:
        log = self.log_path.open("ab")
        try:
            if self.netns is not None:
                self._proc = self.netns.popen(
                    self.command(), resolv=False, stdout=log, env=self._environment()
                )
            else:
                self._proc = subprocess.Popen(
                    self.command(), stdout=log, stderr=subprocess.STDOUT, env=self._environment()
                )
        finally:
            log.close()
        try:
            wait_until(self._answers, timeout=timeout, what="dockerd", interval=0.1)
        except TestbedError:
            self.stop()
            raise
        return self

    def _answers(self) -> bool:
        if self._proc is None or self._proc.poll() is not None:
            raise TestbedError(f"dockerd exited: {read_tail(self.log_path)}")
        if not self.socket.exists():
            return False
        try:
            client = self.client(timeout=2)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except Exception:
            return False

    def client(self, *, timeout: float = 60) -> Any:
        """A ``docker.DockerClient`` on this daemon's socket (close it when done)."""
        import docker

        return docker.DockerClient(base_url=self.host, timeout=timeout)

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Debian's ``/usr/bin/docker`` (the one that can use BuildKit) on this daemon."""
        binary = "/usr/bin/docker" if os.path.exists("/usr/bin/docker") else "docker"
        return subprocess.run(
            [binary, "-H", self.host, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**self._environment(), "DOCKER_CONFIG": str(self.dir / "client")},
        )

    def build(
        self,
        context: Path,
        *,
        buildkit: bool = False,
        network: str | None = "host",
        build_args: Mapping[str, str] | None = None,
        docker_config: Path | None = None,
        timeout: float = 180,
    ) -> subprocess.CompletedProcess[str]:
        """``docker build`` with Debian's CLI: the log text a user would paste.

        ``buildkit=True`` uses the daemon's built-in BuildKit (``DOCKER_BUILDKIT=1``,
        ``--progress=plain``); otherwise the classic builder. ``docker_config`` is the
        client's config directory (``DOCKER_CONFIG``: its config.json proxies become
        build args); by default an empty one.
        """
        args = ["build", "--no-cache"]
        if network:
            args += ["--network", network]
        for key, value in (build_args or {}).items():
            args += ["--build-arg", f"{key}={value}"]
        if buildkit:
            args += ["--progress=plain"]
        binary = "/usr/bin/docker" if os.path.exists("/usr/bin/docker") else "docker"
        env = {
            **self._environment(),
            "DOCKER_CONFIG": str(docker_config or self.dir / "client"),
            "DOCKER_BUILDKIT": "1" if buildkit else "0",
        }
        return subprocess.run(
            [binary, "-H", self.host, *args, str(context)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=env,
        )

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        stop_process(self._proc, timeout=30)
        self._proc = None
        _umount_under(self.dir)

    def remove(self) -> None:
        """Stop, unmount leftovers and delete the data-root."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Dockerd:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.remove()

    # --- images without a registry ----------------------------------------------------------
    def import_rootfs(self, rootfs: Path, image: str, changes: Sequence[str]) -> None:
        tar_path = rootfs.with_suffix(".tar")
        with tarfile.open(tar_path, "w") as archive:
            archive.add(rootfs, arcname=".")
        repository, _, tag = image.partition(":")
        client = self.client()
        try:
            client.api.import_image_from_file(
                str(tar_path), repository=repository, tag=tag or "latest", changes=list(changes)
            )
        finally:
            client.close()
        tar_path.unlink()

    def ensure_busybox_image(self) -> str:
        if not self._has_image(BUSYBOX_IMAGE):
            rootfs = busybox_rootfs(self.dir / "rootfs-busybox")
            self.import_rootfs(rootfs, BUSYBOX_IMAGE, ["ENV PATH=/bin", 'CMD ["/bin/sh"]'])
            shutil.rmtree(rootfs)
        return BUSYBOX_IMAGE

    def ensure_go_image(self) -> str:
        if not self._has_image(GO_IMAGE):
            rootfs = go_rootfs(self.dir / "rootfs-go")
            self.import_rootfs(
                rootfs,
                GO_IMAGE,
                [
                    "ENV PATH=/usr/local/go/bin:/bin",
                    "ENV GOROOT=/usr/local/go",
                    "ENV GOPATH=/go",
                    "WORKDIR /src",
                    'CMD ["/bin/sh"]',
                ],
            )
            shutil.rmtree(rootfs)
        return GO_IMAGE

    def _has_image(self, image: str) -> bool:
        client = self.client()
        try:
            return any(image in (i.tags or []) for i in client.images.list())
        finally:
            client.close()


def busybox_rootfs(root: Path) -> Path:
    """A root filesystem with busybox-static and its applets as symlinks."""
    busybox = need_binary("busybox", package="busybox-static")
    ldd = run(["ldd", busybox], check=False)
    if "not a dynamic executable" not in ldd.stdout + ldd.stderr and (
        "statically linked" not in ldd.stdout + ldd.stderr
    ):
        raise TestbedError(f"{busybox} is not static (Debian package busybox-static)")
    for sub in ("bin", "etc", "tmp", "proc", "sys", "dev", "root", "go"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(root / "tmp", 0o1777)
    shutil.copy2(busybox, root / "bin" / "busybox")
    applets = run([busybox, "--list"]).stdout.split()
    for applet in applets:
        if applet != "busybox" and not (root / "bin" / applet).exists():
            (root / "bin" / applet).symlink_to("busybox")
    (root / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (root / "etc" / "group").write_text("root:x:0:\n")
    return root


def go_rootfs(root: Path) -> Path:
    """busybox + Debian's go binary as /usr/local/go/bin/go + the shared libraries it needs."""
    busybox_rootfs(root)
    go = Path(os.path.realpath(need_binary("go", package="golang-go")))
    goroot = go.parent.parent
    target = root / "usr" / "local" / "go"
    (target / "bin").mkdir(parents=True)
    (target / "pkg" / "tool").mkdir(parents=True)  # go checks that GOROOT looks like one
    shutil.copy2(go, target / "bin" / "go")
    version = goroot / "VERSION"
    if version.exists():
        shutil.copy2(version, target / "VERSION")
    for lib in _shared_libraries(go):
        dest = root / lib.relative_to("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(lib, dest)
    return root


def _shared_libraries(binary: Path) -> list[Path]:
    out = run(["ldd", str(binary)], check=False).stdout
    libs = []
    for line in out.splitlines():
        match = re.search(r"(/\S+)", line.split("=>")[-1])
        if match:
            path = Path(match.group(1))
            libs.append(path)
            real = Path(os.path.realpath(path))
            if real != path:
                libs.append(real)
    return libs


def run_dockerd_with_config(
    path: Path | str,
    *,
    extra_flags: Sequence[str] = (),
    timeout: float = 20.0,
) -> tuple[int, str]:
    """Start a throwaway dockerd with ``--config-file path``: the exact validation verdict.

    Returns ``(0, "API listen on ...")`` when the daemon came up (it is stopped again at once)
    or ``(rc, message)`` with dockerd's own error line, e.g. ``unable to configure the Docker
    daemon with file X: ...``. This is how a daemon.json is validated where dockerd has no
    ``--validate`` (Docker < 23).
    """
    need_root("dockerd")
    binary = need_binary("dockerd", package="docker.io")
    scratch = make_tempdir("dv")
    sock = scratch / "docker.sock"
    cmd = [
        binary,
        f"--config-file={path}",
        f"--host=unix://{sock}",
        f"--data-root={scratch / 'data'}",
        f"--exec-root={scratch / 'exec'}",
        f"--pidfile={scratch / 'docker.pid'}",
        "--storage-driver=vfs",
        *_FLAGS_NO_NETWORK,
        *extra_flags,
    ]
    log_path = scratch / "dockerd.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env={"PATH": os.environ.get("PATH", "")}
        )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rc = proc.poll()
            text = read_tail(log_path, 20_000)
            if rc is not None:
                return rc, _error_line(text) or text.strip()
            if "API listen on" in text:
                return 0, f"API listen on {sock}"
            time.sleep(0.05)
        return -1, f"dockerd neither failed nor listened within {timeout}s: {text[-500:]}"
    finally:
        stop_process(proc, timeout=30)
        _umount_under(scratch)
        shutil.rmtree(scratch, ignore_errors=True)


def _error_line(log: str) -> str:
    for line in reversed(log.splitlines()):
        match = _ERROR_RE.search(line)
        if match:
            return match.group(1).strip()
    return ""


GO_BUILD_DOCKERFILE = """\
FROM {image}
COPY go.mod ./
ENV GOSUMDB=off GOFLAGS=-mod=mod
ARG GOPROXY
RUN go mod download -x
"""


def go_build_context(
    directory: Path,
    *,
    dockerfile: str | None = None,
    requires: Sequence[tuple[str, str]] = (("example.com/hello", "v1.0.0"),),
) -> Path:
    """A build context whose Dockerfile runs ``go mod download`` on ``gbg-go:1.19``.

    ``GOPROXY`` is a build arg (``--build-arg GOPROXY=http://127.0.0.1:<port>`` with
    ``network="host"`` reaches a :class:`GoModuleProxy` of the same namespace).
    """
    directory.mkdir(parents=True, exist_ok=True)
    require = "".join(f"\t{m} {v}\n" for m, v in requires)
    (directory / "go.mod").write_text(f"module gbg.test/app\n\ngo 1.19\n\nrequire (\n{require})\n")
    text = dockerfile if dockerfile is not None else GO_BUILD_DOCKERFILE.format(image=GO_IMAGE)
    (directory / "Dockerfile").write_text(text)
    return directory
