"""The plan builder and the parallel runner: ids, families, and one timeout for a black hole."""

from __future__ import annotations

import threading
import time

import pytest

from gobuildgui.core.probes import (
    FAMILIES,
    CancelToken,
    ProbeTarget,
    Proxy,
    Resolver,
    Status,
    build_plan,
    run_plan,
)
from gobuildgui.core.probes.netio import HostPort
from tests.testbed.dns import BlackholeDns
from tests.unit.core.probes.helpers import BlackholeTcp


def test_plan_ids_and_families() -> None:
    t = ProbeTarget(
        hosts=("proxy.golang.org",),
        resolvers=(Resolver("host", "127.0.0.1", 5353),),
        proxies=(Proxy("http://127.0.0.1:3128", "https"),),
        goproxy="https://goproxy.test,direct",
        gosumdb="off",
    )
    plan = build_plan(t)
    ids = [s.probe_id for s in plan]
    assert "dns:proxy.golang.org@127.0.0.1:5353" in ids
    assert "dns:goproxy.test@127.0.0.1:5353" in ids
    assert "tcp:goproxy.test:443" in ids
    assert "proxy:https:http://127.0.0.1:3128" in ids
    assert ids.count("goproxy:chain") == 1
    assert "sumdb:off" in ids
    assert {s.family for s in plan} == set(FAMILIES)
    assert len(ids) == len(set(ids))
    assert {s.family for s in build_plan(t, ["dns", "tls"])} == {"dns", "tls"}
    twice = ProbeTarget(resolvers=(Resolver("host", "::1"), Resolver("daemon", "::1")))
    dns_ids = [s.probe_id for s in build_plan(twice, ["dns"])]
    assert dns_ids[0] == "dns:proxy.golang.org@[::1]:53"
    assert len(dns_ids) == len(set(dns_ids)) == len(twice.needed_hosts())
    assert "(host+daemon)" in build_plan(twice, ["dns"])[0].title
    with pytest.raises(ValueError, match="unknown probe families: nope"):
        build_plan(t, ["nope"])


def _blackholed_target(dns: BlackholeDns, hole: BlackholeTcp, timeout: float) -> ProbeTarget:
    return ProbeTarget(
        hosts=("proxy.golang.org", "sum.golang.org"),
        resolvers=(
            Resolver("host", "127.0.0.1", dns.port),
            Resolver("daemon", "127.0.0.1", dns.port),
        ),
        endpoints=(HostPort("127.0.0.1", hole.port),),
        proxies=(Proxy(hole.url, "https"), Proxy(hole.url, "http")),
        goproxy=f"{hole.url},{hole.url}/b|{hole.url}/c",
        gosumdb=f"sum.golang.org {hole.url}",
        goprivate=f"127.0.0.1:{hole.port}/team/repo",
        docker_host=f"tcp://127.0.0.1:{hole.port}",
        timeout=timeout,
    )


def test_black_holed_suite_takes_about_one_timeout(blackhole_dns: BlackholeDns) -> None:
    timeout = 2.0
    with BlackholeTcp() as hole:
        plan = build_plan(_blackholed_target(blackhole_dns, hole, timeout))
        seen: list[str] = []
        start = time.monotonic()
        results = run_plan(plan, timeout=timeout, on_result=lambda r: seen.append(r.probe_id))
        wall = time.monotonic() - start
    assert len(results) == len(plan) == len(seen)
    assert [r.probe_id for r in results] == [s.probe_id for s in plan]
    failed = [r for r in results if r.status is Status.FAILED]
    assert len(failed) >= len(plan) - 3, [(r.probe_id, r.status) for r in results]
    assert wall < 1.3 * timeout, wall


def test_cancel_ends_the_run_quickly(blackhole_dns: BlackholeDns) -> None:
    with BlackholeTcp() as hole:
        plan = build_plan(_blackholed_target(blackhole_dns, hole, 10.0))
        token = CancelToken()
        threading.Timer(0.2, token.cancel).start()
        start = time.monotonic()
        results = run_plan(plan, timeout=10.0, token=token)
        took = time.monotonic() - start
    assert took < 0.2 + 0.8
    # Only probes that finished before the cancel (SSH to 127.0.0.1:22 is refused at
    # once) report anything but CANCELLED.
    late = [
        (r.probe_id, r.summary, r.duration_s) for r in results if r.status is not Status.CANCELLED
    ]
    assert all("refused" in summary for _, summary, _ in late), late
    assert sum(r.status is Status.CANCELLED for r in results) >= len(plan) - 2
