"""``gobuildgui.core.build``: real ``docker build`` runs against a dockerd on a temp socket."""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from gobuildgui.core import build
from gobuildgui.core.build import BuildRequest, build_command, run_build, step_of
from tests.testbed.docker import BUSYBOX_IMAGE, Dockerd

SECRET = "s3cretPw-4711"
PROXY = f"http://alice:{SECRET}@127.0.0.1:3128"
NEW_CLI = "/usr/local/bin/docker"  # Docker 28 without buildx on the test machine
DEBIAN_CLI = "/usr/bin/docker"  # Docker 20.10: BuildKit without buildx


@dataclass(frozen=True)
class Daemon:
    host: str
    image: str
    cli: str


@pytest.fixture
def daemon(dockerd: Dockerd) -> Daemon:
    """The test bed's session dockerd, with the CLI to drive it."""
    cli = DEBIAN_CLI if os.access(DEBIAN_CLI, os.X_OK) else shutil.which("docker")
    assert cli is not None
    return Daemon(host=dockerd.host, image=BUSYBOX_IMAGE, cli=cli)


def _builders() -> list[str]:
    return ["classic", "buildkit"]


def _request(
    daemon: Daemon, folder: Path, dockerfile: str, *, builder: str, **kw: object
) -> BuildRequest:
    path = folder / "Dockerfile"
    path.write_text(dockerfile.replace("IMAGE", daemon.image))
    # No network for RUN steps: the daemon has no bridge, and tests never leave loopback.
    kw.setdefault("network", "none")
    return BuildRequest(
        dockerfile=path,
        context=folder,
        docker_host=daemon.host,
        buildkit=builder == "buildkit",
        docker_cli=daemon.cli,
        **kw,  # type: ignore[arg-type]
    )


def _run(request: BuildRequest, **kw: object) -> tuple[build.BuildOutcome, list[str]]:
    lines: list[str] = []
    outcome = run_build(request, on_line=lines.append, timeout=120, **kw)  # type: ignore[arg-type]
    return outcome, lines


def _processes_with(argv: list[str]) -> list[int]:
    wanted = "\0".join(argv).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().rstrip(b"\0")
            except OSError:
                continue
            if cmdline == wanted:
                found.append(int(entry.name))
    return found


# -- pure parts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "step"),
    [
        ("#7 [3/5] RUN go mod download", "#7 [3/5] RUN go mod download"),
        ("#12 [builder 2/6] COPY go.mod go.sum ./", "#12 [builder 2/6] COPY go.mod go.sum ./"),
        ("Step 3/7 : RUN go mod download", "Step 3/7 : RUN go mod download"),
        ("#7 0.512 go: downloading example.com/x v1.0.0", None),
        ("#7 DONE 0.3s", None),
        (" ---> Running in 0123456789ab", None),
        ("", None),
    ],
)
def test_step_of_recognises_buildkit_and_classic_steps(line: str, step: str | None) -> None:
    assert step_of(line) == step


def test_command_keeps_secret_build_args_off_the_command_line(tmp_path: Path) -> None:
    request = BuildRequest(
        dockerfile=tmp_path / "Dockerfile",
        context=tmp_path,
        tag="corp/svc:dev",
        build_args={"HTTP_PROXY": PROXY, "GOPROXY": "https://goproxy.test,direct"},
        target="builder",
        network="host",
        no_cache=True,
        docker_host="unix:///tmp/x.sock",
    )
    choice = build.CliChoice("/usr/bin/docker", buildkit=True)
    argv = build_command(request, choice)
    assert SECRET not in " ".join(argv)
    assert argv[:4] == ["/usr/bin/docker", "--host", "unix:///tmp/x.sock", "build"]
    assert "--progress=plain" in argv
    # The secret is named only; the CLI reads its value from the environment.
    i = argv.index("HTTP_PROXY")
    assert argv[i - 1] == "--build-arg"
    assert "GOPROXY=https://goproxy.test,direct" in argv
    assert argv[-1] == str(tmp_path)
    for flag in ("--no-cache", "--target", "--network", "--tag"):
        assert flag in argv
    plan = build._plan(request, choice, None)
    assert plan.env["HTTP_PROXY"] == PROXY
    assert plan.env["DOCKER_BUILDKIT"] == "1"
    assert "GOPROXY" not in plan.env


