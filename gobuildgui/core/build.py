"""Run ``docker build`` for the open Dockerfile and stream its output (Qt-free).

The docker CLI runs as a subprocess in its own process group, so a cancel or a timeout
stops it and everything it started. Output (stdout and stderr merged) is handed to
``on_line`` one line at a time, in the caller's thread.

Which CLI can use BuildKit differs per machine: Docker >= 23 CLIs need the buildx plugin
(without it ``DOCKER_BUILDKIT=1 docker build`` fails with "BuildKit is enabled but the
buildx component is missing or broken"), while older CLIs (Debian 12's 20.10) use the
daemon's embedded BuildKit. :func:`choose_cli` looks at every ``docker`` on PATH and falls
back to the classic builder, with a note, when none can.

Build-arg values that hold a credential never appear on the command line: they are
passed as ``--build-arg NAME`` (no value), which the CLI reads from its environment.
Every text shown (the command, the notes) goes through :func:`gobuildgui.core.secrets.redact`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

from gobuildgui.core.secrets import redact

NOTE_PREFIX = "gobuildgui: "
DEFAULT_TIMEOUT = 3600.0
GRACE_SECONDS = 3.0
LAST_LINES = 40
_MAX_LINE = 64 * 1024  # a line longer than this is split; keeps memory bounded
_PROBE_TIMEOUT = 10.0

# `#7 [3/5] RUN go mod download`, `#12 [builder 2/6] COPY go.mod ./`, `Step 3/7 : RUN ...`
_BUILDKIT_STEP_RE = re.compile(r"^#\d+ \[(?:[^\]\s]+ )?\d+/\d+\] .+")
_CLASSIC_STEP_RE = re.compile(r"^Step \d+/\d+ : .+")
_DAEMON_DOWN_RE = re.compile(
    r"Cannot connect to the Docker daemon at (?P<host>\S+?)\.? Is the docker daemon running"
    r"|error during connect"
)
_CLI_VERSION_RE = re.compile(r"Docker version (\d+)\.(\d+)")


class CancelToken(Protocol):
    """What :func:`run_build` needs of a cancel token (a :class:`threading.Event` fits)."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class BuildRequest:
    """One ``docker build`` to run. ``build_args`` may hold credentials (proxy URLs)."""

    dockerfile: Path
    context: Path
    tag: str | None = None
    build_args: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None
    network: str | None = None
    no_cache: bool = False
    docker_host: str | None = None
    buildkit: bool = False
    docker_cli: str | None = None  # a specific CLI; None: choose one on PATH


@dataclass(frozen=True)
class BuildOutcome:
    """How a build ended. ``rc`` is the CLI's exit status (negative: killed by a signal)."""

    rc: int
    cancelled: bool
    duration: float
    image_id: str | None
    last_lines: tuple[str, ...]
    timed_out: bool = False
    builder: str = "classic"  # "buildkit" or "classic": what actually ran
    error: str | None = None  # one clear sentence when the build could not run

    @property
    def succeeded(self) -> bool:
        return self.rc == 0 and not self.cancelled and not self.timed_out


@dataclass(frozen=True)
class CliChoice:
    """The docker CLI to run, whether BuildKit is used, and why not if it was wanted."""

    path: str
    buildkit: bool
    note: str | None = None


class DockerCliMissingError(Exception):
    """No docker CLI is installed (or the one configured does not exist)."""


# -- choosing the CLI ---------------------------------------------------------------


def docker_clis() -> tuple[str, ...]:
    """Every distinct ``docker`` executable on PATH, in PATH order."""
    found: list[str] = []
    seen: set[str] = set()
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = shutil.which("docker", path=folder or os.curdir)
        if candidate is None:
            continue
        real = os.path.realpath(candidate)
        if real not in seen:
            seen.add(real)
            found.append(candidate)
    return tuple(found)


