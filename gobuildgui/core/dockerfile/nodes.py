"""The parsed form of a Dockerfile: instructions, flags, words, heredocs and stages.

Every node keeps exact source spans so that an editor can underline the precise
characters a rule talks about, even across line continuations.  Values that rules
rarely need (words, key/value pairs, mounts) are computed on first use.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast, overload

from gobuildgui.core.model import Diagnostic, LineIndex, Span, lazy_span

# Instructions BuildKit knows (upper case).
KNOWN_INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    }
)  # fmt: skip

# Instructions whose arguments may be written in JSON (exec) form.
JSON_FORM_INSTRUCTIONS = frozenset({"ADD", "CMD", "COPY", "ENTRYPOINT", "RUN", "SHELL", "VOLUME"})
# Instructions that take heredocs (BuildKit dockerfile:1.4+).
HEREDOC_INSTRUCTIONS = frozenset({"ADD", "COPY", "RUN"})
KEY_VALUE_INSTRUCTIONS = frozenset({"ARG", "ENV", "LABEL"})
# Instructions whose shell-form arguments BuildKit splits at whitespace only: quotes
# and the escape character do not group words (``parseStringsWhitespaceDelimited``).
FIELD_SPLIT_INSTRUCTIONS = frozenset({"ADD", "COPY", "EXPOSE", "FROM", "VOLUME"})

# What Go's ``unicode.IsSpace`` accepts.  BuildKit trims lines, splits words and flags
# with it; it differs from ``str.isspace`` (no U+001C..U+001F).
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# BuildKit's ``reWhitespace`` (``[\t\v\f\r ]+``): splits the keyword from its
# arguments, FROM/COPY/ADD/EXPOSE/VOLUME words and legacy ``ENV key value``.
FIELD_SPACE = "\t\v\f\r "
GO_SPACE_CLASS = "".join(re.escape(c) for c in GO_SPACE)
_FIELD_RE = re.compile(r"[^\t\v\f\r ]+")
_FIELD_SEP_RE = re.compile(r"[\t\v\f\r ]+")


_T = TypeVar("_T")
_new_object = object.__new__


class lazy_property(Generic[_T]):  # noqa: N801 - used like the decorator it replaces
    """``functools.cached_property`` without its lock (Python 3.11 takes one per call).

    The value is stored in the instance ``__dict__`` on first use, so later reads
    are plain attribute lookups.  Instances are not shared between threads while
    they are being built, so the lock buys nothing here and costs a microsecond.
    """

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> lazy_property[_T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> _T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> _T | lazy_property[_T]:
        if obj is None:
            return self
        value = self.func(obj)
        obj.__dict__[self.name] = value
        return value


def memo(owner: object, key: str, compute: Callable[[], _T]) -> _T:
    """``compute()`` once per ``owner`` (an Instruction, Stage or Dockerfile).

    Rules look at the same facts again and again (the go commands of a RUN, the
    variables in force at an instruction, a lexed script); a parsed document never
    changes, so each fact is computed once and kept on the node it describes.  Keys
    are module-qualified names so that helpers of different modules cannot clash.
    Callers must treat the value as read-only (return copies of mutable values).
    """
    store: dict[str, Any] = owner.__dict__
    try:
        return store[key]  # type: ignore[no-any-return]
    except KeyError:
        value = store[key] = compute()
        return value


class MappedText:
    """Logical text (continuations joined) with a map back to source offsets.

    The map is a list of segments: logical offset ``l`` of segment ``i`` corresponds
    to source offset ``src[i] + (l - log[i])``.  Joined pieces are contiguous in
    each segment, so the map stays small even for long instructions.
    """

    __slots__ = ("_index", "_log", "_src", "text")

    def __init__(
        self, text: str, log_starts: list[int], src_starts: list[int], index: LineIndex
    ) -> None:
        self.text = text
        self._log = log_starts
        self._src = src_starts
        self._index = index

    def source_offset(self, logical: int) -> int:
        """Source offset of the logical character at ``logical`` (clamped)."""
        log = self._log
        if len(log) == 1:  # one contiguous piece: the common single-line case
            if logical < 0:
                logical = 0
            elif logical > len(self.text):
                logical = len(self.text)
            return self._src[0] + logical
        if not log:
            return 0
        logical = min(max(logical, 0), len(self.text))
        i = bisect.bisect_right(log, logical) - 1
        if i < 0:
            i = 0
        return self._src[i] + logical - log[i]

    def source_end(self, logical_end: int) -> int:
        """Source offset just past the logical character ``logical_end - 1``."""
        if logical_end <= 0:
            return self.source_offset(0)
        return self.source_offset(logical_end - 1) + 1

    def span(self, start: int, end: int) -> Span:
        """Source span of the logical range ``[start, end)``."""
        if len(self._log) == 1:  # contiguous: plain arithmetic, no bisect
            n = len(self.text)
            start = 0 if start < 0 else (n if start > n else start)
            end = start if end < start else (n if end > n else end)
            base = self._src[0]
            return lazy_span(base + start, base + end, self._index)
        log, src = self._log, self._src
        if not log:
            return self._index.span(0, 0)
        n = len(self.text)
        start = 0 if start < 0 else (n if start > n else start)
        i = bisect.bisect_right(log, start) - 1
        if i < 0:
            i = 0
        s = src[i] + start - log[i]
        if end <= start:
            return lazy_span(s, s, self._index)
        if end > n:
            end = n
        j = bisect.bisect_right(log, end - 1, i) - 1
        if j < 0:
            j = 0
        return lazy_span(s, src[j] + end - log[j], self._index)

    def slice(self, start: int, end: int) -> MappedText:
        """A sub-text ``[start, end)`` that keeps its map to the source."""
        n = len(self.text)
        start = 0 if start < 0 else (n if start > n else start)
        end = start if end < start else (n if end > n else end)
        if len(self._log) == 1:  # contiguous: one segment
            return MappedText(self.text[start:end], [0], [self._src[0] + start], self._index)
        log: list[int] = [0]
        src: list[int] = [self.source_offset(start)]
        i = bisect.bisect_right(self._log, start)
        while i < len(self._log) and self._log[i] < end:
            log.append(self._log[i] - start)
            src.append(self._src[i])
            i += 1
        return MappedText(self.text[start:end], log, src, self._index)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of an instruction: its logical text as written (quotes kept) and its span."""

    value: str
    span: Span
    start: int  # logical offset inside the instruction's ``args`` text
    end: int