def test_a_tcp_daemon_is_kept_off_the_build_proxy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "localhost")
    monkeypatch.delenv("no_proxy", raising=False)
    request = BuildRequest(
        dockerfile=tmp_path / "Dockerfile",
        context=tmp_path,
        build_args={"HTTPS_PROXY": PROXY},
        docker_host="tcp://docker.corp.test:2376",
    )
    env = build._plan(request, build.CliChoice("docker", False), None).env
    assert env["HTTPS_PROXY"] == PROXY
    assert env["NO_PROXY"] == "localhost,docker.corp.test"
    assert env["no_proxy"] == "docker.corp.test"
    # A unix socket never goes through a proxy: nothing added.
    local = BuildRequest(**{**request.__dict__, "docker_host": "unix:///run/docker.sock"})
    assert "NO_PROXY" not in build._plan(local, build.CliChoice("docker", False), None).env


def test_classic_command_has_no_progress_flag(tmp_path: Path) -> None:
    request = BuildRequest(dockerfile=tmp_path / "Dockerfile", context=tmp_path)
    argv = build_command(request, build.CliChoice("docker", buildkit=False))
    assert "--progress=plain" not in argv
    plan = build._plan(request, build.CliChoice("docker", False), None)
    assert plan.env["DOCKER_BUILDKIT"] == "0"


def test_masked_build_args() -> None:
    shown = build.masked_build_args({"HTTPS_PROXY": PROXY, "GOPROXY": "off"})
    assert shown == ["HTTPS_PROXY=http://alice:****@127.0.0.1:3128", "GOPROXY=off"]


def test_missing_cli_and_sdk_is_a_clear_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no docker here
    # The Docker SDK is a dependency, so its absence can only be simulated.
    monkeypatch.setattr(build, "_sdk_available", lambda: False)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    request = BuildRequest(dockerfile=tmp_path / "Dockerfile", context=tmp_path)
    outcome, lines = _run(request)
    assert outcome.rc == 127
    assert outcome.error is not None
    assert "no `docker` command on PATH" in outcome.error
    assert lines == [build.NOTE_PREFIX + outcome.error]


def test_missing_cli_falls_back_to_the_api_and_daemon_down_is_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    host = f"unix://{tmp_path}/down.sock"
    request = BuildRequest(dockerfile=tmp_path / "Dockerfile", context=tmp_path, docker_host=host)
    outcome, lines = _run(request)
    assert lines[0].startswith(build.NOTE_PREFIX + "no `docker` command on PATH")
    assert lines[0].endswith("; using the Docker API instead")
    assert outcome.rc == 1
    assert outcome.error is not None
    assert outcome.error.startswith(f"the Docker daemon at {host} is not reachable")
    assert lines[-1] == build.NOTE_PREFIX + outcome.error


def test_missing_dockerfile_is_a_clear_outcome(tmp_path: Path) -> None:
    if shutil.which("docker") is None:
        pytest.skip("no docker CLI")
    request = BuildRequest(dockerfile=tmp_path / "nope", context=tmp_path)
    outcome, _ = _run(request)
    assert outcome.rc == 2
    assert outcome.error == f"the Dockerfile {tmp_path / 'nope'} does not exist"


def test_buildkit_detection_on_this_machine() -> None:
    if not os.access(DEBIAN_CLI, os.X_OK):
        pytest.skip("Debian's docker CLI is not installed")
    assert build.cli_supports_buildkit(DEBIAN_CLI)  # 20.10: daemon-embedded BuildKit
    if os.access(NEW_CLI, os.X_OK) and not build.cli_supports_buildkit(NEW_CLI):
        # Only that CLI on PATH: BuildKit is impossible, the classic builder runs instead.
        folder = Path(NEW_CLI).parent
        old = os.environ["PATH"]
        os.environ["PATH"] = str(folder)
        try:
            choice = build.choose_cli(buildkit=True)
        finally:
            os.environ["PATH"] = old
        assert choice.buildkit is False
        assert choice.note is not None
        assert "classic builder" in choice.note


