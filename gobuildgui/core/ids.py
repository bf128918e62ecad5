"""The identifiers that link the parts: probe families, fix ids and log categories.

Probe results name the fixes that cure them, lint rules and log findings name probes and
fixes, the wizard opens at a fix id and the CLI takes families with ``--only``: every part
uses these tuples, and tests check that each catalogue (the probe plan, the fix
catalogue, the log patterns) defines exactly these.
"""

from __future__ import annotations

#: The probe families, in display order (``gobuildgui probe --only NAME``).
PROBE_FAMILIES: tuple[str, ...] = (
    "dns",
    "tcp",
    "tls",
    "proxy",
    "goproxy",
    "sumdb",
    "private-git",
    "docker",
    "container",
)

#: The fixes of the wizard and ``gobuildgui fix`` (see ``gobuildgui.core.fixes``).
FIX_IDS: tuple[str, ...] = (
    "daemon-dns",
    "daemon-mirror",
    "daemon-proxy",
    "daemon-mtu",
    "daemon-buildkit",
    "client-proxy",
    "go-proxy",
    "go-private",
    "dockerfile-proxy-args",
    "dockerfile-goproxy",
    "dockerfile-ca-cert",
    "dockerfile-cache-mount",
    "dockerfile-private-auth",
    "dockerfile-go-version",
    "dockerfile-lint-fix",
)

#: What a build-log finding is about (``gobuildgui diagnose``; a fixed list).
LOG_CATEGORIES: tuple[str, ...] = (
    "dns",
    "proxy_unreachable",
    "proxy_auth",
    "goproxy_blocked_or_slow",
    "tls_ca",
    "private_module_auth",
    "private_module_proxy_404",
    "checksum_mismatch",
    "go_version_mismatch",
    "docker_registry_pull",
    "disk_space",
    "readonly_cache",
    "mtu_or_network_hang",
    "module_not_found",
    "other",
)
