"""The parsed form of a Dockerfile: instructions, flags, words, heredocs and stages.

Every node keeps exact source spans so that an editor can underline the precise
characters a rule talks about, even across line continuations.  Values that rules
rarely need (words, key/value pairs, mounts) are computed on first use.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from gobuildgui.core.model import Diagnostic, LineIndex, Span

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
        if not self._log:
            return 0
        logical = min(max(logical, 0), len(self.text))
        i = bisect.bisect_right(self._log, logical) - 1
        return self._src[max(i, 0)] + logical - self._log[max(i, 0)]

    def source_end(self, logical_end: int) -> int:
        """Source offset just past the logical character ``logical_end - 1``."""
        if logical_end <= 0:
            return self.source_offset(0)
        return self.source_offset(logical_end - 1) + 1

    def span(self, start: int, end: int) -> Span:
        """Source span of the logical range ``[start, end)``."""
        s = self.source_offset(start)
        e = self.source_end(end) if end > start else s
        return self._index.span(s, e)

    def slice(self, start: int, end: int) -> MappedText:
        """A sub-text ``[start, end)`` that keeps its map to the source."""
        start = min(max(start, 0), len(self.text))
        end = min(max(end, start), len(self.text))
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
    """An instruction flag such as ``--mount=type=cache,target=/go/pkg/mod``."""

    name: str  # without the leading dashes, as written
    value: str | None  # None for a bare ``--link``
    raw: str  # the whole word, as BuildKit reports it
    span: Span
    value_span: Span | None
    text: MappedText  # the whole flag, mapped to the source


@dataclass(frozen=True, slots=True)
class MountOption:
    """One ``key=value`` of a ``--mount`` flag."""

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
        found = None
        for opt in self.options:
            if opt.key in keys:
                found = opt
        return found

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

    name: str  # the delimiter word
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
    """Regex for one shell-like word, honouring quotes and the escape character."""
    pat = _WORD_CACHE.get(escape)
    if pat is None:
        e = re.escape(escape)
        pat = re.compile(
            rf"""(?:[^\s"'{e}]|{e}[\s\S]|{e}$|"(?:[^"{e}]|{e}[\s\S]|{e}$)*"?|'[^']*'?)+"""
        )
        _WORD_CACHE[escape] = pat
    return pat


def unquote(raw: str, escape: str = "\\") -> str:
    """Remove shell quotes and escapes the way BuildKit's word lexer does (no expansion)."""
    if '"' not in raw and "'" not in raw and escape not in raw:
        return raw
    out: list[str] = []
    i, n = 0, len(raw)
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
        keyword_span: Span,
        line_text: MappedText,
        args_start: int,
        flags: tuple[Flag, ...],
        heredocs: tuple[Heredoc, ...],
        span: Span,
        escape: str,
        index: int,
        blank_continuation_lines: tuple[int, ...] = (),
        onbuild_trigger: Instruction | None = None,
    ) -> None:
        self.keyword_raw = keyword
        self.keyword = keyword.upper()
        self.keyword_span = keyword_span
        self.line_text = line_text  # the whole logical line, keyword included
        self.args_text = line_text.slice(args_start, len(line_text.text))
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

    @property
    def args(self) -> str:
        """The logical argument text after the flags."""
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

    @cached_property
    def words(self) -> tuple[Token, ...]:
        """The arguments split into shell-like words (quotes kept in each value)."""
        pat = word_pattern(self.escape)
        text = self.args
        return tuple(
            Token(m.group(), self.args_text.span(m.start(), m.end()), m.start(), m.end())
            for m in pat.finditer(text)
        )

    @cached_property
    def _json(self) -> tuple[tuple[str, ...] | None, bool]:
        text = self.args.strip()
        if self.keyword not in JSON_FORM_INSTRUCTIONS or not text.startswith("["):
            return None, False
        try:
            value = json.loads(text)
        except ValueError:
            return None, True
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, True
        return tuple(value), False

    @property
    def json_args(self) -> tuple[str, ...] | None:
        """The decoded exec-form list, or None for shell form."""
        return self._json[0]

    @property
    def is_exec_form(self) -> bool:
        """Whether the arguments are a JSON array of strings."""
        return self._json[0] is not None

    @property
    def looks_like_bad_json(self) -> bool:
        """Starts with ``[`` but is not a JSON array of strings (BuildKit then uses shell form)."""
        return self._json[1]

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

    @cached_property
    def mounts(self) -> tuple[Mount, ...]:
        """The ``--mount`` flags, parsed."""
        return tuple(parse_mount(f) for f in self.flags_named("mount"))

    @cached_property
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


def parse_mount(flag: Flag) -> Mount:
    """Split a ``--mount`` value into its comma-separated options (CSV-style quotes)."""
    value = flag.value or ""
    text = flag.text
    base = len(flag.raw) - len(value)  # logical offset of the value inside the flag text
    options: list[MountOption] = []
    i, n = 0, len(value)
    while i <= n:
        j = i
        quote = ""
        while j < n:
            c = value[j]
            if quote:
                if c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == ",":
                break
            j += 1
        field = value[i:j]
        if field.strip():
            key, eq, val = field.partition("=")
            options.append(
                MountOption(
                    key.strip().lower(),
                    val.strip().strip("\"'") if eq else None,
                    text.span(base + i, base + j),
                )
            )
        i = j + 1
    return Mount(flag, tuple(options))


def _key_values(ins: Instruction) -> Iterator[KeyValue]:
    words = ins.words
    if not words:
        return
    esc = ins.escape
    first = words[0]
    if ins.keyword in ("ENV", "LABEL") and "=" not in first.value:
        # Legacy ``ENV key value with spaces``: the rest of the line is the value.
        rest_start = words[1].start if len(words) > 1 else len(ins.args)
        raw = ins.args[rest_start:].rstrip()
        value_span = ins.args_text.span(rest_start, rest_start + len(raw)) if raw else None
        yield KeyValue(
            key=first.value,
            raw_value=raw,
            value=unquote(raw, esc) if raw else "",
            key_span=first.span,
            value_span=value_span,
            span=ins.args_text.span(first.start, rest_start + len(raw)),
            legacy=True,
        )
        return
    for w in words:
        key, eq, raw = w.value.partition("=")
        if eq:
            vstart = w.start + len(key) + 1
            yield KeyValue(
                key=key,
                raw_value=raw,
                value=unquote(raw, esc),
                key_span=ins.args_text.span(w.start, w.start + len(key)),
                value_span=ins.args_text.span(vstart, w.end),
                span=w.span,
            )
        else:
            yield KeyValue(
                key=key,
                raw_value=None,
                value=None,
                key_span=w.span,
                value_span=None,
                span=w.span,
            )


class Stage:
    """A build stage: a FROM and the instructions up to the next FROM."""

    def __init__(self, index: int, from_instruction: Instruction) -> None:
        self.index = index
        self.from_instruction = from_instruction
        self.instructions: list[Instruction] = [from_instruction]
        words = list(from_instruction.words)
        self.image_token: Token | None = words[0] if words else None
        self.name_token: Token | None = None
        if len(words) >= 3 and words[1].value.lower() == "as":
            self.name_token = words[2]
        self.parent: Stage | None = None  # set when the base names an earlier stage
        self.base_image = ""  # the image reference with global ARGs expanded

    def __repr__(self) -> str:
        return f"<Stage {self.index} {self.name or ''} FROM {self.base_image}>"

    @property
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

    def stage_named(self, name: str) -> Stage | None:
        """The stage called ``name`` (case-insensitive) or with that index."""
        low = name.lower()
        for st in self.stages:
            if st.name == low:
                return st
        if low.isdigit() and int(low) < len(self.stages):
            return self.stages[int(low)]
        return None