@dataclass(frozen=True, slots=True)
class Flag:
    """An instruction flag such as ``--mount=type=cache,target=/go/pkg/mod``.

    ``name`` and ``value`` are what BuildKit uses: its flag lexer removes quotes and
    escapes (``--chown="a b"`` has the value ``a b``), and ``word`` is the whole flag
    the way BuildKit reports it.  ``raw`` and ``raw_value`` are the text as written.
    """

    name: str  # without the leading dashes (quotes and escapes removed)
    value: str | None  # quotes and escapes removed; None for a bare ``--link``
    raw: str  # the whole flag as written (continuations joined)
    span: Span
    value_span: Span | None  # the value as written, after the ``=``
    text: MappedText  # the whole flag, mapped to the source
    word: str = ""  # the flag as BuildKit reports it: ``--name=value``, unquoted
    raw_value: str | None = None  # the value as written (quotes kept)
    # For each character of ``value``, its logical offset inside ``raw``/``text``;
    # empty when the value is written without quotes or escapes (it ends ``raw``).
    value_offsets: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MountOption:
    """One ``key=value`` field of a ``--mount`` flag, as BuildKit's CSV reader splits it.

    ``key`` is lower-cased but not stripped: BuildKit rejects `` target=/x`` (a space
    after the comma) as an unknown key, so a rule can see that too.
    """

    key: str
    value: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Mount:
    """A parsed ``RUN --mount=...`` flag."""

    flag: Flag
    options: tuple[MountOption, ...]

    def option(self, *keys: str) -> MountOption | None:
        """The last option named by any of ``keys`` (BuildKit lets later ones win)."""
        for opt in reversed(self.options):
            if opt.key in keys:
                return opt
        return None

    def get(self, *keys: str) -> str | None:
        """Value of the option named by any of ``keys``; ``""`` for a bare key."""
        opt = self.option(*keys)
        if opt is None:
            return None
        return opt.value if opt.value is not None else ""

    @property
    def type(self) -> str:
        """The mount type (BuildKit's default is ``bind``)."""
        return (self.get("type") or "bind").lower()

    @property
    def target(self) -> str | None:
        """The mount target (``target``, ``dst`` or ``destination``)."""
        return self.get("target", "dst", "destination")


