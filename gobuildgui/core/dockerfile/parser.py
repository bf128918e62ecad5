"""A tolerant Dockerfile parser built for an editor.

It follows BuildKit's rules (those of the current ``docker/dockerfile:1`` frontend):
parser directives, the escape character, line continuations that skip comment and
blank lines, heredocs, JSON form and flags.  It never raises: whatever BuildKit's
parser would reject becomes a ``GB001`` diagnostic and parsing goes on, so half-typed
text still yields every instruction it can.

Where this parser knowingly differs from BuildKit:

* BuildKit stops at the first error; we report it and go on.  An unterminated
  heredoc takes the lines up to the next line that starts with an upper-case
  instruction keyword (or the end of the file) as its body, so the instructions
  after a heredoc that is still being typed are parsed.
* BuildKit's flag lexer walks bytes, so a non-ASCII character in a flag comes out
  mangled (and one whose UTF-8 holds 0x85 or 0xA0 even splits the flag); we read
  characters.
* When the file ends inside a continuation, BuildKit's end line counts the trailing
  blank and comment lines it skipped; our instruction span ends at the last line
  that carries text.
* BuildKit counts a lone ``\\r`` as part of the line (only ``\\n`` ends a line); so do
  we, but a run of ``\\r`` before ``\\n`` belongs to the line ending in both.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, repeat
from operator import add

from gobuildgui.core.dockerfile.expand import expand_word
from gobuildgui.core.dockerfile.nodes import (
    GO_SPACE,
    GO_SPACE_CLASS,
    HEREDOC_INSTRUCTIONS,
    KNOWN_INSTRUCTIONS,
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    MappedText,
    Stage,
    json_form,
    make_flag,
    make_heredoc,
    make_instruction,
    word_pattern,
)
from gobuildgui.core.model import Diagnostic, LineIndex, Severity, Span, lazy_span

SYNTAX_CODE = "GB001"
SYNTAX_NAME = "syntax-error"

_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
# After ``#`` and Go whitespace: ``name = value`` (Go's ``\s`` is [\t\n\f\r ]).
_DIRECTIVE_NAME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=")
_RE2_SPACE = "\t\n\f\r "
# The keyword: after leading Go whitespace, up to BuildKit's ``reWhitespace``.
_KEYWORD_RE = re.compile(rf"[{GO_SPACE_CLASS}]*([^\t\v\f\r ]*)[\t\v\f\r ]*")
_GO_SPACE_RUN_RE = re.compile(rf"[{GO_SPACE_CLASS}]*")
_GO_SPACE_SET = frozenset(GO_SPACE)
# A flag with neither quotes nor escapes (the common case: no lexer loop needed).
_PLAIN_FLAG_RE: dict[str, re.Pattern[str]] = {
    esc: re.compile(rf"--[^{GO_SPACE_CLASS}\"'{re.escape(esc)}]*(?![^{GO_SPACE_CLASS}])")
    for esc in ("\\", "`")
}
# BuildKit's ``reHeredoc`` (Go's \d is ASCII, \s is [\t\n\f\r ]).
_HEREDOC_RE = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\Z")
# Characters BuildKit's shell lexer treats specially when it looks for heredocs.
_SHELL_PLAIN_RE = re.compile(rf"[^{GO_SPACE_CLASS}$'\"<\\\\]+")
# Without these characters the lexer only splits at whitespace (``<<`` keeping the
# spaces after it): one regex then finds the same words.
_SHELL_SPECIAL_RE = re.compile(r"[$'\"\\]")
_SHELL_SIMPLE_WORD_RE = re.compile(rf"(?:<<[ \t\r]*|[^{GO_SPACE_CLASS}])+")
# An unterminated heredoc's body ends before a line that looks like an instruction.
_INSTRUCTION_LINE_RE = re.compile(
    r"(?:" + "|".join(sorted(KNOWN_INSTRUCTIONS)) + r")(?![^\t\v\f\r ])"
)
_MAX_SHELL_DEPTH = 64  # nesting of ${...} before we call it an error
_HEREDOC_SCAN = 32  # lines to look through for a heredoc's end before indexing them all


class _Lines:
    """Physical lines of the text: start offsets and contents without line endings.

    Like BuildKit's ``trimNewline``, every ``\\r`` before the ``\\n`` (or before the
    end of the text) belongs to the line ending.
    """

    __slots__ = ("contents", "count", "starts")

    def __init__(self, text: str) -> None:
        # str.split and accumulate run in C: no Python loop over the lines.
        raw = text.split("\n")
        if len(raw) > 1 and raw[-1] == "":
            raw.pop()
        self.starts: list[int] = list(accumulate(map(add, map(len, raw), repeat(1)), initial=0))
        self.contents = [line.rstrip("\r") for line in raw] if "\r" in text else raw
        self.count = len(raw)

    def end(self, i: int) -> int:
        """Offset just past the content of line ``i`` (before its line ending)."""
        return self.starts[i] + len(self.contents[i])


def parse(text: str) -> Dockerfile:
    """Parse ``text`` into a :class:`Dockerfile`; never raises on any input string."""
    return _Parser(text).run()


def _skip_space(text: str, pos: int) -> int:
    """The first offset at or after ``pos`` that is not Go whitespace."""
    m = _GO_SPACE_RUN_RE.match(text, pos)
    return m.end() if m else pos


def _continuation(content: str, escape: str) -> int:
    """Offset of the line-continuation escape in ``content``, or -1.

    BuildKit's regex is ``([^E])E[ \\t]*$|^E[ \\t]*$``: an escape at the end (spaces
    and tabs after it allowed) that does not itself follow an escape.
    """
    t = content.rstrip(" \t")
    if not t or t[-1] != escape:
        return -1
    k = len(t) - 1
    if k == 0 or t[k - 1] != escape:
        return k
    return -1


_CLOSED_QUOTES_RE: dict[str, re.Pattern[str]] = {}


def _open_quote(word: str, escape: str) -> str | None:
    """``"double-quote"`` or ``"single-quote"`` when ``word`` ends inside that quote."""
    if '"' not in word and "'" not in word:
        return None
    pattern = _CLOSED_QUOTES_RE.get(escape)
    if pattern is None:
        # Plain runs, the escape with the character it keeps (also inside double
        # quotes), and closed quotes; it stops only at a quote that is never closed.
        e = re.escape(escape)
        pattern = _CLOSED_QUOTES_RE[escape] = re.compile(
            rf"""(?:[^"'{e}]++|{e}[\s\S]?|'[^']*+'|"(?:[^"{e}]++|{e}[\s\S]?)*+")*+"""
        )
    m = pattern.match(word)
    end = m.end() if m is not None else 0
    if end >= len(word):
        return None
    return "single-quote" if word[end] == "'" else "double-quote"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = lines = _Lines(text)
        # The index needs the same line starts, without the one past an unterminated
        # last line: share them instead of scanning the text twice.
        starts = lines.starts if text.endswith("\n") else lines.starts[:-1]
        self.index = LineIndex(text, starts=starts)
        self.escape = "\\"
        self.directives: dict[str, Directive] = {}
        self.comments: list[Comment] = []
        self.instructions: list[Instruction] = []
        self.problems: list[Diagnostic] = []
        # Built on first use: line indices by content, for finding heredoc ends.
        self._line_lookup: dict[str, list[int]] | None = None
        self._tab_line_lookup: dict[str, list[int]] | None = None
        self._instruction_lines: list[int] | None = None

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, index=self.index)

    def problem(self, span: Span, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Diagnostic(SYNTAX_CODE, SYNTAX_NAME, severity, message, span))

    # -- directives ---------------------------------------------------------------

    def _directives(self) -> int:
        """Read parser directives at the top; return the index of the first other line."""
        lines = self.lines
        i = 0
        while i < lines.count:
            content = lines.contents[i]
            lead = 1 if i == 0 and content.startswith("\ufeff") else 0
            hash_at = len(content) - len(content[lead:].lstrip(GO_SPACE))
            if not content.startswith("#", hash_at):
                break
            body_at = _skip_space(content, hash_at + 1)
            m = _DIRECTIVE_NAME_RE.match(content, body_at)
            if not m:
                break
            # ``\s*(.+?)\s*$``: the value is trimmed but needs one character, so a
            # value of only spaces is its last space.
            after = m.end()
            value_start = len(content) - len(content[after:].lstrip(_RE2_SPACE))
            value_end = len(content[after:].rstrip(_RE2_SPACE)) + after
            if value_end <= value_start:
                if after == len(content):
                    break
                value_start, value_end = len(content) - 1, len(content)
            name = m.group(1).lower()
            if name not in _KNOWN_DIRECTIVES:
                break  # BuildKit stops looking for directives at any other comment
            base = lines.starts[i]
            span = self.span(base + hash_at, lines.end(i))
            value_span = self.span(base + value_start, base + value_end)
            value = content[value_start:value_end]
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
        contents = lines.contents
        starts = lines.starts
        index = self.index
        comments = self.comments
        instructions = self.instructions
        i = self._directives()
        escape = self.escape
        count = lines.count
        while i < count:
            content = contents[i]
            if not content:
                i += 1
                continue
            stripped = content
            if content[0] in GO_SPACE or (i == 0 and content[0] == "\ufeff"):
                stripped = content[1:] if content[0] == "\ufeff" else content
                stripped = stripped.lstrip(GO_SPACE)
                if not stripped:
                    i += 1
                    continue
            indent = len(content) - len(stripped)
            start = starts[i] + indent
            if stripped[0] == "#":
                end = starts[i] + len(content)
                comments.append(Comment(stripped[1:].strip(), lazy_span(start, end, index)))
                i += 1
                continue
            t = stripped.rstrip(" \t")
            if t[-1] == escape and (len(t) == 1 or t[-2] != escape):
                i = self._continued(i, indent)
                continue
            # A single line: the common case.
            logical = MappedText(stripped, [0], [start], index)
            ins, i, _ = self._build(logical, start, i + 1, starts[i] + len(content), (), False)
            instructions.append(ins)
        return self._finish()

    def _continued(self, i: int, indent: int) -> int:
        """Parse an instruction continued over several lines; return the next line."""
        lines = self.lines
        contents = lines.contents
        count = lines.count
        escape = self.escape
        first = i
        content = contents[i][indent:]
        src = lines.starts[i] + indent
        cut = _continuation(content, escape)
        pieces: list[str] = []
        log_starts: list[int] = []
        src_starts: list[int] = []
        length = 0
        blank_cont: list[int] = []
        last = i
        while True:
            piece = content if cut < 0 else content[:cut]
            if piece:
                log_starts.append(length)
                src_starts.append(src)
                pieces.append(piece)
                length += len(piece)
            if cut < 0:
                break
            # The next non-blank, non-comment line belongs to this one.
            i += 1
            while i < count:
                nxt = contents[i]
                s = nxt.lstrip(GO_SPACE) if nxt and nxt[0] in GO_SPACE else nxt
                if not s:
                    blank_cont.append(i + 1)
                    i += 1
                    continue
                if s[0] == "#":
                    i += 1
                    continue
                break
            if i >= count:
                break
            content = contents[i]
            src = lines.starts[i]
            last = i
            # _continuation(), inlined: it runs for every continued line.
            t = content.rstrip(" \t")
            cut = -1
            if t and t[-1] == escape:
                k = len(t) - 1
                if k == 0 or t[k - 1] != escape:
                    cut = k
        start = lines.starts[first] + indent
        if not log_starts:
            log_starts, src_starts = [0], [start]
        logical = MappedText("".join(pieces), log_starts, src_starts, self.index)
        ins, next_line, _ = self._build(
            logical, start, last + 1, lines.end(last), tuple(blank_cont), False
        )
        self.instructions.append(ins)
        return next_line

    def _build(
        self,
        logical: MappedText,
        start: int,
        next_line: int,
        end_offset: int,
        blank_cont: tuple[int, ...],
        nested: bool,
    ) -> tuple[Instruction, int, int]:
        """Make an Instruction from a logical line; read heredoc bodies after it."""
        text = logical.text
        m = _KEYWORD_RE.match(text)
        assert m is not None  # every part of the pattern may be empty
        kw_start, kw_end = m.span(1)
        pos = m.end()
        if pos == len(text):  # ``strings.TrimSpace`` of the whole line
            kw_end = max(kw_start, min(kw_end, len(text.rstrip(GO_SPACE))))
        keyword = text[kw_start:kw_end]
        upper = keyword.upper()

        if text.startswith("--", pos) or text[pos : pos + 1] in _GO_SPACE_SET:
            # BuildKit lexes the flags of the trimmed line (``strings.TrimSpace``).
            flags, args_start = self._flags(logical, pos, len(text.rstrip(GO_SPACE)))
        else:
            flags, args_start = (), pos
        trigger: Instruction | None = None
        heredocs: tuple[Heredoc, ...] = ()
        if upper == "ONBUILD" and not nested:
            inner = logical.slice(args_start, len(text))
            if inner.text.strip(GO_SPACE):
                trigger, next_line, end_offset = self._build(
                    inner, inner.source_offset(0), next_line, end_offset, (), True
                )
                if trigger.keyword in ("ONBUILD", "FROM", "MAINTAINER"):
                    self.problem(
                        trigger.keyword_span,
                        f"{trigger.keyword} isn't allowed as an ONBUILD trigger",
                    )
        elif (
            upper in HEREDOC_INSTRUCTIONS
            and "<<" in text
            and json_form(text[args_start:]).values is None
        ):
            heredocs, next_line, end_offset = self._heredocs(logical, next_line, end_offset)
        span = lazy_span(start, end_offset if end_offset > start else start, self.index)
        ins = make_instruction(
            keyword,
            kw_start,
            logical,
            args_start,
            flags,
            heredocs,
            span,
            self.escape,
            len(self.instructions),
            blank_cont,
            trigger,
        )
        if args_start >= len(text):  # the flags skip whitespace: nothing follows
            if trigger is None and not heredocs and upper in KNOWN_INSTRUCTIONS:
                self.problem(ins.keyword_span, f"{upper} requires at least one argument")
        elif upper == "ENV" or upper == "LABEL":
            self._check_key_values(ins, upper)
        elif upper == "FROM":
            self._check_from(ins)
        elif (upper == "COPY" or upper == "ADD") and not heredocs:
            self._check_copy(ins, upper)
        if (upper == "ENV" or upper == "LABEL" or upper == "ARG") and ('"' in text or "'" in text):
            self._check_quotes(ins, upper)
        elif "[" in text and ins.json_has_non_strings:
            self.problem(
                ins.args_span(),
                "when using JSON array syntax, arrays must be comprised of strings only",
            )
        return ins, next_line, end_offset

    def _check_from(self, ins: Instruction) -> None:
        """BuildKit's ``parseBuildStageName``: ``FROM image`` or ``FROM image AS name``."""
        words = ins.words
        if len(words) == 1 or (len(words) == 3 and words[1].value.lower() == "as"):
            return
        self.problem(
            ins.args_span(),
            "FROM requires either one or three arguments (FROM image [AS name])",
        )

    def _check_copy(self, ins: Instruction, upper: str) -> None:
        """BuildKit: COPY and ADD need a source and a destination."""
        values = ins.json_form.values
        count = len(values) if values is not None else len(ins.words)
        if count == 1:
            self.problem(
                ins.args_span(),
                f"{upper} requires at least two arguments, but only one was provided;"
                " the destination could not be determined",
            )

    def _check_quotes(self, ins: Instruction, upper: str) -> None:
        """An unterminated quote, which BuildKit's word lexer rejects when it expands."""
        escape = ins.escape
        for w in ins.words:
            kind = _open_quote(w.value, escape)
            if kind is not None:
                self.problem(
                    ins.args_span(w.start, w.end),
                    f"{upper}: unexpected end of statement while looking for matching {kind}",
                )
                return

    def _check_key_values(self, ins: Instruction, upper: str) -> None:
        """BuildKit's ``parseNameVal`` errors: legacy form without a value, missing ``=``."""
        args = ins.args
        words = word_pattern(ins.escape).finditer(args, 0, len(args.rstrip(GO_SPACE)))
        first = next(words, None)
        if first is None:
            return
        if "=" not in first.group():
            if not any(c in "\t\v\f\r " for c in args.strip(GO_SPACE)):
                self.problem(ins.args_span(), f"{upper} must have two arguments")
            return
        for w in words:
            if "=" not in w.group():
                self.problem(
                    ins.args_span(w.start(), w.end()),
                    f"can't find = in {w.group()!r}: {upper} takes name=value pairs",
                )
                return

    # -- flags --------------------------------------------------------------------

    def _flags(self, logical: MappedText, pos: int, n: int) -> tuple[tuple[Flag, ...], int]:
        """Leading ``--name[=value]`` words in ``text[pos:n]`` (``extractBuilderFlags``).

        Returns the flags and where the arguments start.  Quotes and escapes are
        removed from each flag's name and value; ``--`` ends the flags.
        """
        text = logical.text
        skip = _GO_SPACE_RUN_RE.match  # _skip_space(), inlined: it runs for every flag
        m = skip(text, pos)
        pos = m.end() if m else pos
        if not text.startswith("--", pos):
            return (), pos
        esc = self.escape
        plain = _PLAIN_FLAG_RE.get(esc)
        flags: list[Flag] = []
        while text.startswith("--", pos, n):
            start = pos
            pm = plain.match(text, pos, n) if plain is not None else None
            if pm is not None:
                pos = pm.end()
                word = pm.group()
                offsets: list[int] | range = range(start, pos)
            else:
                chars: list[str] = []
                offsets = []
                quote = ""
                while pos < n:
                    c = text[pos]
                    if quote:
                        if c == quote:
                            quote = ""
                            pos += 1
                            continue
                    elif c in GO_SPACE:
                        break
                    elif c == '"' or c == "'":
                        quote = c
                        pos += 1
                        continue
                    if c == esc:
                        if pos + 1 == n:  # an escape at the very end is dropped
                            pos += 1
                            quote = ""
                            continue
                        pos += 1
                        c = text[pos]
                    chars.append(c)
                    offsets.append(pos)
                    pos += 1
                word = "".join(chars)
            if word == "--":
                break
            flags.append(self._flag(logical, start, pos, word, offsets))
            m = skip(text, pos)
            pos = m.end() if m else pos
        pos = _skip_space(text, pos)
        return tuple(flags), pos

    def _flag(
        self, logical: MappedText, start: int, end: int, word: str, offsets: list[int] | range
    ) -> Flag:
        text = logical.text
        raw = text[start:end]
        name, eq, value = word[2:].partition("=")
        value_offsets: tuple[int, ...] = ()
        eq_at = offsets[2 + len(name)] if eq else -1  # the ``=`` as written
        if eq and not isinstance(offsets, range):  # quotes or escapes: keep the map
            value_offsets = tuple(o - start for o in offsets[3 + len(name) :])
        log = logical._log
        k = 0 if len(log) == 1 else bisect.bisect_right(log, start) - 1
        if k + 1 >= len(log) or end < log[k + 1]:
            # The flag lies inside one piece of the logical line (the usual case, also
            # with continuations): what span() and slice() give, by plain arithmetic.
            # ``end`` must stay before the next piece, where an empty value would map.
            base = logical._src[k] - log[k]
            index = logical._index
            span = lazy_span(base + start, base + end, index)
            value_span = lazy_span(base + eq_at + 1, base + end, index) if eq else None
            mapped = MappedText(raw, [0], [base + start], index)
        else:
            span = logical.span(start, end)
            value_span = logical.span(eq_at + 1, end) if eq else None
            mapped = logical.slice(start, end)
        return make_flag(
            name,
            value if eq else None,
            raw,
            span,
            value_span,
            mapped,
            word,
            text[eq_at + 1 : end] if eq else None,
            value_offsets,
        )

    # -- heredocs -----------------------------------------------------------------

    def _heredocs(
        self, logical: MappedText, next_line: int, end_offset: int
    ) -> tuple[tuple[Heredoc, ...], int, int]:
        """Heredocs of a RUN/COPY/ADD line (BuildKit's ``heredocsFromLine``).

        BuildKit lexes the whole line with its shell lexer (escape ``\\`` whatever the
        escape directive says), keeping quotes; a lexing error (an unterminated quote,
        a bad ``${``) means no heredocs at all.
        """
        text = logical.text
        words = _shell_words(text, 0, len(text))
        if not words:
            return (), next_line, end_offset
        lines = self.lines
        docs: list[Heredoc] = []
        unterminated = False
        for ws, we in words:
            hm = _HEREDOC_RE.match(text, ws, we)
            if hm is None or not hm.group(3):
                continue
            rest = hm.group(3)
            marker_span = logical.span(ws, we)
            name_words = _shell_words(rest, 0, len(rest))
            if name_words is None:
                self.problem(marker_span, f"cannot read the heredoc delimiter {rest!r}")
                continue
            names = [expand_word(rest[a:b], None, "\\") for a, b in name_words]
            names = [nm for nm in names if nm]
            if len(names) != 1:
                continue
            name = names[0]
            quoted = rest.count('"') + rest.count("'") != name.count('"') + name.count("'")
            strip = hm.group(2) == "-"
            fd_text = hm.group(1)
            fd = int(fd_text) if fd_text and len(fd_text) < 19 else None
            body_start = lines.starts[next_line] if next_line < lines.count else len(self.text)
            end_span: Span | None = None
            close = -1 if unterminated else self._find_line(name, next_line, strip)
            if close < 0:
                stop = next_line if unterminated else self._next_instruction_line(next_line)
                body_end = lines.starts[stop] if stop < lines.count else len(self.text)
                self.problem(marker_span, f"unterminated heredoc: no line {name!r} closes <<{rest}")
                unterminated = True
                if stop > next_line:
                    end_offset = lines.end(stop - 1)
                next_line = stop
            else:
                body_end = lines.starts[close]
                end_span = lazy_span(lines.starts[close], lines.end(close), self.index)
                end_offset = lines.end(close)
                next_line = close + 1
            docs.append(
                make_heredoc(
                    name,
                    strip,
                    quoted,
                    fd,
                    marker_span,
                    self.text[body_start:body_end],
                    lazy_span(body_start, body_end, self.index),
                    end_span,
                    body_start,
                )
            )
        return tuple(docs), next_line, end_offset

    def _find_line(self, name: str, start: int, strip_tabs: bool) -> int:
        """First line at or after ``start`` that closes a heredoc called ``name``."""
        # Bodies are short: look at the next lines first, and only index every line of
        # the text (once per parse) for a long or unterminated body.
        contents = self.lines.contents
        stop = min(start + _HEREDOC_SCAN, self.lines.count)
        if strip_tabs:
            for i in range(start, stop):
                if contents[i].lstrip("\t") == name:
                    return i
        else:
            try:
                return contents.index(name, start, stop)
            except ValueError:
                pass
        if stop >= self.lines.count:
            return -1
        start = stop
        if strip_tabs:
            lookup = self._tab_line_lookup
            if lookup is None:
                lookup = self._tab_line_lookup = self._lookup(strip_tabs=True)
        else:
            lookup = self._line_lookup
            if lookup is None:
                lookup = self._line_lookup = self._lookup(strip_tabs=False)
        found = lookup.get(name)
        if not found:
            return -1
        k = bisect.bisect_left(found, start)
        return found[k] if k < len(found) else -1

    def _lookup(self, *, strip_tabs: bool) -> dict[str, list[int]]:
        lookup: dict[str, list[int]] = {}
        for i, content in enumerate(self.lines.contents):
            key = content.lstrip("\t") if strip_tabs else content
            found = lookup.get(key)
            if found is None:
                lookup[key] = [i]
            else:
                found.append(i)
        return lookup

    def _next_instruction_line(self, start: int) -> int:
        """The first line at or after ``start`` that starts with an upper-case keyword."""
        found = self._instruction_lines
        if found is None:
            match = _INSTRUCTION_LINE_RE.match
            found = self._instruction_lines = [
                i for i, content in enumerate(self.lines.contents) if match(content)
            ]
        k = bisect.bisect_left(found, start)
        return found[k] if k < len(found) else self.lines.count

    # -- stages -------------------------------------------------------------------

    def _finish(self) -> Dockerfile:
        stages: list[Stage] = []
        by_name: dict[str, Stage] = {}
        global_args: list[Instruction] = []
        defaults: dict[str, str | None] = {}
        for ins in self.instructions:
            if ins.keyword == "FROM":
                stage = Stage(len(stages), ins)
                stage.base_image = expand_word(stage.image, defaults, self.escape, keep=True)
                stage.parent = by_name.get(stage.base_image.lower())
                ins.stage_index = stage.index
                stages.append(stage)
                if stage.name is not None:
                    by_name[stage.name] = stage
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


# -- BuildKit's shell lexer, as far as heredoc detection needs it -----------------


def _shell_words(text: str, pos: int, end: int) -> list[tuple[int, int]] | None:
    """Word boundaries of ``text[pos:end]`` as BuildKit's ``ProcessWords`` finds them.

    This is the lexer with ``RawQuotes``, ``RawEscapes`` and ``SkipUnsetEnv`` (and
    escape ``\\``), which BuildKit runs over a whole RUN/COPY/ADD line to find heredoc
    words.  Words end at unquoted Go whitespace; ``<<`` takes the spaces after it into
    the word (BuildKit 0.21+: ``<< EOF``); whitespace inside ``${...}`` splits too.
    Returns None where BuildKit's lexer fails.
    """
    if _SHELL_SPECIAL_RE.search(text, pos, end) is None:
        return [m.span() for m in _SHELL_SIMPLE_WORD_RE.finditer(text, pos, end)]
    words: list[tuple[int, int]] = []
    ws = -1
    plain = _SHELL_PLAIN_RE.match
    while pos < end:
        c = text[pos]
        if c in GO_SPACE:
            if ws >= 0:
                words.append((ws, pos))
                ws = -1
            pos += 1
            continue
        if ws < 0:
            ws = pos
        if c == "\\":
            pos = min(pos + 2, end)
        elif c == "'":
            j = text.find("'", pos + 1, end)
            if j < 0:
                return None
            pos = j + 1
        elif c == '"':
            j = _double_quote_end(text, pos, end, 0)
            if j < 0:
                return None
            pos = j
        elif c == "$":
            j = _dollar_end(text, pos, end, 0)
            if j < 0:
                return None
            for k in range(pos, j):  # the expansion is re-split at whitespace
                if text[k] in GO_SPACE:
                    if ws >= 0 and ws < k:
                        words.append((ws, k))
                    ws = -1
                elif ws < 0:
                    ws = k
            pos = j
        elif c == "<" and text.startswith("<<", pos):
            pos += 2
            while pos < end and text[pos] in " \t\r":
                pos += 1
        else:
            m = plain(text, pos, end)
            pos = m.end() if m else pos + 1
    if ws >= 0:
        words.append((ws, end))
    return words


def _double_quote_end(text: str, pos: int, end: int, depth: int) -> int:
    """Offset after the ``"..."`` at ``pos``; -1 when unterminated or invalid."""
    pos += 1
    while pos < end:
        c = text[pos]
        if c == '"':
            return pos + 1
        if c == "$":
            pos = _dollar_end(text, pos, end, depth)
            if pos < 0:
                return -1
            continue
        if c == "\\":
            pos += 1
            if pos < end and text[pos] in '"$\\':
                pos += 1
            continue
        pos += 1
    return -1


def _name_end(text: str, pos: int, end: int) -> int:
    """End of the variable name at ``pos`` (BuildKit's ``processName``)."""
    if pos >= end:
        return pos
    c = text[pos]
    if c.isdecimal():
        while pos < end and text[pos].isdecimal():
            pos += 1
        return pos
    if c in "@*#?-$!":
        return pos + 1
    while pos < end and (text[pos].isalpha() or text[pos].isdecimal() or text[pos] == "_"):
        pos += 1
    return pos


def _dollar_end(text: str, pos: int, end: int, depth: int) -> int:
    """Offset after the ``$`` reference at ``pos``; -1 where BuildKit's lexer fails."""
    p = pos + 1
    if p >= end or text[p] != "{":
        return _name_end(text, p, end)
    if depth > _MAX_SHELL_DEPTH:
        return -1
    p += 1
    if p >= end or text[p] in "{}:":
        return -1  # missing '}' or bad substitution
    p = _name_end(text, p, end)
    if p >= end:
        return -1
    ch = text[p]
    p += 1
    if ch == "}":
        return p
    if ch == ":":
        if p >= end or text[p] in "#%":
            return -1
        return _stop_on(text, p + 1, end, "}", depth + 1)
    if ch in "+-?#%":
        return _stop_on(text, p, end, "}", depth + 1)
    if ch == "/":
        if p < end and text[p] == "/":
            p += 1
        p = _stop_on(text, p, end, "/", depth + 1)
        return -1 if p < 0 else _stop_on(text, p, end, "}", depth + 1)
    return -1  # unsupported modifier


def _stop_on(text: str, pos: int, end: int, stop: str, depth: int) -> int:
    """Offset after the ``stop`` character ending a ``${...}`` word; -1 if none."""
    while pos < end:
        c = text[pos]
        if c == stop:
            return pos + 1
        if c == "$":
            pos = _dollar_end(text, pos, end, depth)
        elif c == "'":
            j = text.find("'", pos + 1, end)
            pos = -1 if j < 0 else j + 1
        elif c == '"':
            pos = _double_quote_end(text, pos, end, depth)
        elif c == "\\":
            if pos + 1 >= end:
                return -1
            pos += 2
        else:
            pos += 1
        if pos < 0:
            return -1
    return -1