def test_buildkit_falls_back_to_the_classic_builder_with_a_note(
    daemon: Daemon, tmp_path: Path
) -> None:
    if not os.access(NEW_CLI, os.X_OK) or build.cli_supports_buildkit(NEW_CLI):
        pytest.skip("needs a Docker 23+ CLI without buildx")
    request = _request(daemon, tmp_path, "FROM IMAGE\nRUN echo fell-back\n", builder="buildkit")
    request = BuildRequest(**{**request.__dict__, "docker_cli": NEW_CLI})
    outcome, lines = _run(request)
    assert outcome.rc == 0, lines
    assert outcome.builder == "classic"
    assert any("BuildKit was requested" in line for line in lines)
    assert "fell-back" in lines


# -- real builds ----------------------------------------------------------------------


@pytest.mark.parametrize("builder", _builders())
def test_successful_build_streams_lines(
    dockerd: Dockerd, daemon: Daemon, tmp_path: Path, builder: str
) -> None:
    request = _request(
        daemon,
        tmp_path,
        "FROM IMAGE\nRUN echo hello-from-build\nRUN echo second-step\n",
        builder=builder,
        tag=f"gbg-test-ok:{builder}",
    )
    outcome, lines = _run(request)
    assert outcome.rc == 0, lines
    assert outcome.succeeded
    assert outcome.builder == builder
    assert outcome.image_id is not None
    assert outcome.image_id.startswith("sha256:")
    assert any(line.endswith("hello-from-build") for line in lines)
    steps = [s for s in map(step_of, lines) if s]
    assert len(steps) >= 2, lines
    assert lines[0].startswith(f"{build.NOTE_PREFIX}{builder} builder: ")
    assert dockerd.cli("image", "inspect", f"gbg-test-ok:{builder}").returncode == 0


@pytest.mark.parametrize("builder", _builders())
def test_failing_run_returns_nonzero_and_streams_the_error(
    daemon: Daemon, tmp_path: Path, builder: str
) -> None:
    request = _request(daemon, tmp_path, "FROM IMAGE\nRUN false\n", builder=builder)
    outcome, lines = _run(request)
    assert outcome.rc != 0
    assert not outcome.succeeded
    assert outcome.image_id is None
    errors = [x for x in lines if "false" in x and ("non-zero code: 1" in x or "exit code: 1" in x)]
    assert errors, lines
    assert errors[-1] in outcome.last_lines