@dataclass(frozen=True, slots=True)
class Heredoc:
    """A heredoc attached to RUN, COPY or ADD."""

    name: str  # the delimiter word, quotes removed
    strip_tabs: bool  # ``<<-``
    quoted: bool  # ``<<"EOF"`` or ``<<'EOF'``: no variable expansion
    fd: int | None  # ``3<<EOF``
    marker_span: Span  # the ``<<EOF`` word on the instruction line
    body: str  # the content as written, line endings included
    body_span: Span
    end_span: Span | None  # the closing delimiter line; None when unterminated
    body_start: int  # source offset of the body (for edits)


@dataclass(frozen=True, slots=True)
class KeyValue:
    """A ``key=value`` pair of ENV, ARG or LABEL (or legacy ``ENV key value``)."""

    key: str
    raw_value: str | None  # as written (quotes kept); None for ``ARG NAME``
    value: str | None  # quotes and escapes removed, not expanded
    key_span: Span
    value_span: Span | None
    span: Span
    legacy: bool = False  # ``ENV key value`` form


# Fast constructors for the nodes made by the thousand.  A frozen dataclass's
# ``__init__`` stores every field with ``object.__setattr__``, which costs about as
# much as building the object.  Each builder below has the same slots as its node,
# fills them with plain stores and then takes the node's class: CPython allows that
# between classes of the same layout (it raises TypeError if the slots ever drift
# apart), and the result is an ordinary frozen node.


class _TokenBuilder:
    __slots__ = ("end", "span", "start", "value")

    def __init__(self, value: str, span: Span, start: int, end: int) -> None:
        self.value = value
        self.span = span
        self.start = start
        self.end = end
        self.__class__ = Token  # type: ignore[assignment]


class _FlagBuilder:
    __slots__ = (
        "name", "raw", "raw_value", "span", "text", "value", "value_offsets", "value_span", "word",
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        value: str | None,
        raw: str,
        span: Span,
        value_span: Span | None,
        text: MappedText,
        word: str,
        raw_value: str | None,
        value_offsets: tuple[int, ...],
    ) -> None:
        self.name = name
        self.value = value
        self.raw = raw
        self.span = span
        self.value_span = value_span
        self.text = text
        self.word = word
        self.raw_value = raw_value
        self.value_offsets = value_offsets
        self.__class__ = Flag  # type: ignore[assignment]


class _MountOptionBuilder:
    __slots__ = ("key", "span", "value")

    def __init__(self, key: str, value: str | None, span: Span) -> None:
        self.key = key
        self.value = value
        self.span = span
        self.__class__ = MountOption  # type: ignore[assignment]


class _KeyValueBuilder:
    __slots__ = ("key", "key_span", "legacy", "raw_value", "span", "value", "value_span")

    def __init__(
        self,
        key: str,
        raw_value: str | None,
        value: str | None,
        key_span: Span,
        value_span: Span | None,
        span: Span,
        legacy: bool,
    ) -> None:
        self.key = key
        self.raw_value = raw_value
        self.value = value
        self.key_span = key_span
        self.value_span = value_span
        self.span = span
        self.legacy = legacy
        self.__class__ = KeyValue  # type: ignore[assignment]


class _HeredocBuilder:
    __slots__ = (
        "body", "body_span", "body_start", "end_span", "fd", "marker_span", "name", "quoted",
        "strip_tabs",
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        strip_tabs: bool,
        quoted: bool,
        fd: int | None,
        marker_span: Span,
        body: str,
        body_span: Span,
        end_span: Span | None,
        body_start: int,
    ) -> None:
        self.name = name
        self.strip_tabs = strip_tabs
        self.quoted = quoted
        self.fd = fd
        self.marker_span = marker_span
        self.body = body
        self.body_span = body_span
        self.end_span = end_span
        self.body_start = body_start
        self.__class__ = Heredoc  # type: ignore[assignment]


