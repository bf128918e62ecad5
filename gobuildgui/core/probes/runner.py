"""Run a plan of probes in parallel for the CLI (the GUI uses QThreadPool, same probes).

Every probe gets its own thread, so when every target black-holes the whole suite
takes about one probe timeout rather than the sum of them.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from collections.abc import Callable, Sequence

from gobuildgui.core.probes.base import CancelToken, ProbeResult, ProbeSpec, Status

#: After a cancel, how long to wait for probes to notice before reporting them cancelled.
CANCEL_GRACE_S = 0.5


def run_plan(
    specs: Sequence[ProbeSpec],
    *,
    timeout: float,
    token: CancelToken | None = None,
    on_result: Callable[[ProbeResult], None] | None = None,
    max_workers: int | None = None,
) -> list[ProbeResult]:
    """Run ``specs`` concurrently; return their results in plan order.

    ``on_result`` is called (from the calling thread) as each result arrives. After
    ``token.cancel()`` the results still missing after :data:`CANCEL_GRACE_S` are
    reported as CANCELLED, so the caller never waits on a stuck thread.
    """
    token = token or CancelToken()
    if not specs:
        return []
    results: dict[int, ProbeResult] = {}
    pool = cf.ThreadPoolExecutor(
        max_workers=max_workers or min(64, len(specs)), thread_name_prefix="gbg-probe"
    )
    try:
        futures = {pool.submit(spec.run, token, timeout): i for i, spec in enumerate(specs)}
        pending = set(futures)
        cancelled_at: float | None = None
        while pending:
            done, pending = cf.wait(pending, timeout=0.05, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                res = fut.result()
                results[futures[fut]] = res
                if on_result is not None:
                    on_result(res)
            if token.cancelled:
                cancelled_at = cancelled_at or time.monotonic()
                if time.monotonic() - cancelled_at > CANCEL_GRACE_S:
                    break
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    out: list[ProbeResult] = []
    for i, spec in enumerate(specs):
        got = results.get(i)
        if got is None:
            got = spec.result(Status.CANCELLED, "cancelled before it finished")
            if on_result is not None:
                on_result(got)
        out.append(got)
    return out


def warm_up() -> None:
    """Do the one-time work of a first run now: load and parse the trust stores.

    A GUI calls this in a background thread when its panel opens, so the first run's
    worker threads do not all parse certificate bundles at once (each holds
    the GIL for tens of milliseconds, which would stall the event loop).
    """
    from pathlib import Path

    import certifi

    from gobuildgui.core.probes.httpio import verify_context

    verify_context()
    verify_context(Path(certifi.where()))
