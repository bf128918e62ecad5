"""The Docker CLI's config.json: ``proxies.default``, the proxies ``docker build`` passes
to ``RUN`` steps as build args (and ``docker run`` as environment variables).

Only the members of ``proxies.default`` change; ``auths``, ``credsStore``,
``credHelpers`` and every other key keep their bytes.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from gobuildgui.core.fixes.files import read_target
from gobuildgui.core.fixes.jsonedit import JsonEditor, JsonSyntaxError
from gobuildgui.core.fixes.model import FileChange, RefusedError

# setting name -> config.json member of proxies.default
PROXY_KEYS = {
    "http-proxy": "httpProxy",
    "https-proxy": "httpsProxy",
    "no-proxy": "noProxy",
    "ftp-proxy": "ftpProxy",
    "all-proxy": "allProxy",
}


def _is_loopback(url: str) -> bool:
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return False
    return host == "localhost" or host.startswith("127.") or host == "::1"


def edit_client_proxies(
    path: Path, values: Mapping[str, str | None], *, euid: int | None = None
) -> tuple[FileChange, list[str]]:
    """Set (non-empty) or remove (empty/None) ``proxies.default`` members.

    Returns the change and warnings (a daemon-specific entry that overrides
    ``default``, loopback proxies that the build container cannot reach).
    """
    target = read_target(path, euid=euid, what="Docker client configuration")
    try:
        editor = JsonEditor(target.text or "")
    except JsonSyntaxError as exc:
        raise RefusedError(
            path,
            f"it is not valid JSON: {exc}",
            "The docker CLI cannot read it either. Fix that line by hand, then run the fix"
            " again; nothing was changed.",
        ) from None
    warnings: list[str] = []
    proxies = editor.get(("proxies",))
    if proxies is not None and proxies.members is not None:
        others = [m.key for m in proxies.members if m.key != "default"]
        if others:
            warnings.append(
                f"{path} also has proxies for {', '.join(others)}; for builds against that"
                ' daemon the CLI uses that entry instead of "default" (they are not merged).'
            )
    for name, value in values.items():
        key = PROXY_KEYS[name]
        try:
            if value:
                editor.set(("proxies", "default", key), value)
                if _is_loopback(value):
                    warnings.append(
                        f"{key} points at the loopback address: inside the build container"
                        " that is the container itself. Use the host's address on the docker0"
                        " bridge (e.g. 172.17.0.1) or host.docker.internal."
                    )
            else:
                editor.remove(("proxies", "default", key))
        except ValueError as exc:
            raise RefusedError(
                path, str(exc), "Fix that member by hand, then run the fix again."
            ) from None
    text = editor.text
    if target.text is None and not text.endswith("\n"):
        text += "\n"
    change = target.change(text, "proxies for docker build and docker run", new_mode=0o600)
    return change, warnings