# Typed views of the builders: calling one returns the node it has become.
make_token = cast(Callable[[str, Span, int, int], Token], _TokenBuilder)
make_flag = cast(
    Callable[
        [str, str | None, str, Span, Span | None, MappedText, str, str | None, tuple[int, ...]],
        Flag,
    ],
    _FlagBuilder,
)
make_heredoc = cast(
    Callable[[str, bool, bool, int | None, Span, str, Span, Span | None, int], Heredoc],
    _HeredocBuilder,
)
make_mount_option = cast(Callable[[str, str | None, Span], MountOption], _MountOptionBuilder)
make_key_value = cast(
    Callable[[str, str | None, str | None, Span, Span | None, Span, bool], KeyValue],
    _KeyValueBuilder,
)


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment line (not a parser directive)."""

    text: str  # without the leading ``#`` and surrounding spaces
    span: Span


@dataclass(frozen=True, slots=True)
class Directive:
    """A parser directive such as ``# syntax=docker/dockerfile:1``."""

    name: str  # lower case
    value: str
    span: Span
    value_span: Span


_WORD_CACHE: dict[str, re.Pattern[str]] = {}


def word_pattern(escape: str) -> re.Pattern[str]:
    """Regex for one word the way BuildKit's ``parseWords`` splits (quotes kept).

    Words end at unquoted Go whitespace; the escape character keeps the next
    character in the word, except inside single quotes; an escape character at the
    very end of the text is dropped, as BuildKit does.
    """
    pat = _WORD_CACHE.get(escape)
    if pat is None:
        e = re.escape(escape)
        s = GO_SPACE_CLASS
        # Runs of plain characters match in one step (``+`` inside): the same words,
        # about twice as fast as one character per repetition.
        pat = re.compile(rf"""(?:[^{s}"'{e}]+|{e}[\s\S]|"(?:[^"{e}]+|{e}[\s\S])*"?|'[^']*'?)+""")
        _WORD_CACHE[escape] = pat
    return pat


def go_strip(text: str) -> str:
    """``strings.TrimSpace``: strip Go whitespace from both ends."""
    return text.strip(GO_SPACE)


def unquote(raw: str, escape: str = "\\") -> str:
    """Remove shell quotes and escapes the way BuildKit's word lexer does (no expansion)."""
    if '"' not in raw and "'" not in raw and escape not in raw:
        return raw
    n = len(raw)
    if n >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" and raw[0] != escape:
        # One quoted word without escapes or inner quotes (``"svc"``, ``'a b'``): the
        # loop below would copy the inside character by character.
        inner = raw[1:-1]
        if raw[0] not in inner and (raw[0] == "'" or escape not in inner):
            return inner
    out: list[str] = []
    i = 0
    while i < n:
        c = raw[i]
        if c == escape:
            if i + 1 < n:
                out.append(raw[i + 1])
            i += 2
        elif c == "'":
            j = raw.find("'", i + 1)
            j = n if j == -1 else j
            out.append(raw[i + 1 : j])
            i = j + 1
        elif c == '"':
            i += 1
            while i < n and raw[i] != '"':
                if raw[i] == escape and i + 1 < n and raw[i + 1] in ('"', "$", escape):
                    out.append(raw[i + 1])
                    i += 2
                else:
                    out.append(raw[i])
                    i += 1
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


class JsonForm:
    """How BuildKit's ``parseJSON`` reads an argument text that may be an exec form."""

    __slots__ = ("error", "values")

    def __init__(self, values: tuple[str, ...] | None, error: str | None) -> None:
        self.values = values  # the list, when the text is a JSON array of strings
        # None: exec form, or not JSON at all (no ``[``).  "syntax": starts with ``[``
        # but is not JSON, so BuildKit runs it as shell form.  "not-strings": a JSON
        # array with a non-string item, which BuildKit rejects.
        self.error = error


_NO_JSON = JsonForm(None, None)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")  # Go's decoder has no NaN or Infinity


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")  # Go: cannot unmarshal into float64
    return value


# One decoder for every call: ``json.loads`` with hooks builds a new one each time.
_JSON_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def json_form(text: str) -> JsonForm:
    """Decode ``text`` as BuildKit does for exec form (``json.Unmarshal`` into a list)."""
    text = text.strip(GO_SPACE)
    if not text.startswith("["):
        return _NO_JSON
    try:
        value = _JSON_DECODER.decode(text)  # ``text`` starts with ``[``: no BOM to reject
    except (ValueError, RecursionError):
        return JsonForm(None, "syntax")
    if not isinstance(value, list):
        return JsonForm(None, "syntax")
    if not all(isinstance(v, str) for v in value):
        return JsonForm(None, "not-strings")
    # Go replaces a lone surrogate escape (``"\ud800"``) with U+FFFD.
    items = tuple(_SURROGATE_RE.sub("\ufffd", v) for v in value)
    return JsonForm(items, None)


