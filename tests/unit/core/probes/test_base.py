from __future__ import annotations

import threading
import time

import pytest

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeCancelled,
    ProbeResult,
    ProbeSpec,
    ProbeTimeoutError,
    Status,
    call_in_thread,
)
from gobuildgui.core.secrets import forget_secrets, register_secret


def _spec(func: object) -> ProbeSpec:
    return ProbeSpec("t:one", "tcp", "test probe", func)  # type: ignore[arg-type]


def test_cancel_token() -> None:
    token = CancelToken()
    assert token.wait(0) is False
    token.raise_if_cancelled()
    token.cancel()
    assert token.cancelled
    with pytest.raises(ProbeCancelled):
        token.raise_if_cancelled()
    assert token.wait(5) is True  # returns at once once cancelled


def test_deadline_counts_down_with_its_clock() -> None:
    now = [100.0]
    d = Deadline(2.0, clock=lambda: now[0])
    assert d.remaining() == 2.0
    assert d.slice(0.05) == 0.05
    now[0] = 101.99
    assert d.slice(0.05) == pytest.approx(0.01)
    now[0] = 103.0
    assert d.remaining() == 0.0
    assert d.expired
    with pytest.raises(ProbeTimeoutError, match="within 2 s"):
        d.check(CancelToken())


def test_run_times_and_redacts() -> None:
    register_secret("hunter2-secret")
    try:

        def probe(spec: ProbeSpec, token: CancelToken, deadline: Deadline) -> ProbeResult:
            time.sleep(0.02)
            return spec.result(
                Status.OK,
                "via http://bob:hunter2-secret@proxy:3128",
                [("proxy", "http://bob:hunter2-secret@proxy:3128")],
                "password hunter2-secret",
            )

        res = _spec(probe).run(CancelToken(), 1.0)
    finally:
        forget_secrets()
    assert res.status is Status.OK
    assert res.duration_s >= 0.02
    assert "hunter2" not in res.summary + str(res.evidence) + res.explanation
    assert "****" in res.summary
    assert res.to_json()["status"] == "ok"


def test_run_maps_cancel_timeout_and_bugs() -> None:
    def cancelled(spec: ProbeSpec, token: CancelToken, deadline: Deadline) -> ProbeResult:
        raise ProbeCancelled("x")

    def slow(spec: ProbeSpec, token: CancelToken, deadline: Deadline) -> ProbeResult:
        deadline.check(token)
        time.sleep(deadline.remaining() + 0.01)
        deadline.check(token)
        raise AssertionError("unreachable")

    def buggy(spec: ProbeSpec, token: CancelToken, deadline: Deadline) -> ProbeResult:
        raise KeyError("oops")

    assert _spec(cancelled).run(CancelToken(), 1).status is Status.CANCELLED
    res = _spec(slow).run(CancelToken(), 0.05)
    assert res.status is Status.FAILED
    assert res.summary.startswith("timed out")
    res = _spec(buggy).run(CancelToken(), 1)
    assert res.status is Status.FAILED
    assert "KeyError" in res.summary
    token = CancelToken()
    token.cancel()
    assert _spec(buggy).run(token, 1).status is Status.CANCELLED  # never started


def test_call_in_thread_returns_raises_and_cancels_fast() -> None:
    token = CancelToken()
    assert call_in_thread(lambda: 42, token, Deadline(1)) == 42
    with pytest.raises(ZeroDivisionError):
        call_in_thread(lambda: 1 // 0, token, Deadline(1))
    with pytest.raises(ProbeTimeoutError):
        call_in_thread(lambda: time.sleep(1), token, Deadline(0.1))
    threading.Timer(0.1, token.cancel).start()
    start = time.monotonic()
    with pytest.raises(ProbeCancelled):
        call_in_thread(lambda: time.sleep(3), token, Deadline(5))
    assert time.monotonic() - start < 0.6