def _stamp(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return -1.0


def cli_supports_buildkit(path: str) -> bool:
    """Can ``DOCKER_BUILDKIT=1 <path> build`` work? (buildx present, or a pre-23 CLI)."""
    return _supports_buildkit(path, _stamp(path))


@functools.lru_cache(maxsize=16)
def _supports_buildkit(path: str, _mtime: float) -> bool:
    try:
        buildx = subprocess.run(
            [path, "buildx", "version"],
            capture_output=True,
            timeout=_PROBE_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        if buildx.returncode == 0:
            return True
        version = subprocess.run(
            [path, "--version"],
            capture_output=True,
            text=True,
            timeout=_PROBE_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    m = _CLI_VERSION_RE.search(version.stdout)
    # Before Docker 23 the CLI drove the daemon's embedded BuildKit itself.
    return m is not None and int(m.group(1)) < 23


def choose_cli(buildkit: bool, explicit: str | None = None) -> CliChoice:
    """The CLI for a build; raises :class:`DockerCliMissingError` if there is none."""
    if explicit is not None:
        path = shutil.which(explicit)
        if path is None:
            raise DockerCliMissingError(f"the docker CLI {explicit!r} does not exist")
        candidates: tuple[str, ...] = (path,)
    else:
        candidates = docker_clis()
        if not candidates:
            raise DockerCliMissingError(
                "no `docker` command on PATH: install the Docker CLI (Docker Engine or"
                " Docker Desktop) and try again"
            )
    if not buildkit:
        return CliChoice(candidates[0], buildkit=False)
    for path in candidates:
        if cli_supports_buildkit(path):
            return CliChoice(path, buildkit=True)
    names = ", ".join(candidates)
    return CliChoice(
        candidates[0],
        buildkit=False,
        note=f"BuildKit was requested, but no docker CLI here can use it ({names}: a Docker"
        " 23+ CLI needs the buildx plugin); building with the classic builder instead",
    )


# -- the command --------------------------------------------------------------------


def _secret_value(name: str, value: str) -> bool:
    return redact(value) != value or redact(f"{name}={value}") != f"{name}={value}"


@dataclass(frozen=True)
class _Plan:
    argv: tuple[str, ...]
    env: Mapping[str, str]  # added to the CLI's environment
    choice: CliChoice


def _plan(request: BuildRequest, choice: CliChoice, iidfile: str | None) -> _Plan:
    argv = [choice.path]
    if request.docker_host:
        argv += ["--host", request.docker_host]
    argv.append("build")
    if choice.buildkit:
        argv.append("--progress=plain")
    argv += ["--file", str(request.dockerfile)]
    if request.tag:
        argv += ["--tag", request.tag]
    if request.target:
        argv += ["--target", request.target]
    if request.network:
        argv += ["--network", request.network]
    if request.no_cache:
        argv.append("--no-cache")
    env = {"DOCKER_BUILDKIT": "1" if choice.buildkit else "0", "DOCKER_CLI_HINTS": "false"}
    for name, value in request.build_args.items():
        if _secret_value(name, value):
            # `--build-arg NAME` without a value: the CLI takes it from its environment.
            argv += ["--build-arg", name]
            env[name] = value
        else:
            argv += ["--build-arg", f"{name}={value}"]
    _keep_daemon_off_the_proxy(request.docker_host or os.environ.get("DOCKER_HOST"), env)
    if iidfile is not None:
        argv += ["--iidfile", iidfile]
    argv.append(str(request.context))
    return _Plan(tuple(argv), env, choice)


_PROXY_VARS = frozenset({"http_proxy", "https_proxy", "all_proxy"})


def _keep_daemon_off_the_proxy(host: str | None, env: dict[str, str]) -> None:
    """A proxy put in the CLI's environment (for a build arg) would also carry the CLI's
    own requests to a ``tcp://`` daemon: exempt the daemon's host with NO_PROXY."""
    if not host or not host.startswith(("tcp://", "http://", "https://")):
        return
    if not any(name.lower() in _PROXY_VARS for name in env):
        return
    hostname = urlsplit(host).hostname
    if not hostname:
        return
    for key in ("NO_PROXY", "no_proxy"):
        if key in env:
            continue  # a build arg passed by name: its value must stay the user's
        current = os.environ.get(key, "")
        env[key] = f"{current},{hostname}" if current else hostname


def build_command(request: BuildRequest, choice: CliChoice | None = None) -> list[str]:
    """The command :func:`run_build` runs, masked, for showing (no ``--iidfile``)."""
    if choice is None:
        try:
            choice = choose_cli(request.buildkit, request.docker_cli)
        except DockerCliMissingError:
            choice = CliChoice("docker", request.buildkit)
    return [redact(arg) for arg in _plan(request, choice, None).argv]


def masked_build_args(build_args: Mapping[str, str]) -> list[str]:
    """``NAME=value`` for each build arg, credentials masked (for the UI)."""
    return [redact(f"{name}={value}") for name, value in build_args.items()]


def shell_join(argv: Sequence[str]) -> str:
    """``argv`` as one line for the log (POSIX quoting)."""
    import shlex

    return shlex.join(argv)


def step_of(line: str) -> str | None:
    """The build step a line starts (``#7 [3/5] RUN ...`` or ``Step 3/7 : ...``), else None."""
    text = line.rstrip()
    if _BUILDKIT_STEP_RE.match(text) or _CLASSIC_STEP_RE.match(text):
        return text
    return None


# -- running ------------------------------------------------------------------------


def _reader(stream: IO[bytes], out: queue.Queue[str | None]) -> None:
    try:
        while True:
            raw = stream.readline(_MAX_LINE)
            if not raw:
                break
            out.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
    finally:
        out.put(None)


def _popen_group_options() -> dict[str, Any]:
    """Start the CLI as the leader of its own process group, so a stop reaches its children."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _signal_group(proc: subprocess.Popen[bytes], *, kill: bool) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if sys.platform == "win32":
            # No process groups to signal: the docker CLI ends its own requests on exit.
            if kill:
                proc.kill()
            else:
                proc.terminate()
        else:
            os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)


def _stop(proc: subprocess.Popen[bytes], grace: float) -> None:
    """Terminate the process group, then kill it after ``grace`` seconds."""
    _signal_group(proc, kill=False)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(proc, kill=True)
        proc.wait(timeout=grace)


def run_build(
    request: BuildRequest,
    *,
    on_line: Callable[[str], None],
    token: CancelToken | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    grace: float = GRACE_SECONDS,
) -> BuildOutcome:
    """Run the build; stream each output line to ``on_line``; return how it ended.

    Never raises for an expected failure (no CLI, daemon down, build error): the outcome's
    ``error`` says what happened and a note line was streamed.
    """
    started = time.monotonic()
    last: deque[str] = deque(maxlen=LAST_LINES)

    def emit(line: str) -> None:
        last.append(line)
        on_line(line)

    def note(text: str) -> None:
        emit(NOTE_PREFIX + redact(text))

    try:
        choice = choose_cli(request.buildkit, request.docker_cli)
    except DockerCliMissingError as exc:
        if request.docker_cli is None and _sdk_available():
            # No CLI at all: the Engine API can still run a classic build.
            from gobuildgui.core.build_api import run_build_api

            note(f"{exc}; using the Docker API instead")
            return run_build_api(request, on_line=on_line, token=token, timeout=timeout)
        note(str(exc))
        return BuildOutcome(
            127, False, time.monotonic() - started, None, tuple(last), error=str(exc)
        )
    builder = "buildkit" if choice.buildkit else "classic"
    if choice.note:
        note(choice.note)
    if not request.dockerfile.is_file():
        msg = f"the Dockerfile {request.dockerfile} does not exist"
        note(msg)
        return BuildOutcome(2, False, 0.0, None, tuple(last), builder=builder, error=msg)
    if not request.context.is_dir():
        msg = f"the build context {request.context} is not a folder"
        note(msg)
        return BuildOutcome(2, False, 0.0, None, tuple(last), builder=builder, error=msg)

    with tempfile.TemporaryDirectory(prefix="gobuildgui-build-") as tmp:
        iidfile = os.path.join(tmp, "iid")
        plan = _plan(request, choice, iidfile)
        note(f"{builder} builder: " + shell_join(build_command(request, choice)))
        env = {**os.environ, **plan.env}
        try:
            proc = subprocess.Popen(
                plan.argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                **_popen_group_options(),
            )
        except OSError as exc:
            msg = f"cannot run {choice.path}: {exc.strerror or exc}"
            note(msg)
            return BuildOutcome(
                127,
                False,
                time.monotonic() - started,
                None,
                tuple(last),
                builder=builder,
                error=msg,
            )
        assert proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(
            target=_reader, args=(proc.stdout, lines), name="docker-build-output", daemon=True
        )
        reader.start()
        cancelled = timed_out = False
        deadline = started + timeout
        eof = False
        try:
            while not eof:
                try:
                    item = lines.get(timeout=0.1)
                except queue.Empty:
                    item = ""
                    if proc.poll() is not None and not reader.is_alive():
                        eof = True
                else:
                    if item is None:
                        eof = True
                    else:
                        emit(redact(item))
                        # Drain what is already there before checking the clock again.
                        continue
                if token is not None and token.is_set():
                    cancelled = True
                    break
                if time.monotonic() > deadline:
                    timed_out = True
                    break
        finally:
            if proc.poll() is None:
                _stop(proc, grace)
            rc = proc.wait()
            reader.join(timeout=grace)
            proc.stdout.close()
        while True:  # whatever arrived before the process ended
            try:
                item = lines.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                emit(redact(item))
        error = None
        if cancelled:
            note("build cancelled")
        elif timed_out:
            error = f"the build did not finish within {timeout:g} s and was stopped"
            note(error)
        elif rc != 0:
            error = _explain_failure(last, request)
            if error:
                note(error)
        image_id = None
        if rc == 0 and not cancelled and not timed_out:
            with contextlib.suppress(OSError):
                image_id = Path(iidfile).read_text(encoding="utf-8").strip() or None
        return BuildOutcome(
            rc=rc,
            cancelled=cancelled,
            duration=time.monotonic() - started,
            image_id=image_id,
            last_lines=tuple(last),
            timed_out=timed_out,
            builder=builder,
            error=error,
        )


def _sdk_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("docker") is not None


def _explain_failure(last: Sequence[str], request: BuildRequest) -> str | None:
    for line in last:
        m = _DAEMON_DOWN_RE.search(line)
        if m:
            host = m.group("host") or request.docker_host or "the default socket"
            return (
                f"the Docker daemon at {host} is not reachable: start Docker (or set the"
                " Docker host to a running daemon) and build again"
            )
    return None


# -- the request the app's Build button makes -------------------------------------------

# Docker's predefined build args: the builder passes them to RUN without an ARG line,
# and leaves them out of the image history.
PROXY_BUILD_ARGS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "FTP_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "ftp_proxy",
)
# Go settings reach a RUN step only through an ARG the Dockerfile declares.
GO_BUILD_ARGS = ("GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOFLAGS")


def default_build_request(
    dockerfile: Path,
    *,
    environ: Mapping[str, str] | None = None,
    tag: str | None = None,
) -> BuildRequest:
    """What the app builds for ``dockerfile``: its folder as the context, BuildKit when a
    CLI can, the host's proxy variables as build args (the predefined ones, which need no
    ARG line) and the Go settings the Dockerfile declares with ARG and the host sets.
    """
    env = os.environ if environ is None else environ
    args = {name: env[name] for name in PROXY_BUILD_ARGS if env.get(name)}
    declared = _declared_args(dockerfile)
    args.update({name: env[name] for name in GO_BUILD_ARGS if name in declared and env.get(name)})
    return BuildRequest(
        dockerfile=dockerfile,
        context=dockerfile.parent,
        tag=tag,
        build_args=args,
        docker_host=env.get("DOCKER_HOST") or None,
        buildkit=True,
    )


def _declared_args(dockerfile: Path) -> frozenset[str]:
    """Names of every ARG in ``dockerfile`` (empty when it cannot be read)."""
    from gobuildgui.core.dockerfile.parser import parse
    from gobuildgui.core.dockerfile.source import read_dockerfile

    try:
        text = read_dockerfile(dockerfile).text
    except Exception:  # unreadable now: build without Go args; the build will say why
        return frozenset()
    doc = parse(text)
    return frozenset(
        kv.key for ins in doc.instructions if ins.keyword == "ARG" for kv in ins.key_values
    )