def split_healthcheck(args: str) -> tuple[int, int]:
    """Where HEALTHCHECK's type word ends and its command starts (``parseHealthConfig``)."""
    n = len(args)
    start = n - len(args.lstrip(GO_SPACE))
    sep = start
    while sep < n and args[sep] not in GO_SPACE:
        sep += 1
    nxt = sep
    while nxt < n and args[nxt] in GO_SPACE:
        nxt += 1
    return sep, nxt


class Instruction:
    """One instruction, with its flags, arguments and heredocs.

    ``args`` is the logical argument text after the flags: line continuations are
    joined and comment or blank lines inside a continuation are dropped, as BuildKit
    does.  Heredoc bodies are not part of ``args``; they are in ``heredocs``.
    """

    def __init__(
        self,
        *,
        keyword: str,
        keyword_span: Span | None = None,
        line_text: MappedText,
        args_start: int,
        flags: tuple[Flag, ...],
        heredocs: tuple[Heredoc, ...],
        span: Span,
        escape: str,
        index: int,
        blank_continuation_lines: tuple[int, ...] = (),
        onbuild_trigger: Instruction | None = None,
        keyword_start: int = 0,
    ) -> None:
        self._init(
            keyword,
            keyword_start,
            line_text,
            args_start,
            flags,
            heredocs,
            span,
            escape,
            index,
            blank_continuation_lines,
            onbuild_trigger,
        )
        if keyword_span is not None:
            self.__dict__["keyword_span"] = keyword_span

    def _init(
        self,
        keyword: str,
        keyword_start: int,
        line_text: MappedText,
        args_start: int,
        flags: tuple[Flag, ...],
        heredocs: tuple[Heredoc, ...],
        span: Span,
        escape: str,
        index: int,
        blank_continuation_lines: tuple[int, ...],
        onbuild_trigger: Instruction | None,
    ) -> None:
        self.keyword_raw = keyword
        self.keyword = keyword.upper()
        self.keyword_start = keyword_start  # logical offset of the keyword in line_text
        self.line_text = line_text  # the whole logical line, keyword included
        self.args_start = args_start  # where ``args`` starts in ``line_text``
        self.flags = flags
        self.heredocs = heredocs
        self.span = span
        self.escape = escape
        self.index = index  # position among the document's top-level instructions
        self.stage_index = -1  # set when stages are built; -1 before the first FROM
        self.blank_continuation_lines = blank_continuation_lines
        self.onbuild_trigger = onbuild_trigger

    def __repr__(self) -> str:
        return f"<Instruction {self.keyword} line {self.span.line}: {self.args[:40]!r}>"

    @lazy_property
    def keyword_span(self) -> Span:
        """Source span of the keyword as written."""
        start = self.keyword_start
        return self.line_text.span(start, start + len(self.keyword_raw))

    @lazy_property
    def args_text(self) -> MappedText:
        """The logical argument text after the flags, mapped to the source."""
        line = self.line_text
        start = self.args_start
        if len(line._log) == 1 and 0 <= start <= len(line.text):  # slice(), inlined
            return MappedText(line.text[start:], [0], [line._src[0] + start], line._index)
        return line.slice(start, len(line.text))

    @property
    def args(self) -> str:
        """The logical argument text after the flags (trailing whitespace kept)."""
        return self.args_text.text

    @property
    def line(self) -> int:
        """First line (1-based)."""
        return self.span.line

    @property
    def end_line(self) -> int:
        """Last line, heredoc bodies included."""
        return self.span.end_line

    @property
    def is_known(self) -> bool:
        """Whether BuildKit knows this instruction."""
        return self.keyword in KNOWN_INSTRUCTIONS

    def args_span(self, start: int = 0, end: int | None = None) -> Span:
        """Source span of ``args[start:end]`` (the whole arguments by default)."""
        return self.args_text.span(start, len(self.args) if end is None else end)

    @lazy_property
    def words(self) -> tuple[Token, ...]:
        """The arguments split into words the way BuildKit splits them (quotes kept).

        FROM, COPY, ADD, EXPOSE and VOLUME in shell form split at whitespace only, as
        BuildKit does (``COPY "a b" /x`` is three words there, and fails); every
        other instruction splits into shell-like words where quotes and the escape
        character group (BuildKit's ``parseWords``).
        """
        at = self.args_text
        text = at.text
        end = len(text.rstrip(GO_SPACE))  # BuildKit splits the trimmed arguments
        if self.keyword in FIELD_SPLIT_INSTRUCTIONS and not self.is_exec_form:
            matches = _FIELD_RE.finditer(text, 0, end)
        else:
            matches = word_pattern(self.escape).finditer(text, 0, end)
        log, src, index = at._log, at._src, at._index
        out: list[Token] = []
        if len(log) == 1:  # contiguous: plain arithmetic
            base = src[0]
            for m in matches:
                s, e = m.span()
                out.append(make_token(m.group(), lazy_span(base + s, base + e, index), s, e))
            return tuple(out)
        # Words come in order: walk the segments along instead of a bisect per end
        # (``MappedText.span``: the start's segment, and that of the last character).
        last = len(log) - 1
        k = 0
        for m in matches:
            s, e = m.span()  # words are never empty
            while k < last and log[k + 1] <= s:
                k += 1
            j = k
            while j < last and log[j + 1] < e:
                j += 1
            span = lazy_span(src[k] + s - log[k], src[j] + e - log[j], index)
            out.append(make_token(m.group(), span, s, e))
        return tuple(out)

    @lazy_property
    def json_form(self) -> JsonForm:
        """How BuildKit reads the arguments as exec form (HEALTHCHECK: after its type)."""
        kw = self.keyword
        if kw == "HEALTHCHECK":
            _, cmd_start = split_healthcheck(self.args)
            return json_form(self.args[cmd_start:])
        if kw not in JSON_FORM_INSTRUCTIONS:
            return _NO_JSON
        return json_form(self.args)

    @property
    def json_args(self) -> tuple[str, ...] | None:
        """The decoded exec-form list, or None for shell form.

        For ``HEALTHCHECK CMD ["curl", "-f", "x"]`` this is the command after ``CMD``.
        """
        return self.json_form.values

    @property
    def is_exec_form(self) -> bool:
        """Whether the arguments are a JSON array of strings."""
        return self.json_form.values is not None

    @property
    def looks_like_bad_json(self) -> bool:
        """Starts with ``[`` but is not a JSON array of strings.

        BuildKit runs invalid JSON as shell form, and rejects a valid JSON array with
        a non-string item (``json_has_non_strings``).
        """
        return self.json_form.error is not None

    @property
    def json_has_non_strings(self) -> bool:
        """A JSON array with a non-string item: a parse error in BuildKit."""
        return self.json_form.error == "not-strings"

    def flag(self, name: str) -> Flag | None:
        """The last flag called ``name`` (case-insensitive)."""
        name = name.lower()
        found = None
        for f in self.flags:
            if f.name.lower() == name:
                found = f
        return found

    def flags_named(self, name: str) -> tuple[Flag, ...]:
        """Every flag called ``name`` (case-insensitive), in order."""
        name = name.lower()
        return tuple(f for f in self.flags if f.name.lower() == name)

    @lazy_property
    def mounts(self) -> tuple[Mount, ...]:
        """The ``--mount`` flags, parsed."""
        return tuple(parse_mount(f) for f in self.flags_named("mount"))

    @lazy_property
    def key_values(self) -> tuple[KeyValue, ...]:
        """ENV, ARG and LABEL pairs (empty for other instructions)."""
        if self.keyword not in KEY_VALUE_INSTRUCTIONS:
            return ()
        return tuple(_key_values(self))

    def scripts(self) -> Iterator[MappedText]:
        """Shell text this instruction runs: the command line, then heredoc bodies.

        For ``RUN <<EOF`` the body is the script; for ``RUN cmd <<EOF`` the body is
        input, but rules that look for commands such as ``go mod download`` still want
        to see it, so both are yielded.
        """
        yield self.args_text
        if self.keyword == "RUN":
            index = self.args_text._index
            for h in self.heredocs:
                yield MappedText(h.body, [0], [h.body_start], index)


