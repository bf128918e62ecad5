"""Suppression comments ("pragmas"), applied by the engine after the rules ran.

Forms (keywords and codes are case-insensitive; spaces around ``=`` and ``,`` are fine)::

    # gobuildgui ignore=GB101,GB102          the instruction directly below
    # gobuildgui stage ignore=GB101          the stage whose FROM is directly below
    # gobuildgui global ignore=GB101         the whole file (the comment may be anywhere)
    # hadolint ignore=DL3006                 as hadolint: line, ``stage`` and ``global``
                                             forms, honoured only for ``DL`` codes

Semantics:

* "Directly below" means the contiguous block of comment lines right above an
  instruction, with no blank line in between; several pragma lines in that block add
  up.  A line pragma covers every line of the instruction: continuation lines and
  heredoc bodies too.  A finding is matched by the line its span starts on.
* A stage pragma covers the lines from its FROM to the end of the stage's last
  instruction.  Above anything else than a FROM it does nothing (as in hadolint).
* A gobuildgui pragma may name codes (``GB101``) or rule names
  (``go-mod-download-without-cache``).  ``all`` (or ``*``) matches every rule but not
  the engine's own ``GB000`` internal-error and ``GB001`` syntax-error: the linter's
  view of a file with a syntax error is unreliable, so those must be named explicitly.
  hadolint pragmas have no ``all`` (hadolint has none).
* Whatever follows the code list after a blank is a free-form reason:
  ``# gobuildgui ignore=GB101 -- the cache mount is set by the CI`` or
  ``# gobuildgui ignore=GB101  # reason``.

:func:`pragma_findings` reports gobuildgui pragmas that cannot work (unknown codes,
malformed, attached to nothing) for the ``GB003`` check; hadolint pragmas are never
reported, since their DL codes may belong to rules only hadolint has.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Collection, Iterable
from typing import NamedTuple

from gobuildgui.core.dockerfile.nodes import Comment, Dockerfile, Instruction
from gobuildgui.core.dockerfile.rule import Finding
from gobuildgui.core.model import Diagnostic, Span

# The engine's own diagnostics, which ``ignore=all`` does not hide.
ENGINE_CODES = frozenset({"GB000", "GB001"})
ALL = "*"

_PRAGMA_RE = re.compile(
    r"""\#[ \t]*
    (?P<tool>gobuildgui|hadolint)[ \t]+
    (?:(?P<scope>global|stage)[ \t]+)?
    ignore[ \t]*=[ \t]*
    (?P<codes>[\w*-]+(?:[ \t]*,[ \t]*[\w*-]+)*)(?:[ \t]*,)?
    (?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_TOKEN_RE = re.compile(r"[\w*-]+")
# Something that was meant as a gobuildgui pragma (for "malformed" reports).
_LOOKS_LIKE_PRAGMA_RE = re.compile(
    r"\#[ \t]*gobuildgui\b[ \t:]*(?:(?:global|stage)[ \t]+)?(?:ignore|disable|noqa)\b",
    re.IGNORECASE,
)
_HADOLINT_CODE_RE = re.compile(r"^DL\d+$", re.IGNORECASE)


class Scope(enum.Enum):
    """What a pragma covers."""

    NEXT = "next"  # the instruction directly below
    STAGE = "stage"  # the stage whose FROM is directly below
    GLOBAL = "global"  # the whole file


class PragmaCode(NamedTuple):
    """One entry of a pragma's code list."""

    text: str  # as written
    key: str  # upper case; ``*`` for ``all`` and ``*`` in gobuildgui pragmas
    span: Span


class Pragma(NamedTuple):
    """A parsed suppression comment."""

    tool: str  # "gobuildgui" or "hadolint" (lower case)
    scope: Scope
    codes: tuple[PragmaCode, ...]
    reason: str
    span: Span  # the whole comment line
    target: Instruction | None  # the instruction directly below (NEXT and STAGE scopes)

    @property
    def keys(self) -> frozenset[str]:
        """The codes this pragma suppresses (hadolint pragmas: only its DL codes)."""
        if self.tool == "hadolint":
            return frozenset(c.key for c in self.codes if _HADOLINT_CODE_RE.match(c.key))
        return frozenset(c.key for c in self.codes)


def parse_pragma(doc: Dockerfile, comment: Comment) -> Pragma | None:
    """Parse one comment as a pragma (``target`` left None); None when it is not one."""
    raw = doc.text[comment.span.start : comment.span.end]
    m = _PRAGMA_RE.match(raw)
    if m is None:
        return None
    tool = m.group("tool").lower()
    scope = Scope(m.group("scope").lower()) if m.group("scope") else Scope.NEXT
    base = comment.span.start + m.start("codes")
    codes: list[PragmaCode] = []
    for t in _TOKEN_RE.finditer(m.group("codes")):
        text = t.group()
        key = text.upper()
        if tool == "gobuildgui" and key in ("ALL", "*"):
            key = ALL
        codes.append(PragmaCode(text, key, doc.span(base + t.start(), base + t.end())))
    reason = m.group("rest").strip()
    for lead in ("#", "--"):
        if reason.startswith(lead):
            reason = reason[len(lead) :].strip()
            break
    return Pragma(tool, scope, tuple(codes), reason, comment.span, None)


def _comment_blocks(doc: Dockerfile) -> dict[int, Instruction]:
    """Map each comment line that sits in a block directly above an instruction to it."""
    comment_lines = {c.span.line for c in doc.comments}
    attached: dict[int, Instruction] = {}
    for ins in doc.instructions:
        line = ins.line - 1
        while line in comment_lines:
            attached[line] = ins
            line -= 1
    return attached


def parse_pragmas(doc: Dockerfile) -> tuple[Pragma, ...]:
    """Every pragma of the document, with the instruction each line/stage pragma targets."""
    attached: dict[int, Instruction] | None = None
    out: list[Pragma] = []
    for comment in doc.comments:
        p = parse_pragma(doc, comment)
        if p is None:
            continue
        if p.scope is not Scope.GLOBAL:
            if attached is None:
                attached = _comment_blocks(doc)
            target = attached.get(comment.span.line)
            if p.scope is Scope.STAGE and target is not None and target.keyword != "FROM":
                target = None
            p = p._replace(target=target)
        out.append(p)
    return tuple(out)


class Suppressions:
    """Decides whether a diagnostic is hidden by a pragma of its document."""

    def __init__(self, doc: Dockerfile, pragmas: Iterable[Pragma] | None = None) -> None:
        self.pragmas = tuple(parse_pragmas(doc) if pragmas is None else pragmas)
        self._global: set[str] = set()
        self._by_line: dict[int, set[str]] = {}
        for p in self.pragmas:
            keys = p.keys
            if not keys:
                continue
            if p.scope is Scope.GLOBAL:
                self._global |= keys
                continue
            if p.target is None:
                continue
            first, last = p.target.line, p.target.end_line
            if p.scope is Scope.STAGE:
                stage = doc.stage_of(p.target)
                if stage is not None:
                    last = max(i.end_line for i in stage.instructions)
            for line in range(first, last + 1):
                self._by_line.setdefault(line, set()).update(keys)

    def __bool__(self) -> bool:
        return bool(self._global or self._by_line)

    def suppresses(self, diag: Diagnostic) -> bool:
        """Whether a pragma covering the line ``diag`` starts on names its code or rule."""
        if not self._global and not self._by_line:
            return False
        return _matches(self._global, diag) or _matches(self._by_line.get(diag.span.line, ()), diag)


def _matches(keys: Collection[str], diag: Diagnostic) -> bool:
    if not keys:
        return False
    code = diag.code.upper()
    if code in keys or diag.name.upper() in keys:
        return True
    return ALL in keys and code not in ENGINE_CODES


def pragma_findings(
    doc: Dockerfile, known_codes: Collection[str], known_names: Collection[str]
) -> list[Finding]:
    """Problems with the gobuildgui pragmas of ``doc`` (for the ``GB003`` check).

    Reported: a malformed pragma, a code or rule name that no rule has (DL codes are
    left alone: they may be hadolint-only), and a line or stage pragma that applies to
    nothing (a blank line below it, the end of the file, or a stage pragma above
    something else than a FROM).
    """
    codes = {c.upper() for c in known_codes}
    names = {n.lower() for n in known_names}
    pragmas = {p.span.start: p for p in parse_pragmas(doc)}
    out: list[Finding] = []
    for comment in doc.comments:
        p = pragmas.get(comment.span.start)
        if p is None:
            raw = doc.text[comment.span.start : comment.span.end]
            if _LOOKS_LIKE_PRAGMA_RE.match(raw):
                out.append(
                    Finding(
                        comment.span,
                        "malformed gobuildgui pragma: write `# gobuildgui ignore=CODE[,CODE...]`"
                        " (or `stage ignore=` / `global ignore=`)",
                    )
                )
            continue
        if p.tool != "gobuildgui":
            continue
        rest = _PRAGMA_RE.match(doc.text[p.span.start : p.span.end])
        tail = rest.group("rest").strip() if rest else ""
        first = tail.split(None, 1)[0].rstrip(",") if tail else ""
        if re.match(r"^(GB|DL)\d+$", first, re.IGNORECASE):
            out.append(
                Finding(
                    p.span,
                    f"separate codes with commas: {first!r} is read as the reason,"
                    " not as a code to ignore",
                )
            )
        for c in p.codes:
            if c.key == ALL or c.key in codes or c.text.lower() in names:
                continue
            if _HADOLINT_CODE_RE.match(c.key):
                continue
            out.append(Finding(c.span, _unknown_message(c.text, codes, names)))
        if p.scope is Scope.NEXT and p.target is None:
            out.append(
                Finding(
                    p.span,
                    "this pragma applies to nothing: put it directly above the instruction,"
                    " with no blank line in between",
                )
            )
        elif p.scope is Scope.STAGE and p.target is None:
            out.append(
                Finding(
                    p.span,
                    "this stage pragma applies to nothing: put it directly above a FROM,"
                    " with no blank line in between",
                )
            )
    return out


def _unknown_message(text: str, codes: Collection[str], names: Collection[str]) -> str:
    if re.match(r"^[A-Za-z]{2}\d+$", text):
        close = difflib.get_close_matches(text.upper(), sorted(codes), n=1, cutoff=0.6)
    else:
        close = difflib.get_close_matches(text.lower(), sorted(names), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"unknown rule {text!r} in pragma{hint}"
