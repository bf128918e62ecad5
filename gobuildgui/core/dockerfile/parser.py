"""A tolerant Dockerfile parser built for an editor.

It follows BuildKit's rules (parser directives, the escape character, line
continuations that skip comment and blank lines, heredocs, JSON form, flags) but it
never raises: whatever it cannot make sense of becomes a ``GB001`` diagnostic and
parsing goes on, so half-typed text still yields every instruction it can.
"""

from __future__ import annotations

import re

from gobuildgui.core.dockerfile.expand import expand_word
from gobuildgui.core.dockerfile.nodes import (
    HEREDOC_INSTRUCTIONS,
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    MappedText,
    Stage,
    word_pattern,
)
from gobuildgui.core.model import Diagnostic, LineIndex, Severity, Span

SYNTAX_CODE = "GB001"
SYNTAX_NAME = "syntax-error"

_DIRECTIVE_RE = re.compile(r"^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*$")
_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_KEYWORD_RE = re.compile(r"(\S+)[ \t]*")
_HEREDOC_RE = re.compile(r"^(\d*)<<(-?)(.+)$")
_CONT_RE: dict[str, re.Pattern[str]] = {
    esc: re.compile(re.escape(esc) + r"[ \t]*$") for esc in ("\\", "`")
}


class _Lines:
    """Physical lines of the text: (start offset, content without line ending)."""

    __slots__ = ("count", "index", "text")

    def __init__(self, text: str, index: LineIndex) -> None:
        self.text = text
        self.index = index
        self.count = index.line_count

    def start(self, i: int) -> int:
        return self.index.line_start(i + 1)

    def content(self, i: int) -> str:
        return self.text[self.index.line_start(i + 1) : self.index.line_end(i + 1)]

    def end(self, i: int) -> int:
        return self.index.line_end(i + 1)


