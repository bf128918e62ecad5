"""GOPROXY protocol and checksum-database probes against the bed's module proxy; go agrees."""

from __future__ import annotations

from functools import partial

import pytest

from gobuildgui.core.probes import ProbeResult, ProbeTarget, Status, build_plan
from gobuildgui.core.probes.goproxy import escape_path
from tests.testbed.bed import NetnsBed
from tests.testbed.goproxy import MODULE, GoModuleProxy
from tests.testbed.gotool import GoTool
from tests.unit.core.probes.helpers import BlackholeTcp, evidence, run_one, spec_of


def _target(goproxy: str, **kw: object) -> ProbeTarget:
    return ProbeTarget(
        goproxy=goproxy,
        module=MODULE,
        version="v1.0.0",
        timeout=2.0,
        **kw,  # type: ignore[arg-type]
    )


def _run(target: ProbeTarget, probe_id: str, timeout: float = 2.0) -> ProbeResult:
    return run_one(spec_of(build_plan(target, ["goproxy", "sumdb"]), probe_id), timeout)


def test_escape_path() -> None:
    assert escape_path("github.com/Azure/Go") == "github.com/!azure/!go"


def test_serves_the_module(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    t = _target(goproxy.url)
    res = run_one(spec_of(build_plan(t, ["goproxy"]), f"goproxy:1:{goproxy.url}"))
    assert res.status is Status.OK, res
    ev = evidence(res)
    for step in ("list", "latest", "info", "mod", "zip"):
        assert "→ 200" in ev[step], step
    chain = run_one(spec_of(build_plan(t, ["goproxy"]), "goproxy:chain"))
    assert chain.status is Status.OK
    assert go_tool.download(goproxy.url).ok


@pytest.mark.parametrize(
    ("status", "go_text"),
    [
        (404, "404 Not Found"),
        (410, "410 Gone"),
        (500, "500 Internal Server Error"),
        (503, "503 Service Unavailable"),
    ],
)
def test_errors_as_the_last_entry(
    goproxy: GoModuleProxy, go_tool: GoTool, status: int, go_text: str
) -> None:
    goproxy.set_fault("*/@v/v1.0.0.*", status=status)
    t = _target(goproxy.url)
    plan = build_plan(t, ["goproxy"])
    entry = run_one(spec_of(plan, f"goproxy:1:{goproxy.url}"))
    chain = run_one(spec_of(plan, "goproxy:chain"))
    go = go_tool.download(goproxy.url)
    assert entry.status is Status.FAILED
    assert chain.status is Status.FAILED
    assert not go.ok
    assert go_text in go.stderr
    assert go_text in entry.summary
    assert f"{status}" in chain.summary


def test_comma_falls_back_only_on_404(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    """`A,B`: A's 404 moves on to B (both succeed); A's 500 stops (both fail)."""
    # One server plays both entries: A is its "/first" prefix, which faults target.
    sub, b = goproxy.url + "/first", goproxy.url.replace("127.0.0.1", "localhost")
    goproxy.set_fault("/first/*", status=404)
    value = f"{sub},{b}"
    plan = build_plan(_target(value), ["goproxy"])
    first = run_one(spec_of(plan, f"goproxy:1:{sub}"))
    chain = run_one(spec_of(plan, "goproxy:chain"))
    assert first.status is Status.WARNING
    assert "moves on to the next entry" in first.summary
    assert chain.status is Status.OK
    assert go_tool.download(value).ok

    goproxy.set_fault("/first/*", status=500)
    plan = build_plan(_target(value), ["goproxy"])
    first = run_one(spec_of(plan, f"goproxy:1:{sub}"))
    chain = run_one(spec_of(plan, "goproxy:chain"))
    go = go_tool.download(value)
    assert first.status is Status.FAILED
    assert "use `|`" in first.explanation
    assert chain.status is Status.FAILED
    assert not go.ok
    assert "500" in go.stderr

    pipe = f"{sub}|{b}"  # `|` falls back on any error: both succeed
    plan = build_plan(_target(pipe), ["goproxy"])
    assert run_one(spec_of(plan, f"goproxy:1:{sub}")).status is Status.WARNING
    assert run_one(spec_of(plan, "goproxy:chain")).status is Status.OK
    assert go_tool.download(pipe).ok


def test_timeout_and_refused(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    goproxy.set_fault("*/@v/v1.0.0.info", delay=10)
    goproxy.set_fault("*/@v/v1.0.0.mod", delay=10)
    plan = build_plan(_target(goproxy.url), ["goproxy"])
    res = run_one(spec_of(plan, f"goproxy:1:{goproxy.url}"), 1.0)
    assert res.status is Status.FAILED
    assert res.summary.endswith("timeout")
    go = go_tool.download(goproxy.url, timeout=3)
    assert go.timed_out  # go has no deadline of its own: it is still waiting
    goproxy.clear_faults()

    with BlackholeTcp() as hole:
        res = run_one(spec_of(build_plan(_target(hole.url), ["goproxy"]), "goproxy:chain"), 1.0)
    assert res.status is Status.FAILED

    dead = "http://127.0.0.1:1"
    res = run_one(spec_of(build_plan(_target(dead), ["goproxy"]), f"goproxy:1:{dead}"))
    go = go_tool.download(dead)
    assert res.status is Status.FAILED
    assert "connection refused" in res.summary
    assert "connection refused" in go.stderr


def test_off_and_direct_and_invalid() -> None:
    plan = build_plan(_target("off"), ["goproxy"])
    assert run_one(spec_of(plan, "goproxy:1:off")).status is Status.FAILED
    assert "GOPROXY=off" in run_one(spec_of(plan, "goproxy:chain")).explanation
    plan = build_plan(_target("direct"), ["goproxy"])
    assert run_one(spec_of(plan, "goproxy:1:direct")).status is Status.SKIPPED
    assert run_one(spec_of(plan, "goproxy:chain")).status is Status.WARNING
    plan = build_plan(_target("ftp://x"), ["goproxy"])
    res = run_one(spec_of(plan, "goproxy:invalid"))
    assert res.status is Status.FAILED
    assert "invalid proxy URL scheme" in res.summary


def test_sumdb_direct_and_through_the_proxy(goproxy: GoModuleProxy) -> None:
    t = _target(goproxy.url, gosumdb=f"sum.golang.org {goproxy.url}")
    res = _run(t, "sumdb:sum.golang.org")
    assert res.status is Status.OK, res
    t = _target(goproxy.url, gosumdb="sum.golang.org")
    goproxy.sumdb_supported = True
    res = _run(t, "sumdb:sum.golang.org")
    assert res.status is Status.OK, res
    assert "proxied by" in evidence(res)["database"]
    assert "/sumdb/sum.golang.org/supported" in goproxy.paths_requested()


def test_sumdb_not_recorded_and_off_and_private(goproxy: GoModuleProxy) -> None:
    t = ProbeTarget(
        goproxy=goproxy.url,
        gosumdb=f"sum.golang.org {goproxy.url}",
        module="git.corp.test/x",
        version="v1.0.0",
    )
    res = _run(t, "sumdb:sum.golang.org")
    assert res.status is Status.FAILED
    assert "has no record" in res.summary
    assert "go-private" in res.fix_ids
    t = _target(goproxy.url, gosumdb="off")
    assert _run(t, "sumdb:off").status is Status.SKIPPED
    t = _target(goproxy.url, goprivate="example.com/*")
    assert _run(t, "sumdb:sum.golang.org").status is Status.SKIPPED


def test_sumdb_unreachable_and_go_agrees(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    goproxy = netns_bed.goproxy
    sumdb = "sum.golang.org http://127.0.0.1:1"
    t = _target(goproxy.url, gosumdb=sumdb)
    res = netns_bed.netns.call(partial(_run, t, "sumdb:sum.golang.org"))
    go = go_tool.download(goproxy.url, env={"GOSUMDB": sumdb}, netns=netns_bed.netns)
    assert res.status is Status.FAILED
    assert "unreachable" in res.summary
    assert not go.ok
    assert "verifying" in go.stderr
    assert "connection refused" in go.stderr


def test_zip_that_stalls_mid_body_and_a_reset(goproxy: GoModuleProxy, go_tool: GoTool) -> None:
    """An MTU-like hang: headers and the first bytes arrive, then nothing."""
    goproxy.set_fault("*/@v/v1.0.0.zip", stall_after=100)
    plan = build_plan(_target(goproxy.url), ["goproxy"])
    res = run_one(spec_of(plan, f"goproxy:1:{goproxy.url}"), 1.0)
    assert res.status is Status.FAILED
    assert res.summary.endswith("timeout")
    assert "→ 200" in evidence(res)["mod"]
    assert "timeout" in evidence(res)["zip"]
    go = go_tool.download(goproxy.url, timeout=3)
    assert go.timed_out  # go waits as long as the connection stays open
    goproxy.clear_faults()

    goproxy.set_fault("*/@v/v1.0.0.mod", reset=True)
    res = run_one(spec_of(plan, f"goproxy:1:{goproxy.url}"))
    go = go_tool.download(goproxy.url)
    assert res.status is Status.FAILED
    assert not go.ok
    assert "connection reset by peer" in go.stderr or "EOF" in go.stderr