@pytest.mark.parametrize("builder", _builders())
def test_cancel_stops_a_long_build_quickly(daemon: Daemon, tmp_path: Path, builder: str) -> None:
    seconds = "37" if builder == "classic" else "38"  # unique argv to find the process
    request = _request(
        daemon, tmp_path, f"FROM IMAGE\nRUN echo started && sleep {seconds}\n", builder=builder
    )
    token = threading.Event()
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        if line.endswith("started"):
            token.set()

    began = time.monotonic()
    outcome = run_build(request, on_line=on_line, token=token, timeout=120)
    cancel_at = time.monotonic()
    assert token.is_set(), lines
    assert outcome.cancelled
    assert not outcome.succeeded
    assert cancel_at - began < 30
    assert any(line == f"{build.NOTE_PREFIX}build cancelled" for line in lines)
    # The CLI is gone (run_build waited for it); the daemon stops the RUN step soon after.
    deadline = time.monotonic() + 15
    while _processes_with(["sleep", seconds]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _processes_with(["sleep", seconds])


def test_cancel_is_quick(daemon: Daemon, tmp_path: Path) -> None:
    dockerfile = "FROM IMAGE\nRUN echo started && sleep 39\n"
    request = _request(daemon, tmp_path, dockerfile, builder="classic")
    token = threading.Event()
    stamps: dict[str, float] = {}

    def on_line(line: str) -> None:
        if line.endswith("started") and "set" not in stamps:
            stamps["set"] = time.monotonic()
            token.set()

    outcome = run_build(request, on_line=on_line, token=token, timeout=120)
    assert outcome.cancelled
    assert time.monotonic() - stamps["set"] < 2.5


def test_timeout_stops_the_build(daemon: Daemon, tmp_path: Path) -> None:
    request = _request(daemon, tmp_path, "FROM IMAGE\nRUN sleep 36\n", builder="classic")
    lines: list[str] = []
    began = time.monotonic()
    outcome = run_build(request, on_line=lines.append, timeout=3)
    assert time.monotonic() - began < 10
    assert outcome.timed_out
    assert not outcome.cancelled
    assert outcome.error == "the build did not finish within 3 s and was stopped"


@pytest.mark.parametrize("builder", _builders())
def test_build_args_reach_run_and_secrets_stay_masked(
    daemon: Daemon, tmp_path: Path, builder: str
) -> None:
    request = _request(
        daemon,
        tmp_path,
        "FROM IMAGE\nARG GOPROXY\n"
        'RUN echo "goproxy=$GOPROXY" && echo "proxy=$HTTP_PROXY" && echo "len=${#HTTP_PROXY}"\n',
        builder=builder,
        build_args={"HTTP_PROXY": PROXY, "GOPROXY": "http://goproxy.test,direct"},
        no_cache=True,
    )
    shown = " ".join(build_command(request))
    assert SECRET not in shown
    assert "--build-arg HTTP_PROXY " in shown
    outcome, lines = _run(request)
    assert outcome.rc == 0, lines
    text = "\n".join(lines)
    assert SECRET not in text
    assert text.count("goproxy=http://goproxy.test,direct") >= 1
    # The value reached RUN in full (its length), and the log shows it masked.
    assert f"len={len(PROXY)}" in text
    assert "proxy=http://alice:****@127.0.0.1:3128" in text


def test_daemon_down_gives_a_clear_message(tmp_path: Path) -> None:
    cli = shutil.which("docker")
    if cli is None:
        pytest.skip("no docker CLI")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    host = f"unix://{tmp_path}/nobody.sock"
    request = BuildRequest(
        dockerfile=tmp_path / "Dockerfile", context=tmp_path, docker_host=host, docker_cli=cli
    )
    outcome, lines = _run(request)
    assert outcome.rc != 0
    assert outcome.error is not None
    assert "is not reachable" in outcome.error, lines
    assert lines[-1] == build.NOTE_PREFIX + outcome.error


# -- through the Docker API (no CLI) --------------------------------------------------


def _api_request(daemon: Daemon, folder: Path, body: str, **kw: object) -> BuildRequest:
    request = _request(daemon, folder, f"FROM IMAGE\n{body}", builder="classic", **kw)
    return BuildRequest(**{**request.__dict__, "docker_cli": None})


def test_api_build_streams_lines_and_masks(
    daemon: Daemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    (tmp_path / "sub").mkdir()
    request = _api_request(
        daemon,
        tmp_path,
        'RUN echo "api-ok proxy=$HTTP_PROXY"\n',
        build_args={"HTTP_PROXY": PROXY},
        tag="gbg-test-api:ok",
        no_cache=True,
    )
    outcome, lines = _run(request)
    assert outcome.rc == 0, lines
    assert outcome.image_id is not None
    assert outcome.image_id.startswith("sha256:")
    text = "\n".join(lines)
    assert SECRET not in text
    assert "api-ok proxy=http://alice:****@127.0.0.1:3128" in lines
    assert any(step_of(line) for line in lines)


def test_api_build_failure_streams_the_error(
    daemon: Daemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    outcome, lines = _run(_api_request(daemon, tmp_path, "RUN false\n"))
    assert outcome.rc == 1
    assert "The command '/bin/sh -c false' returned a non-zero code: 1" in lines


def test_api_build_cancel_is_quick(
    daemon: Daemon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    request = _api_request(daemon, tmp_path, "RUN echo started && sleep 44\n")
    token = threading.Event()
    stamps: dict[str, float] = {}

    def on_line(line: str) -> None:
        if line.endswith("started") and "set" not in stamps:
            stamps["set"] = time.monotonic()
            token.set()

    outcome = run_build(request, on_line=on_line, token=token, timeout=120)
    assert outcome.cancelled
    assert time.monotonic() - stamps["set"] < 2.5
    deadline = time.monotonic() + 15
    while _processes_with(["sleep", "44"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _processes_with(["sleep", "44"])