def parse(text: str) -> Dockerfile:
    """Parse ``text`` into a :class:`Dockerfile`; never raises on any input string."""
    return _Parser(text).run()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.index = LineIndex(text)
        self.lines = _Lines(text, self.index)
        self.escape = "\\"
        self.directives: dict[str, Directive] = {}
        self.comments: list[Comment] = []
        self.instructions: list[Instruction] = []
        self.problems: list[Diagnostic] = []

    def problem(self, span: Span, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Diagnostic(SYNTAX_CODE, SYNTAX_NAME, severity, message, span))

    # -- directives ---------------------------------------------------------------

    def _directives(self) -> int:
        """Read parser directives at the top; return the index of the first other line."""
        lines = self.lines
        i = 0
        while i < lines.count:
            content = lines.content(i)
            lead = 1 if i == 0 and content.startswith("\ufeff") else 0
            m = _DIRECTIVE_RE.match(content, lead)
            if not m:
                break
            name = m.group(1).lower()
            if name not in _KNOWN_DIRECTIVES:
                break  # BuildKit stops looking for directives at any other comment
            start = lines.start(i) + lead
            span = self.index.span(start, lines.end(i))
            value_span = self.index.span(lines.start(i) + m.start(2), lines.start(i) + m.end(2))
            value = m.group(2)
            if name in self.directives:
                self.problem(span, f"only one {name} parser directive can be used")
            elif name == "escape" and value not in ("\\", "`"):
                self.problem(
                    value_span,
                    f"invalid escape token {value!r}: the escape directive takes \\ or `",
                )
                self.directives[name] = Directive(name, value, span, value_span)
            else:
                self.directives[name] = Directive(name, value, span, value_span)
                if name == "escape":
                    self.escape = value
            i += 1
        return i

    # -- main loop ----------------------------------------------------------------

    def run(self) -> Dockerfile:
        lines = self.lines
        i = self._directives()
        cont = _CONT_RE[self.escape]
        while i < lines.count:
            content = lines.content(i)
            lead = 1 if i == 0 and content.startswith("\ufeff") else 0
            stripped = content[lead:].lstrip(" \t\f\v")
            if not stripped:
                i += 1
                continue
            indent = len(content) - len(stripped)
            if stripped.startswith("#"):
                start = lines.start(i) + indent
                self.comments.append(
                    Comment(stripped[1:].strip(), self.index.span(start, lines.end(i)))
                )
                i += 1
                continue
            i = self._instruction(i, indent, cont)
        return self._finish()

    def _instruction(self, i: int, indent: int, cont: re.Pattern[str]) -> int:
        """Parse the instruction starting on line ``i``; return the next line to read."""
        lines = self.lines
        first = i
        pieces: list[str] = []
        log_starts: list[int] = []
        src_starts: list[int] = []
        length = 0
        blank_cont: list[int] = []

        def add(piece: str, src: int) -> None:
            nonlocal length
            if piece:
                log_starts.append(length)
                src_starts.append(src)
                pieces.append(piece)
                length += len(piece)

        content = lines.content(i)[indent:]
        src = lines.start(i) + indent
        last = i
        while True:
            m = cont.search(content)
            if m is None:
                add(content, src)
                break
            add(content[: m.start()], src)
            # Continuation: the next non-blank, non-comment line belongs to this one.
            i += 1
            while i < lines.count:
                nxt = lines.content(i)
                s = nxt.lstrip(" \t")
                if not s:
                    blank_cont.append(i + 1)
                    i += 1
                    continue
                if s.startswith("#"):
                    i += 1
                    continue
                break
            if i >= lines.count:
                break
            content = lines.content(i)
            src = lines.start(i)
            last = i
        if not log_starts:
            log_starts, src_starts = [0], [lines.start(first) + indent]
        logical = MappedText("".join(pieces), log_starts, src_starts, self.index)
        end_offset = lines.end(last)
        next_line = last + 1
        ins, next_line, end_offset = self._build(
            logical, next_line, end_offset, tuple(blank_cont), nested=False
        )
        self.instructions.append(ins)
        return next_line

    def _build(
        self,
        logical: MappedText,
        next_line: int,
        end_offset: int,
        blank_cont: tuple[int, ...],
        *,
        nested: bool,
    ) -> tuple[Instruction, int, int]:
        """Make an Instruction from a logical line; read heredoc bodies after it."""
        text = logical.text
        m = _KEYWORD_RE.match(text)
        keyword = m.group(1) if m else text
        kw_end = len(keyword)
        args_start = m.end() if m else len(text)
        keyword_span = logical.span(0, kw_end)
        upper = keyword.upper()

        trigger: Instruction | None = None
        flags: tuple[Flag, ...] = ()
        heredocs: tuple[Heredoc, ...] = ()
        if upper == "ONBUILD" and not nested:
            inner = logical.slice(args_start, len(text))
            if inner.text.strip():
                trigger, next_line, end_offset = self._build(
                    inner, next_line, end_offset, (), nested=True
                )
                if trigger.keyword in ("ONBUILD", "FROM", "MAINTAINER"):
                    self.problem(
                        trigger.keyword_span,
                        f"{trigger.keyword} isn't allowed as an ONBUILD trigger",
                    )
        else:
            flags, args_start = self._flags(logical, args_start)
            if upper in HEREDOC_INSTRUCTIONS:
                heredocs, next_line, end_offset = self._heredocs(
                    logical, args_start, next_line, end_offset
                )
        start = logical.source_offset(0)
        span = self.index.span(start, max(end_offset, start))
        ins = Instruction(
            keyword=keyword,
            keyword_span=keyword_span,
            line_text=logical,
            args_start=args_start,
            flags=flags,
            heredocs=heredocs,
            span=span,
            escape=self.escape,
            index=len(self.instructions),
            blank_continuation_lines=blank_cont,
            onbuild_trigger=trigger,
        )
        if ins.is_known and not ins.args.strip() and trigger is None and not heredocs:
            self.problem(keyword_span, f"{upper} requires at least one argument")
        return ins, next_line, end_offset

    def _flags(self, logical: MappedText, pos: int) -> tuple[tuple[Flag, ...], int]:
        """Leading ``--name[=value]`` words; return them and where the arguments start."""
        text = logical.text
        pat = word_pattern(self.escape)
        flags: list[Flag] = []
        while True:
            m = pat.match(text, pos)
            if m is None or not m.group().startswith("--"):
                break
            word = m.group()
            after = m.end()
            while after < len(text) and text[after] in " \t":
                after += 1
            if word == "--":
                pos = after
                break
            name, eq, value = word[2:].partition("=")
            value_span = logical.span(m.start() + 3 + len(name), m.end()) if eq else None
            flags.append(
                Flag(
                    name=name,
                    value=value if eq else None,
                    raw=word,
                    span=logical.span(m.start(), m.end()),
                    value_span=value_span,
                    text=logical.slice(m.start(), m.end()),
                )
            )
            pos = after
        return tuple(flags), pos

    def _heredocs(
        self, logical: MappedText, args_start: int, next_line: int, end_offset: int
    ) -> tuple[tuple[Heredoc, ...], int, int]:
        text = logical.text
        if "<<" not in text or text[args_start:].lstrip().startswith("["):
            return (), next_line, end_offset
        pat = word_pattern(self.escape)
        found: list[tuple[re.Match[str], int, int]] = []
        for w in pat.finditer(text, args_start):
            hm = _HEREDOC_RE.match(w.group())
            if hm:
                found.append((hm, w.start(), w.end()))
        lines = self.lines
        docs: list[Heredoc] = []
        for hm, ws, we in found:
            raw_name = hm.group(3)
            name = expand_word(raw_name, None, self.escape)
            if not name:
                continue
            quoted = any(q in raw_name for q in "\"'")
            strip = hm.group(2) == "-"
            body_start = lines.start(next_line) if next_line < lines.count else len(self.text)
            i = next_line
            end_span: Span | None = None
            while i < lines.count:
                line = lines.content(i)
                if (line.lstrip("\t") if strip else line) == name:
                    end_span = self.index.span(lines.start(i), lines.end(i))
                    break
                i += 1
            if end_span is None:
                body_end = len(self.text)
                self.problem(
                    logical.span(ws, we),
                    f"unterminated heredoc: no line {name!r} closes <<{raw_name}",
                )
                end_offset = len(self.text)
                next_line = lines.count
            else:
                body_end = lines.start(i)
                end_offset = end_span.end
                next_line = i + 1
            fd_text = hm.group(1)
            docs.append(
                Heredoc(
                    name=name,
                    strip_tabs=strip,
                    quoted=quoted,
                    fd=int(fd_text) if fd_text else None,
                    marker_span=logical.span(ws, we),
                    body=self.text[body_start:body_end],
                    body_span=self.index.span(body_start, body_end),
                    end_span=end_span,
                    body_start=body_start,
                )
            )
        return tuple(docs), next_line, end_offset

    # -- stages -------------------------------------------------------------------

    def _finish(self) -> Dockerfile:
        stages: list[Stage] = []
        global_args: list[Instruction] = []
        defaults: dict[str, str | None] = {}
        for ins in self.instructions:
            if ins.keyword == "FROM":
                stage = Stage(len(stages), ins)
                stage.base_image = expand_word(stage.image, defaults, self.escape, keep=True)
                low = stage.base_image.lower()
                for earlier in stages:
                    if earlier.name is not None and earlier.name == low:
                        stage.parent = earlier
                ins.stage_index = stage.index
                stages.append(stage)
            elif stages:
                ins.stage_index = len(stages) - 1
                stages[-1].instructions.append(ins)
            elif ins.keyword == "ARG":
                global_args.append(ins)
                for kv in ins.key_values:
                    defaults[kv.key] = (
                        expand_word(kv.raw_value, defaults, self.escape, keep=True)
                        if kv.raw_value is not None
                        else None
                    )
        return Dockerfile(
            text=self.text,
            index=self.index,
            escape=self.escape,
            directives=self.directives,
            comments=tuple(self.comments),
            instructions=tuple(self.instructions),
            stages=tuple(stages),
            problems=tuple(self.problems),
            global_args=tuple(global_args),
        )
