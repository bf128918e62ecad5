"""Quote removal and ``$VAR`` expansion the way BuildKit processes a word.

A port of BuildKit's shell lexer (``frontend/dockerfile/shell/lex.go``) as used by
``ProcessWord``: ``$VAR``, ``${VAR}``, ``${VAR:-word}``, ``${VAR-word}``,
``${VAR:+word}``, ``${VAR+word}``, ``${VAR:?msg}``, ``${VAR?msg}``, and the newer
``${VAR#pattern}``, ``${VAR##pattern}``, ``${VAR%pattern}``, ``${VAR%%pattern}``,
``${VAR/pattern/replacement}`` and ``${VAR//pattern/replacement}``.  Single quotes are
literal; inside double quotes the escape character only escapes ``"``, ``$`` and
itself; elsewhere it makes the next character literal.

Where BuildKit fails (an unterminated quote, a bad ``${``), this never raises: an
unterminated quote runs to the end of the word and a bad ``${`` is kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_MAX_DEPTH = 64  # nested ${...} deeper than this are kept as written
_PLAIN_RE: dict[str, re.Pattern[str]] = {}


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
            time".  ``env=None`` turns expansion off (quotes are still removed and
            ``$`` stays as written).
        escape: the Dockerfile's escape character.
        keep: leave unknown or build-time variables as written instead of making them
            empty (useful to show ``golang:${GO_VERSION}`` rather than ``golang:``).
    """
    if raw[:1] == "\ufeff":
        raw = raw[1:]  # Go's text/scanner skips a byte order mark at the very start
    if "$" not in raw and '"' not in raw and "'" not in raw and escape not in raw:
        return raw
    return _Expander(raw, env, escape, keep).word(None, raw_escapes=False) or ""


class _Expander:
    __slots__ = ("depth", "env", "esc", "keep", "n", "plain", "pos", "raw", "raw_escapes")

    def __init__(
        self, raw: str, env: Mapping[str, str | None] | None, escape: str, keep: bool
    ) -> None:
        self.raw = raw
        self.n = len(raw)
        self.env = env
        self.esc = escape
        self.keep = keep
        self.pos = 0
        self.depth = 0
        self.raw_escapes = False
        plain = _PLAIN_RE.get(escape)
        if plain is None:
            plain = _PLAIN_RE[escape] = re.compile(rf"[^$'\"{re.escape(escape)}{{}}/]+")
        self.plain = plain

    def word(self, stop: str | None, *, raw_escapes: bool) -> str | None:
        """``processStopOn``: read up to ``stop`` (consumed); None if it never comes."""
        saved = self.raw_escapes
        self.raw_escapes = raw_escapes
        try:
            return self._word(stop)
        finally:
            self.raw_escapes = saved

    def _word(self, stop: str | None) -> str | None:
        raw, n, esc = self.raw, self.n, self.esc
        out: list[str] = []
        while self.pos < n:
            c = raw[self.pos]
            if c == stop:
                self.pos += 1
                return "".join(out)
            if c == "$" and self.env is not None:
                out.append(self._dollar())
            elif c == "'":
                out.append(self._single_quote())
            elif c == '"':
                out.append(self._double_quote())
            elif c == esc:
                if self.raw_escapes:
                    out.append(c)
                self.pos += 1
                if self.pos >= n:
                    break
                out.append(raw[self.pos])
                self.pos += 1
            else:
                m = self.plain.match(raw, self.pos)
                end = m.end() if m else self.pos + 1
                out.append(raw[self.pos : end])
                self.pos = end
        if stop is not None:
            return None
        return "".join(out)

    def _single_quote(self) -> str:
        start = self.pos + 1
        end = self.raw.find("'", start)
        if end < 0:  # unterminated: BuildKit fails; take the rest literally
            self.pos = self.n
            return self.raw[start:]
        self.pos = end + 1
        return self.raw[start:end]

    def _double_quote(self) -> str:
        raw, n, esc = self.raw, self.n, self.esc
        self.pos += 1
        out: list[str] = []
        while self.pos < n:
            c = raw[self.pos]
            if c == '"':
                self.pos += 1
                break
            if c == "$" and self.env is not None:
                out.append(self._dollar())
                continue
            self.pos += 1
            if c == esc:
                if self.raw_escapes:
                    out.append(c)
                if self.pos >= n:
                    break
                nxt = raw[self.pos]
                if nxt == '"' or nxt == "$" or nxt == esc:
                    c = nxt
                    self.pos += 1
            out.append(c)
        return "".join(out)

    def _literal_dollar(self, start: int) -> str:
        """A ``$`` BuildKit would reject: keep it and read on after it."""
        self.pos = start + 1
        return "$"

    def _dollar(self) -> str:
        env = self.env
        assert env is not None
        raw, n = self.raw, self.n
        start = self.pos
        p = start + 1
        if p >= n or raw[p] != "{":
            end = _name_end(raw, p, n)
            self.pos = end
            if end == p:
                return "$"
            value = env.get(raw[p:end])
            if value is not None:
                return value
            return raw[start:end] if self.keep else ""
        p += 1
        if p >= n or raw[p] in "{}:" or self.depth >= _MAX_DEPTH:
            return self._literal_dollar(start)
        q = _name_end(raw, p, n)
        if q >= n:
            return self._literal_dollar(start)
        name = raw[p:q]
        ch = raw[q]
        self.pos = q + 1
        value = env.get(name)
        if ch == "}":
            if value is not None:
                return value
            return raw[start : self.pos] if self.keep else ""
        null_is_unset = ch == ":"
        if null_is_unset:
            if self.pos >= n:
                return self._literal_dollar(start)
            ch = raw[self.pos]
            self.pos += 1
        self.depth += 1
        try:
            if ch == "/" and not null_is_unset:
                return self._replace(start, name, value)
            if ch not in "+-?#%" or (null_is_unset and ch in "#%"):
                return self._literal_dollar(start)
            word = self.word("}", raw_escapes=ch in "#%")
        finally:
            self.depth -= 1
        if word is None:
            return self._literal_dollar(start)
        literal = raw[start : self.pos]
        unset = value is None or (null_is_unset and value == "")
        if ch == "-":
            if name not in env and self.keep:
                return literal
            return word if unset else (value or "")
        if ch == "+":
            if value is None and self.keep:
                return literal
            return "" if unset else word
        if ch == "?":
            if value is not None and not (null_is_unset and value == ""):
                return value
            return literal if self.keep else ""
        # "#" / "%": trim a prefix / suffix; doubled, the longest match.
        if value is None and self.keep:
            return literal
        greedy = word[:1] == ch
        pattern = word[1:] if greedy else word
        trimmed = (_trim_prefix if ch == "#" else _trim_suffix)(pattern, value or "", greedy)
        return literal if trimmed is None else trimmed

    def _replace(self, start: int, name: str, value: str | None) -> str:
        """``${name/pattern/replacement}`` and ``${name//pattern/replacement}``."""
        raw = self.raw
        replace_all = self.pos < self.n and raw[self.pos] == "/"
        if replace_all:
            self.pos += 1
        pattern = self.word("/", raw_escapes=True)
        if pattern is None:
            return self._literal_dollar(start)
        replacement = self.word("}", raw_escapes=True)
        if replacement is None:
            return self._literal_dollar(start)
        if value is None and self.keep:
            return raw[start : self.pos]
        regex = _shell_pattern(pattern, greedy=True, anchored=False)
        if regex is None:
            return raw[start : self.pos]
        text = value or ""
        if replace_all:
            return regex.sub(lambda _m: replacement, text)
        m = regex.search(text)
        return text if m is None else text[: m.start()] + replacement + text[m.end() :]


