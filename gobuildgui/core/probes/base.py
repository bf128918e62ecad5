"""The probe framework: results, cancel tokens, deadlines and the spec that runs one probe.

A probe is a plain function ``(token, deadline) -> ProbeResult`` bound to its
configuration (see :class:`ProbeSpec`). It never imports Qt; the CLI runs it in a
``ThreadPoolExecutor`` (:mod:`.runner`) and the GUI in a ``QRunnable``. Every blocking
call inside a probe takes ``deadline.remaining()`` as its timeout and is sliced so that
the token is looked at every few tens of milliseconds: threads cannot be killed, so a
probe that honours its token is the only way to stop quickly.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from gobuildgui.core.errors import Error
from gobuildgui.core.ids import PROBE_FAMILIES
from gobuildgui.core.secrets import redact

T = TypeVar("T")

FAMILIES = PROBE_FAMILIES

#: How often a blocking wait wakes up to look at the cancel token (seconds).
SLICE_S = 0.05


class ProbeCancelled(Error):  # noqa: N818 - the name the design uses; it is not an error
    """The run was cancelled; raised by :meth:`CancelToken.raise_if_cancelled`."""


class ProbeTimeoutError(Error):
    """The probe's deadline passed while it waited for something."""


class Status(enum.Enum):
    """A probe's verdict, ordered worst first by :attr:`rank`."""

    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"

    @property
    def rank(self) -> int:
        """Higher is worse: failed 4, warning 3, cancelled 2, skipped 1, ok 0."""
        return _RANK[self]


_RANK = {
    Status.FAILED: 4,
    Status.WARNING: 3,
    Status.CANCELLED: 2,
    Status.SKIPPED: 1,
    Status.OK: 0,
}


class CancelToken:
    """A flag one thread sets and probe threads poll (a ``threading.Event``)."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask every probe holding this token to stop as soon as it can."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise :class:`ProbeCancelled` once :meth:`cancel` was called."""
        if self._event.is_set():
            raise ProbeCancelled("cancelled")

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; return True (early) if cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))


class Deadline:
    """A point in time (monotonic clock) by which a probe must have answered."""

    __slots__ = ("_clock", "_end", "seconds")

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self._end - self._clock())

    @property
    def expired(self) -> bool:
        """Whether no time is left."""
        return self._end - self._clock() <= 0.0

    def slice(self, step: float = SLICE_S) -> float:
        """The timeout for one wait: ``step`` or what is left, whichever is shorter."""
        return min(step, self.remaining())

    def check(self, token: CancelToken) -> None:
        """Raise :class:`ProbeCancelled` or :class:`ProbeTimeoutError` when it is time to stop."""
        token.raise_if_cancelled()
        if self.expired:
            raise ProbeTimeoutError(f"no answer within {self.seconds:g} s")


Evidence = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ProbeResult:
    """What one probe found: a verdict, one line, the evidence and the way out."""

    probe_id: str
    family: str
    title: str
    status: Status
    summary: str
    evidence: Evidence = ()
    explanation: str = ""
    fix_ids: tuple[str, ...] = ()
    duration_s: float = 0.0

    @property
    def failed(self) -> bool:
        """Whether this result makes ``gobuildgui probe`` exit with 1."""
        return self.status is Status.FAILED

    def redacted(self) -> ProbeResult:
        """The same result with every credential masked (see :func:`redact`)."""
        return replace(
            self,
            title=redact(self.title),
            summary=redact(self.summary),
            evidence=tuple((label, redact(value)) for label, value in self.evidence),
            explanation=redact(self.explanation),
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--format json`` item)."""
        return {
            "probe_id": self.probe_id,
            "family": self.family,
            "title": self.title,
            "status": self.status.value,
            "summary": self.summary,
            "evidence": [[label, value] for label, value in self.evidence],
            "explanation": self.explanation,
            "fix_ids": list(self.fix_ids),
            "duration_s": round(self.duration_s, 3),
        }


ProbeFunc = Callable[["ProbeSpec", CancelToken, Deadline], ProbeResult]


@dataclass(frozen=True)
class ProbeSpec:
    """One concrete probe of a plan: its identity and the function that runs it.

    ``func(spec, token, deadline)`` is usually a ``functools.partial`` of a probe
    function with its configuration bound as keywords.
    """

    probe_id: str
    family: str
    title: str
    func: ProbeFunc = field(compare=False, repr=False)

    def result(
        self,
        status: Status,
        summary: str,
        evidence: Iterable[tuple[str, str]] = (),
        explanation: str = "",
        fix_ids: Iterable[str] = (),
    ) -> ProbeResult:
        """A result that carries this spec's id, family and title."""
        return ProbeResult(
            probe_id=self.probe_id,
            family=self.family,
            title=self.title,
            status=status,
            summary=summary,
            evidence=tuple(evidence),
            explanation=explanation,
            fix_ids=tuple(fix_ids),
        )

    def run(self, token: CancelToken, timeout: float) -> ProbeResult:
        """Run the probe with a fresh deadline; never raise, always return a redacted result.

        A cancelled run gives ``CANCELLED``; a deadline that passes inside the probe
        without the probe turning it into a verdict gives ``FAILED`` ("no answer");
        any other exception is a bug in the probe and is reported as ``FAILED`` with
        its type so the run goes on.
        """
        start = time.monotonic()
        deadline = Deadline(timeout)
        try:
            token.raise_if_cancelled()
            res = self.func(self, token, deadline)
        except ProbeCancelled:
            res = self.result(Status.CANCELLED, "cancelled before it finished")
        except ProbeTimeoutError as exc:
            res = self.result(
                Status.FAILED,
                f"timed out: {exc}",
                [("timeout", f"{timeout:g} s")],
                "The probe got no answer in time. A silent network path (a firewall that"
                " drops packets, a black-holed route or resolver) looks exactly like this.",
            )
        except Exception as exc:  # a probe bug must not stop the others
            res = self.result(
                Status.FAILED,
                f"the probe itself failed: {type(exc).__name__}: {exc}",
                [("error", f"{type(exc).__name__}: {exc}")],
                "This is a bug in gobuildgui's probe, not a finding about your network.",
            )
        # A verdict reached while being cancelled is still a verdict, but a timeout
        # caused by the cancel is not: report the cancel instead.
        if token.cancelled and res.status is Status.FAILED and res.summary.startswith("timed out"):
            res = self.result(Status.CANCELLED, "cancelled before it finished")
        return replace(res, duration_s=time.monotonic() - start).redacted()


def call_in_thread(
    fn: Callable[[], T],
    token: CancelToken,
    deadline: Deadline,
    *,
    on_stop: Callable[[], None] | None = None,
) -> T:
    """Run a blocking ``fn`` that cannot be sliced in a daemon thread; wait for it in slices.

    For libraries whose calls block (getaddrinfo, httpx, the docker SDK): ``fn`` must
    bound itself with the deadline's timeout, so the abandoned thread ends on its own
    after a cancel. Raises :class:`ProbeCancelled` at once when the token is set and
    :class:`ProbeTimeoutError` when the deadline passes first; otherwise returns ``fn()``'s
    value or re-raises its exception. ``on_stop`` is called before giving up on the
    thread, to make it end early (e.g. shut its sockets down).
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name="gbg-probe-call", daemon=True).start()
    while not done.wait(deadline.slice()):
        try:
            deadline.check(token)
        except (ProbeCancelled, ProbeTimeoutError):
            if on_stop is not None:
                on_stop()
            raise
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
