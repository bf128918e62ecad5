"""Quote removal and ``$VAR`` expansion the way BuildKit processes a word.

Supported: ``$VAR``, ``${VAR}``, ``${VAR:-word}``, ``${VAR-word}``, ``${VAR:+word}``,
``${VAR+word}``, ``${VAR:?msg}`` and ``${VAR?msg}``; single quotes are literal; the
escape character makes the next character literal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACE_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])((?:[^{}]|\{[^{}]*\})*))?\}")


def expand_word(
    raw: str,
    env: Mapping[str, str | None] | None,
    escape: str = "\\",
    *,
    keep: bool = False,
) -> str:
    """Remove quotes and expand variables in ``raw``.

    Args:
        raw: the word as written in the Dockerfile.
        env: variable values; a value of None means "declared, value set at build
            time".  ``env=None`` turns expansion off (quotes are still removed).
        escape: the Dockerfile's escape character.
        keep: leave unknown or build-time variables as written instead of making them
            empty (useful to show ``golang:${GO_VERSION}`` rather than ``golang:``).
    """
    if "$" not in raw and '"' not in raw and "'" not in raw and escape not in raw:
        return raw
    out: list[str] = []
    i, n = 0, len(raw)
    in_double = False
    while i < n:
        c = raw[i]
        if c == escape:
            if i + 1 < n:
                nxt = raw[i + 1]
                if in_double and nxt not in ('"', "$", escape):
                    out.append(c)
                out.append(nxt)
            i += 2
        elif c == "'" and not in_double:
            j = raw.find("'", i + 1)
            j = n if j == -1 else j
            out.append(raw[i + 1 : j])
            i = j + 1
        elif c == '"':
            in_double = not in_double
            i += 1
        elif c == "$" and env is not None:
            i = _variable(raw, i, env, escape, keep, out)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _variable(
    raw: str,
    i: int,
    env: Mapping[str, str | None],
    escape: str,
    keep: bool,
    out: list[str],
) -> int:
    """Expand the variable reference at ``raw[i] == '$'``; return the next index."""
    m = _BRACE_RE.match(raw, i + 1)
    if m:
        name, op, word = m.group(1), m.group(2), m.group(3) or ""
        value = env.get(name)
        if op is None:
            out.append(_value(value, m.group(0), keep))
        elif op in (":-", "-"):
            unset = value is None if op == "-" else not value
            if name not in env and keep and value is None:
                out.append("$" + m.group(0))
            elif unset:
                out.append(expand_word(word, env, escape, keep=keep))
            else:
                out.append(value or "")
        elif op in (":+", "+"):
            present = value is not None if op == "+" else bool(value)
            out.append(expand_word(word, env, escape, keep=keep) if present else "")
        else:  # ":?" / "?": an error at build time when unset; keep the value if any
            out.append(value if value is not None else ("$" + m.group(0) if keep else ""))
        return m.end()
    m2 = _NAME_RE.match(raw, i + 1)
    if m2:
        out.append(_value(env.get(m2.group()), m2.group(), keep))
        return m2.end()
    out.append("$")
    return i + 1


def _value(value: str | None, ref: str, keep: bool) -> str:
    if value is not None:
        return value
    return "$" + ref if keep else ""
