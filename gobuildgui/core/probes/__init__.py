"""Network probes: why `go mod download` fails in `docker build`, told apart with evidence.

Qt-free. :func:`~.plan.build_plan` turns a :class:`~.target.ProbeTarget` into probes,
:func:`~.runner.run_plan` runs them for the CLI; the GUI runs the same specs in a
``QThreadPool`` (``gobuildgui.ui.probes``).
"""

from gobuildgui.core.probes.base import (
    FAMILIES,
    CancelToken,
    Deadline,
    ProbeCancelled,
    ProbeResult,
    ProbeSpec,
    Status,
)
from gobuildgui.core.probes.plan import GROUP_OF, GROUPS, build_plan
from gobuildgui.core.probes.runner import run_plan
from gobuildgui.core.probes.target import ProbeTarget, Proxy, Resolver, target_from_environment

__all__ = [
    "FAMILIES",
    "GROUPS",
    "GROUP_OF",
    "CancelToken",
    "Deadline",
    "ProbeCancelled",
    "ProbeResult",
    "ProbeSpec",
    "ProbeTarget",
    "Proxy",
    "Resolver",
    "Status",
    "build_plan",
    "run_plan",
    "target_from_environment",
]