def make_instruction(
    keyword: str,
    keyword_start: int,
    line_text: MappedText,
    args_start: int,
    flags: tuple[Flag, ...],
    heredocs: tuple[Heredoc, ...],
    span: Span,
    escape: str,
    index: int,
    blank_continuation_lines: tuple[int, ...],
    onbuild_trigger: Instruction | None,
) -> Instruction:
    """``Instruction(...)`` with positional arguments, for the parser.

    A call with a dozen keyword arguments costs three times as much as the stores it
    makes; the parser builds one instruction per logical line.
    """
    ins: Instruction = _new_object(Instruction)
    ins._init(
        keyword,
        keyword_start,
        line_text,
        args_start,
        flags,
        heredocs,
        span,
        escape,
        index,
        blank_continuation_lines,
        onbuild_trigger,
    )
    return ins


def _csv_fields(value: str) -> Iterator[tuple[str, int, int]]:
    """Split like Go's CSV reader (tolerantly): (field, start, end) in ``value``.

    A field that starts with ``"`` is quoted (``""`` is a literal quote); quotes
    anywhere else are kept (BuildKit would reject them).
    """
    i, n = 0, len(value)
    while True:
        if i < n and value[i] == '"':
            start = i
            i += 1
            out: list[str] = []
            while i < n:
                j = value.find('"', i)
                if j < 0:
                    out.append(value[i:])
                    i = n
                    break
                out.append(value[i:j])
                i = j + 1
                if i < n and value[i] == '"':
                    out.append('"')
                    i += 1
                    continue
                break
            j = value.find(",", i)
            end = n if j < 0 else j
            out.append(value[i:end])  # text after the closing quote (an error in Go)
            yield "".join(out), start, end
        else:
            j = value.find(",", i)
            end = n if j < 0 else j
            yield value[i:end], i, end
        if end >= n:
            return
        i = end + 1


