"""Go's env file (what ``go env -w`` writes): one ``KEY=value`` per line.

Edits follow ``go env -w``: the last line for a key is the one that counts, so it is
replaced in place and earlier duplicates of that key are dropped; new keys are
appended; every other line (comments, other keys, blank lines) is kept as it is.
Values are checked like ``go env -w`` checks them (no newline or NUL) and like the go
command parses them when it uses them (GOPROXY lists, GOSUMDB, GOFLAGS, globs).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gobuildgui.core.fixes import validate
from gobuildgui.core.fixes.files import read_target, split_lines
from gobuildgui.core.fixes.model import FileChange

GO_VARIABLES = (
    "GOPROXY",
    "GOSUMDB",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOINSECURE",
    "GOFLAGS",
    "GOTOOLCHAIN",
)

CHECKS = {
    "GOPROXY": validate.goproxy,
    "GOSUMDB": validate.gosumdb,
    "GOPRIVATE": validate.module_patterns,
    "GONOPROXY": validate.module_patterns,
    "GONOSUMDB": validate.module_patterns,
    "GOINSECURE": validate.module_patterns,
    "GOFLAGS": validate.goflags,
}


def check_go_value(name: str, value: str) -> str | None:
    """The error ``go env -w``/the go command would give for ``name=value``, or None."""
    err = validate.env_value(name, value)
    if err:
        return err
    check = CHECKS.get(name)
    return check(value) if check and value else None


def _line_key(line: str) -> str:
    # cfg.go readEnvFile: lines not starting with an upper-case letter are ignored.
    if not line or not ("A" <= line[0] <= "Z"):
        return ""
    key, sep, _ = line.partition("=")
    return key if sep else ""


def read_go_env(text: str) -> dict[str, str]:
    """The variables a go env file sets (the last line of a key wins)."""
    out: dict[str, str] = {}
    for line in split_lines(text):
        key = _line_key(line)
        if key:
            out[key] = line.partition("=")[2]
    return out


def edit_go_env(
    path: Path, values: Mapping[str, str | None], *, euid: int | None = None
) -> FileChange:
    """Set (non-empty) or remove (empty/None) variables in the env file at ``path``."""
    target = read_target(path, euid=euid, what="Go env file")
    text = target.text or ""
    newline = "\n"  # what go env -w writes; go reads a \r before it as part of the value
    lines = split_lines(text, keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    for name, value in values.items():
        positions = [i for i, line in enumerate(lines) if _line_key(line.rstrip("\r\n")) == name]
        if positions:
            last = positions[-1]
            if value:
                lines[last] = f"{name}={value}{newline}"
            else:
                lines[last] = ""
            for i in positions[:-1]:
                lines[i] = ""
        elif value:
            lines.append(f"{name}={value}{newline}")
    return target.change("".join(lines), "Go environment (go env -w)", new_mode=0o644)