def _name_end(raw: str, pos: int, n: int) -> int:
    """End of the variable name at ``pos`` (BuildKit's ``processName``).

    A name is letters, digits and ``_``; one starting with a digit is all digits
    (``$1``); ``@ * # ? - $ !`` are one-character special parameters.
    """
    if pos >= n:
        return pos
    c = raw[pos]
    if c.isdecimal():
        while pos < n and raw[pos].isdecimal():
            pos += 1
        return pos
    if c in "@*#?-$!":
        return pos + 1
    while pos < n and (raw[pos].isalpha() or raw[pos].isdecimal() or raw[pos] == "_"):
        pos += 1
    return pos


def _shell_pattern(pattern: str, *, greedy: bool, anchored: bool) -> re.Pattern[str] | None:
    """BuildKit's ``convertShellPatternToRegex``: ``*`` and ``?`` wildcards, no brackets."""
    out = ["^"] if anchored else []
    star = ".*" if greedy else ".*?"
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            out.append(star)
        elif c == "?":
            out.append(".")
        elif c == "\\":
            if i < n and pattern[i] in "}/":
                continue  # the escape belongs to ${}, not to the pattern
            if i >= n or pattern[i] not in "*?\\":
                return None  # BuildKit: invalid escape
            out.append(re.escape(pattern[i]))
            i += 1
        else:
            out.append(re.escape(c))
    return re.compile("".join(out))


def _trim_prefix(pattern: str, value: str, greedy: bool) -> str | None:
    regex = _shell_pattern(pattern, greedy=greedy, anchored=True)
    if regex is None:
        return None
    m = regex.match(value)
    return value[m.end() :] if m else value


def _reverse_pattern(pattern: str) -> str:
    """Reverse a pattern but keep each ``\\x`` escape in order (``a\\*c`` -> ``c\\*a``)."""
    chars = list(pattern)
    last = len(chars) - 1
    out = [""] * len(chars)
    i = 0
    while i <= last:
        c = chars[i]
        j = last - i
        if c == "\\" and i != last:
            out[j - 1] = c
            out[j] = chars[i + 1]
            i += 2
        else:
            out[j] = c
            i += 1
    return "".join(out)


def _trim_suffix(pattern: str, value: str, greedy: bool) -> str | None:
    # Reverse both so that the shortest (or longest) suffix is a leftmost match.
    trimmed = _trim_prefix(_reverse_pattern(pattern), value[::-1], greedy)
    return None if trimmed is None else trimmed[::-1]