def parse_mount(flag: Flag) -> Mount:
    """Split a ``--mount`` value into options the way BuildKit does.

    BuildKit reads the flag's unquoted value (``Flag.value``) as one CSV record; each
    field is ``key=value`` or a bare key.  Empty fields are skipped.
    """
    value = flag.value or ""
    offsets = flag.value_offsets
    if len(offsets) != len(value):  # written as is: the value is the end of ``raw``
        base = len(flag.raw) - len(value)
        offsets = tuple(range(base, base + len(value)))
    text = flag.text
    # A flag's text is one piece unless a continuation splits it: plain arithmetic
    # then (the offsets lie inside the flag and increase, so nothing to clamp).
    base = text._src[0] if len(text._log) == 1 else -1
    index = text._index
    options: list[MountOption] = []
    for field, start, end in _csv_fields(value):
        if not field.strip():
            continue
        key, eq, val = field.partition("=")
        if base >= 0:
            span = lazy_span(base + offsets[start], base + offsets[end - 1] + 1, index)
        else:
            span = text.span(offsets[start], offsets[end - 1] + 1)
        options.append(make_mount_option(key.lower(), val if eq else None, span))
    return Mount(flag, tuple(options))


def _key_values(ins: Instruction) -> Iterator[KeyValue]:
    words = ins.words
    if not words:
        return
    esc = ins.escape
    first = words[0]
    span = ins.args_text.span
    if (ins.keyword == "ENV" or ins.keyword == "LABEL") and "=" not in first.value:
        # Legacy ``ENV key value with spaces``: BuildKit splits the trimmed arguments
        # once at whitespace; the rest of the line is the value.
        args = ins.args
        start = first.start
        end = len(args.rstrip(GO_SPACE))
        sep = _FIELD_SEP_RE.search(args, start, end)
        key_end = sep.start() if sep else end
        rest_start = sep.end() if sep else end
        raw = args[rest_start:end]
        yield make_key_value(
            args[start:key_end],
            raw,
            unquote(raw, esc) if raw else "",
            span(start, key_end),
            span(rest_start, end) if raw else None,
            span(start, end),
            True,
        )
        return
    for w in words:
        key, eq, raw = w.value.partition("=")
        if eq:
            vstart = w.start + len(key) + 1
            yield make_key_value(
                key,
                raw,
                unquote(raw, esc),
                span(w.start, vstart - 1),
                span(vstart, w.end),
                w.span,
                False,
            )
        else:
            yield make_key_value(key, None, None, w.span, None, w.span, False)


