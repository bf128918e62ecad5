"""Masking of credentials in any text the app shows, logs or exports.

Every front end (the CLI, the window, reports, logs, the wizard's undo history) passes
text through :func:`redact` before it leaves the process or reaches a widget. It masks:

- the user info of URLs (``http://user:pass@proxy:3128`` -> ``http://user:****@proxy:3128``);
- ``Authorization:`` and ``Proxy-Authorization:`` header values;
- well-known token shapes (GitHub, GitLab, Bitbucket, Slack, AWS keys, JWTs);
- ``NAME=value`` and ``NAME: value`` pairs whose name says it is secret (``*TOKEN*``,
  ``*PASSWORD*``, ``*SECRET*``, ``*_KEY``, ``GOAUTH`` ...);
- ``password X`` fields of a ``.netrc`` (in text that also says ``machine`` or ``login``,
  so prose such as "user name or password shown" is left alone);
- any value registered with :func:`register_secret` (a password the user typed).
"""

from __future__ import annotations

import re
import threading

from gobuildgui.core.dockerfile.rules.proxies import mask_credentials

MASK = "****"

# Header values: everything after the scheme word ("Basic", "Bearer") up to the line end.
_AUTH_HEADER_RE = re.compile(
    r"(?im)\b((?:proxy-)?authorization\s*[:=]\s*)(?:(basic|bearer|token|digest)\s+)?[^\s\"',;]+"
)
_TOKEN_RES = (
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}\b"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}\b"),
    re.compile(r"\bglpat-[A-Za-z0-9_\-]{16,}\b"),
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"),
    re.compile(r"\bATBB[A-Za-z0-9]{20,}\b"),
)
_SECRET_NAME = (
    r"[A-Za-z0-9_.-]*"
    r"(?:TOKEN|PASSWORD|PASSWD|PASS|SECRET|API_?KEY|PRIVATE_KEY|GOAUTH|CREDENTIALS?)"
    r"[A-Za-z0-9_.-]*"
)
_SECRET_PAIR_RE = re.compile(
    rf"(?i)\b({_SECRET_NAME})([\"']?\s*[=:]\s*)(\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',;]+)"
)

_NETRC_RE = re.compile(r"(?i)\b(password|passwd)(\s+)(?!\*\*\*\*)(\S+)")

_lock = threading.Lock()
_known: set[str] = set()


def register_secret(value: str) -> None:
    """Mask ``value`` wherever it appears from now on (passwords typed by the user)."""
    if len(value) >= 4:  # shorter values would mask ordinary words
        with _lock:
            _known.add(value)


def forget_secrets() -> None:
    """Drop every registered value (tests)."""
    with _lock:
        _known.clear()


def _mask_pair(m: re.Match[str]) -> str:
    value = m.group(3)
    if value.startswith("$") or value in {MASK, f'"{MASK}"', f"'{MASK}'"}:
        return m.group(0)  # a variable reference names, it does not reveal
    if value[:1] in "\"'":
        return f"{m.group(1)}{m.group(2)}{value[0]}{MASK}{value[0]}"
    return f"{m.group(1)}{m.group(2)}{MASK}"


def _mask_header(m: re.Match[str]) -> str:
    scheme = m.group(2)
    return f"{m.group(1)}{scheme + ' ' if scheme else ''}{MASK}"


def redact(text: str) -> str:
    """``text`` with every credential it holds replaced by ``****``."""
    if not text:
        return text
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    text = mask_credentials(text)
    text = _AUTH_HEADER_RE.sub(_mask_header, text)
    for rx in _TOKEN_RES:
        text = rx.sub(MASK, text)
    text = _SECRET_PAIR_RE.sub(_mask_pair, text)
    if "machine" in text or "login" in text:
        text = _NETRC_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    return text
