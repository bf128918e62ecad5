"""Environment discovery: the settings in force for a Go module download in docker build.

``discover(dockerfile, environ=..., home=..., ...) -> Environment`` collects proxy
variables, Go's settings (``go env -json`` or the env file), the Docker client's
config.json proxies, the daemon's configuration (daemon.json, systemd drop-ins,
``docker info``), the Dockerfile's ARG/ENV and the build's resolv.conf, each as a
:class:`Setting` that says where it came from. ``effective_for_run_step(env)`` tells what
a ``RUN go mod download`` step actually sees. Qt-free; every slow call has a timeout.
"""

from gobuildgui.core.environment.discover import discover, effective_for_run_step
from gobuildgui.core.environment.model import (
    BuildResolv,
    Effective,
    Environment,
    ResolvConf,
    Setting,
    SourceKind,
)

__all__ = [
    "BuildResolv",
    "Effective",
    "Environment",
    "ResolvConf",
    "Setting",
    "SourceKind",
    "discover",
    "effective_for_run_step",
]