class Stage:
    """A build stage: a FROM and the instructions up to the next FROM."""

    def __init__(self, index: int, from_instruction: Instruction) -> None:
        self.index = index
        self.from_instruction = from_instruction
        self.instructions: list[Instruction] = [from_instruction]
        words = from_instruction.words
        self.image_token: Token | None = words[0] if words else None
        self.name_token: Token | None = None
        if len(words) >= 3 and words[1].value.lower() == "as":
            self.name_token = words[2]
        self.parent: Stage | None = None  # set when the base names an earlier stage
        self.base_image = ""  # the image reference with global ARGs expanded

    def __repr__(self) -> str:
        return f"<Stage {self.index} {self.name or ''} FROM {self.base_image}>"

    @lazy_property
    def name(self) -> str | None:
        """The stage name from ``FROM ... AS name``, lower case as BuildKit treats it."""
        return self.name_token.value.lower() if self.name_token else None

    @property
    def image(self) -> str:
        """The base image as written (unexpanded)."""
        return self.image_token.value if self.image_token else ""

    @property
    def platform(self) -> Flag | None:
        """The ``--platform`` flag of the FROM, if any."""
        return self.from_instruction.flag("platform")

    def chain(self) -> tuple[Stage, ...]:
        """This stage and the stages it is built ``FROM``, the root first (cached).

        The walk stops at a repeated stage, so a cycle in half-typed text ends.
        """
        cached: tuple[Stage, ...] | None = self.__dict__.get("Stage.chain")  # memo(), inlined
        if cached is not None:
            return cached
        return memo(self, "Stage.chain", self._chain)

    def _chain(self) -> tuple[Stage, ...]:
        chain: list[Stage] = []
        seen: set[int] = set()
        st: Stage | None = self
        while st is not None and id(st) not in seen:
            chain.append(st)
            seen.add(id(st))
            st = st.parent
        return tuple(reversed(chain))

    def root(self) -> Stage:
        """The first stage of the ``FROM <stage>`` chain (the one on a real image)."""
        stage = self
        seen = {id(stage)}
        while stage.parent is not None and id(stage.parent) not in seen:
            stage = stage.parent
            seen.add(id(stage))
        return stage


class Dockerfile:
    """A parsed Dockerfile: its text, directives, comments, instructions and stages."""

    def __init__(
        self,
        *,
        text: str,
        index: LineIndex,
        escape: str,
        directives: Mapping[str, Directive],
        comments: tuple[Comment, ...],
        instructions: tuple[Instruction, ...],
        stages: tuple[Stage, ...],
        problems: tuple[Diagnostic, ...],
        global_args: tuple[Instruction, ...],
    ) -> None:
        self.text = text
        self.index = index
        self.escape = escape
        self.directives = dict(directives)
        self.comments = comments
        self.instructions = instructions
        self.stages = stages
        self.problems = problems
        self.global_args = global_args

    def span(self, start: int, end: int) -> Span:
        """Span of the source range ``[start, end)``."""
        return self.index.span(start, end)

    @property
    def syntax(self) -> Directive | None:
        """The ``# syntax=`` directive, if present."""
        return self.directives.get("syntax")

    @property
    def final_stage(self) -> Stage | None:
        """The last stage (what ``docker build`` produces without ``--target``)."""
        return self.stages[-1] if self.stages else None

    def stage_of(self, ins: Instruction) -> Stage | None:
        """The stage an instruction belongs to (None before the first FROM)."""
        if 0 <= ins.stage_index < len(self.stages):
            return self.stages[ins.stage_index]
        return None

    def by_keyword(self, keyword: str) -> tuple[Instruction, ...]:
        """The top-level instructions with ``keyword`` (upper case), in file order.

        Most rules look at one or two kinds of instruction; the index spares each of
        them a walk over the whole file.
        """
        index: dict[str, tuple[Instruction, ...]] = memo(self, "Dockerfile.by_keyword", self._index)
        return index.get(keyword, ())

    def _index(self) -> dict[str, tuple[Instruction, ...]]:
        groups: dict[str, list[Instruction]] = {}
        for ins in self.instructions:
            groups.setdefault(ins.keyword, []).append(ins)
        return {k: tuple(v) for k, v in groups.items()}

    def stage_named(self, name: str) -> Stage | None:
        """The stage called ``name`` (case-insensitive) or with that index."""
        low = name.lower()
        st = memo(self, "Dockerfile.stages_by_name", self._stages_by_name).get(low)
        if st is not None:
            return st
        if low.isdigit() and int(low) < len(self.stages):
            return self.stages[int(low)]
        return None

    def _stages_by_name(self) -> dict[str, Stage]:
        """The first stage of each name (rules look stages up for every COPY --from)."""
        by_name: dict[str, Stage] = {}
        for st in self.stages:
            if st.name is not None:
                by_name.setdefault(st.name, st)
        return by_name
