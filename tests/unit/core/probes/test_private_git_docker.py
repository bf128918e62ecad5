"""Private git host probes (HTTPS refs, SSH banner) and the Docker probes without a daemon."""

from __future__ import annotations

import base64
import dataclasses
import socket
from functools import partial
from pathlib import Path

from gobuildgui.core.probes import ProbeResult, ProbeSpec, ProbeTarget, Status, build_plan
from gobuildgui.core.probes.container import dockerfile_base_image, parse_lookup
from gobuildgui.core.probes.netio import HostPort
from gobuildgui.core.probes.private_git import probe_git_https, probe_git_ssh
from tests.testbed.bed import CREDENTIALS, GIT_ADDRESS, NetnsBed
from tests.testbed.git import PRIVATE_MODULE, GitServer
from tests.testbed.gotool import GoTool
from tests.testbed.tls import CertificateAuthority
from tests.unit.core.probes.helpers import (
    BannerServer,
    BlackholeTcp,
    GitHttpServer,
    evidence,
    run_one,
    spec_of,
)


def _https(repo: str) -> ProbeSpec:
    return ProbeSpec(
        "g", "private-git", "t", partial(probe_git_https, target=ProbeTarget(), repo=repo)
    )


def _ssh(port: int) -> ProbeSpec:
    ep = HostPort("127.0.0.1", port)
    return ProbeSpec("s", "private-git", "t", partial(probe_git_ssh, endpoint=ep))


def test_git_https_refs_credentials_and_missing_repo() -> None:
    with GitHttpServer() as git:
        res = run_one(_https(f"http://127.0.0.1:{git.port}/team/repo"))
        assert res.status is Status.OK, res
    token = "Basic " + base64.b64encode(b"u:p").decode()
    with GitHttpServer(auth=token) as git:
        res = run_one(_https(f"http://127.0.0.1:{git.port}/team/repo"))
        assert res.status is Status.FAILED
        assert "wants credentials (401" in res.summary
        assert "terminal prompts disabled" in res.explanation
        assert res.fix_ids == ("dockerfile-private-auth",)
    with BlackholeTcp() as hole:
        res = run_one(_https(f"{hole.url}/team/repo"), 0.7)
    assert res.status is Status.FAILED
    assert "timeout" in res.summary


def test_git_ssh_banner_refused_and_silence() -> None:
    with BannerServer() as ssh:
        res = run_one(_ssh(ssh.port))
    assert res.status is Status.OK
    assert evidence(res)["banner"].startswith("SSH-2.0-OpenSSH_9.2")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    res = run_one(_ssh(closed))
    assert res.status is Status.FAILED
    assert "connection refused" in res.summary
    with BannerServer(b"HTTP/1.1 400 Bad Request\r\n\r\n") as other:
        res = run_one(_ssh(other.port))
    assert res.status is Status.FAILED
    assert "no SSH banner" in res.summary


def test_plan_for_goprivate() -> None:
    t = ProbeTarget(goprivate="git.corp.test/team/repo,*.other.test")
    ids = [s.probe_id for s in build_plan(t, ["private-git"])]
    assert ids == ["private-git:https:git.corp.test/team/repo", "private-git:ssh:git.corp.test:22"]
    none = build_plan(ProbeTarget(), ["private-git"])
    assert run_one(none[0]).status is Status.SKIPPED


def test_docker_and_container_without_a_daemon(tmp_path: Path) -> None:
    t = ProbeTarget(docker_host=f"unix://{tmp_path}/no.sock", timeout=2)
    plan = build_plan(t, ["docker", "container"])
    res = run_one(spec_of(plan, "docker:daemon"))
    assert res.status is Status.FAILED
    assert res.summary == "no Docker daemon: no daemon socket there"
    for probe_id in ("container:dns", "container:goproxy"):
        res = run_one(spec_of(plan, probe_id))
        assert res.status is Status.FAILED
        assert res.summary.startswith("could not run a container")


def test_dockerfile_base_image(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text(
        "ARG GO=1.22\nFROM alpine AS tools\nFROM golang:${GO}-alpine AS build\n"
        "RUN go mod download\nFROM build AS test\nFROM scratch\n"
    )
    assert dockerfile_base_image(df) == "golang:1.22-alpine"
    assert dockerfile_base_image(tmp_path / "missing") is None
    assert dockerfile_base_image(None) is None


def test_parse_lookup_output_of_busybox_and_getent() -> None:
    ok = [
        "Server:\t\t127.0.0.1",
        "Address:\t127.0.0.1:53",
        "",
        "Name:\tproxy.golang.org",
        "Address: 127.0.0.1",
        "rc=0",
    ]
    assert parse_lookup(ok) == ("ok", "127.0.0.1")
    assert parse_lookup(["** server can't find x.invalid: NXDOMAIN", "rc=1"])[0] == "nxdomain"
    assert parse_lookup(["** server can't find github.com: REFUSED", "rc=1"])[0] == "refused"
    assert parse_lookup([";; connection timed out; no servers could be reached", "rc=1"])[0] == (
        "timeout"
    )
    assert (
        parse_lookup(
            ["nslookup: can't connect to remote host (10.0.0.2): Network is unreachable", "rc=1"]
        )[0]
        == "unreachable"
    )
    assert parse_lookup(["127.0.0.1       proxy.golang.org", "rc=0"])[0] == "ok"
    assert parse_lookup(["rc=2"])[0] == "nxdomain"


def test_real_git_host_credentials_and_go_agrees(
    git_server: GitServer,
    ca: CertificateAuthority,
    netns_bed: NetnsBed,
    go_tool: GoTool,
    tmp_path: Path,
) -> None:
    """git http-backend with basic auth: 401 without credentials (go: terminal prompts
    disabled), the refs with them (from the URL or from .netrc, as go and git read it)."""
    base = ProbeTarget(system_ca_file=ca.ca_pem_path, netrc_file=tmp_path / "no-netrc")

    def probe(url: str, target: ProbeTarget = base) -> ProbeResult:
        spec = ProbeSpec("g", "private-git", "t", partial(probe_git_https, target=target, repo=url))
        return run_one(spec, 10)

    res = probe(git_server.repo_url())
    assert res.status is Status.FAILED
    assert "wants credentials (401" in res.summary
    assert evidence(res)["credentials"] == "none"
    assert probe(git_server.repo_url(credentials=("gbguser", "wrong"))).status is Status.FAILED
    ok = probe(git_server.repo_url(credentials=CREDENTIALS))
    assert ok.status is Status.OK, ok
    assert CREDENTIALS[1] not in str(ok.to_json())
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine {GIT_ADDRESS} login {CREDENTIALS[0]} password {CREDENTIALS[1]}\n")
    netrc.chmod(0o600)
    res = probe(git_server.repo_url(), dataclasses.replace(base, netrc_file=netrc))
    assert res.status is Status.OK, res
    assert evidence(res)["credentials"] == f"{netrc} (login {CREDENTIALS[0]})"

    # go in the bed's namespace: the same host without credentials fails as the probe said.
    assert netns_bed.git.port == 443  # started on first use
    env = {
        "GOPRIVATE": "git.corp.test",
        "SSL_CERT_FILE": str(netns_bed.ca.ca_pem_path),
        "GIT_SSL_CAINFO": str(netns_bed.ca.ca_pem_path),
    }
    go = go_tool.download(
        "http://127.0.0.1:9", env=env, requires=[(PRIVATE_MODULE, "v1.0.0")], netns=netns_bed.netns
    )
    assert not go.ok
    assert "terminal prompts disabled" in go.stderr
    assert "terminal prompts disabled" in probe(git_server.repo_url()).explanation
