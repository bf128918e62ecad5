"""Property tests: ``parse()`` and ``lint()`` on any text, bytes and broken Dockerfiles.

For every input we check that nothing raises (and that no rule crashed, which the
engine would turn into a ``GB000`` internal-error diagnostic), and that:

* every span of every instruction (ONBUILD triggers included), keyword, word, flag,
  flag value, mount option, heredoc, key/value pair, directive, comment, stage token
  and diagnostic lies in the text (``0 <= start <= end <= len(text)``) and has the
  line and column of its offsets, counted independently of ``LineIndex``;
* every fix's edits lie in the text and ``apply_edits`` accepts them;
* ``lint().diagnostics`` are sorted the way ``sort_diagnostics`` documents.

Inputs: any text (control characters included), bytes decoded the way the app reads
files (``read_dockerfile_bytes``: NUL near the start is refused, invalid UTF-8 becomes
U+FFFD), token soups, and the parser corpus mutated character- and line-wise with
fragments that unbalance heredocs, quotes, brackets, ``${`` and continuations: 10,000
examples in all, plus 10 MB inputs.
"""

from __future__ import annotations

import bisect
import dataclasses
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gobuildgui.core.dockerfile.lint import LintResult, lint
from gobuildgui.core.dockerfile.nodes import Dockerfile, Instruction
from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.rules import INTERNAL_ERROR
from gobuildgui.core.dockerfile.source import read_dockerfile_bytes
from gobuildgui.core.errors import InputError
from gobuildgui.core.model import (
    Diagnostic,
    Edit,
    Fix,
    Severity,
    Span,
    apply_edits,
    sort_diagnostics,
)

CORPUS = Path(__file__).resolve().parents[2] / "data" / "parser_corpus"
SEEDS: list[str] = [
    read_dockerfile_bytes(p.read_bytes(), path=p.name).text
    for p in sorted(CORPUS.glob("*.Dockerfile"))
]
REALISTIC = (CORPUS / "go_realistic.Dockerfile").read_text(encoding="utf-8")

_T = TypeVar("_T")
_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


# -- invariants ---------------------------------------------------------------------------


class Positions:
    """(line, column) of offsets, from the newline offsets of the text (not LineIndex)."""

    def __init__(self, text: str) -> None:
        self.size = len(text)
        newlines: list[int] = []
        at = text.find("\n")
        while at >= 0:
            newlines.append(at)
            at = text.find("\n", at + 1)
        self.newlines = newlines

    def of(self, offset: int) -> tuple[int, int]:
        before = bisect.bisect_left(self.newlines, offset)  # newlines before ``offset``
        line_start = self.newlines[before - 1] + 1 if before else 0
        return before + 1, offset - line_start + 1


def sample(items: Sequence[_T], stride: int) -> Sequence[_T]:
    """All of ``items`` (stride 1), or every ``stride``-th one and the last 100."""
    if stride <= 1 or len(items) <= 200:
        return items
    return [*items[:-100:stride], *items[-100:]]


def spans_of(ins: Instruction, stride: int = 1) -> Iterator[tuple[str, Span | None]]:
    """Every span an instruction exposes (and those of its ONBUILD trigger).

    With ``stride`` > 1 (huge inputs only), words and key/value pairs are sampled.
    """
    yield "instruction", ins.span
    yield "keyword", ins.keyword_span
    yield "args", ins.args_span()
    for w in sample(ins.words, stride):
        yield "word", w.span
    for f in ins.flags:
        yield "flag", f.span
        yield "flag value", f.value_span
    for m in ins.mounts:
        for opt in sample(m.options, stride):
            yield "mount option", opt.span
    for h in ins.heredocs:
        yield "heredoc marker", h.marker_span
        yield "heredoc body", h.body_span
        yield "heredoc end", h.end_span
    for kv in sample(ins.key_values, stride):
        yield "key/value", kv.span
        yield "key", kv.key_span
        yield "value", kv.value_span
    _ = (ins.json_form, ins.is_exec_form, ins.args, [s.text for s in ins.scripts()])
    if ins.onbuild_trigger is not None:
        yield from spans_of(ins.onbuild_trigger, stride)


def check_span(text: str, where: Positions, what: str, span: Span) -> None:
    assert 0 <= span.start <= span.end <= len(text), (what, span)
    got = (span.line, span.column, span.end_line, span.end_column)
    assert got == (*where.of(span.start), *where.of(span.end)), (what, span)


def check_document(text: str, doc: Dockerfile, stride: int = 1) -> None:
    """Check every span of ``doc``; with ``stride`` > 1 (huge inputs), every
    instruction's own and keyword spans but the inner spans of a sample only."""
    assert doc.text == text
    where = Positions(text)
    sampled = {id(i) for i in sample(doc.instructions, stride)}
    for ins in doc.instructions:
        check_span(text, where, "instruction", ins.span)
        check_span(text, where, "keyword", ins.keyword_span)
        if id(ins) not in sampled:
            continue
        for what, span in spans_of(ins, stride):
            if span is not None:
                check_span(text, where, what, span)
        for h in ins.heredocs:
            assert text[h.body_span.start : h.body_span.end] == h.body
            assert h.body_start == h.body_span.start
            assert h.body_span.end <= ins.span.end or h.end_span is None
        sliced = text[ins.keyword_span.start : ins.keyword_span.end]
        if "\n" not in sliced:
            assert sliced == ins.keyword_raw
    for directive in doc.directives.values():
        check_span(text, where, "directive", directive.span)
        check_span(text, where, "directive value", directive.value_span)
        assert text[directive.value_span.start : directive.value_span.end] == directive.value
    for comment in doc.comments:
        check_span(text, where, "comment", comment.span)
    for stage in doc.stages:
        for token in (stage.image_token, stage.name_token):
            if token is not None:
                check_span(text, where, "stage token", token.span)
    for problem in doc.problems:
        check_span(text, where, "problem", problem.span)
    starts = [i.span.start for i in doc.instructions]
    assert starts == sorted(starts)


def check_lint(text: str, result: LintResult) -> None:
    check_document(text, result.doc)
    diags = result.diagnostics
    crashed = [d.message for d in diags if d.code == INTERNAL_ERROR.code]
    assert not crashed, crashed
    assert list(diags) == sort_diagnostics(diags)
    where = Positions(text)
    for d in diags:
        check_span(text, where, d.code, d.span)
        if d.fix is None:
            continue
        assert d.fix.edits, d
        for e in d.fix.edits:
            assert 0 <= e.start <= e.end <= len(text), (d.code, e)
        assert isinstance(apply_edits(text, d.fix.edits), str)


def check_text(text: str) -> None:
    check_lint(text, lint(text))


def test_the_checks_catch_bad_spans_fixes_and_order() -> None:
    """The invariants above can fail (a property test with a vacuous check is a defect)."""
    text = "FROM a\nRUN b\n"
    where = Positions(text)
    check_span(text, where, "ok", Span(7, 10, 2, 1, 2, 4))
    with pytest.raises(AssertionError):
        check_span(text, where, "wrong column", Span(7, 10, 2, 2, 2, 5))
    with pytest.raises(AssertionError):
        check_span(text, where, "past the end", Span(7, 99, 2, 1, 3, 1))
    result = lint(text)
    check_lint(text, result)
    backwards = dataclasses.replace(result, diagnostics=result.diagnostics[::-1])
    assert list(backwards.diagnostics) != sort_diagnostics(backwards.diagnostics)
    with pytest.raises(AssertionError):
        check_lint(text, backwards)
    bad = Diagnostic("GB999", "x", Severity.INFO, "m", Span(0, 0), Fix("f", (Edit(0, 99, ""),)))
    with pytest.raises(AssertionError):
        check_lint(text, dataclasses.replace(result, diagnostics=(bad,)))
    crashed = dataclasses.replace(bad, code=INTERNAL_ERROR.code, fix=None)
    with pytest.raises(AssertionError):
        check_lint(text, dataclasses.replace(result, diagnostics=(crashed,)))


# -- strategies ----------------------------------------------------------------------------

FRAGMENTS = [
    "<<EOF", "<<-EOF", "<<'EOF'", '<<"EOF"', "3<<EOF", "<< EOF", "EOF", "\tEOF", "EOF\n",
    "\\\n", "\\", "\\\r\n", "`\n", "`", '"', "'", "[", "]", '["', '"]', "${", "}", "${A:-",
    "$", "--mount=", "--mount=type=cache,target=", "--mount=type=secret,id=", ",", "=",
    "--from=", "--chown=", "--link", "--", "--network=none", "\n", "\r\n", "\r", "\t", " ",
    "# escape=`\n", "# escape=\\\n", "# syntax=docker/dockerfile:1\n", "# check=error=true\n",
    "#", "FROM ", "FROM golang:1.22 AS build\n", " AS ", "RUN ", "COPY ", "ADD ", "ENV ",
    "ARG ", "LABEL ", "ONBUILD ", "HEALTHCHECK CMD ", "SHELL ", "go mod download",
    "GOPROXY=", "GOFLAGS=-mod=vendor", "\ufeff", "😀", "\x00", "\x85", "\u2028", "\xa0",
    "é",
]  # fmt: skip

TOKENS = [
    *FRAGMENTS,
    "go build ./...", "golang:${GO_VERSION}", "/go/pkg/mod", "build", "scratch", "a=b",
    "x y", "CMD ", "ENTRYPOINT ", "WORKDIR /src", "USER 1000", "EXPOSE 80", "VOLUME ",
    "${GO_VERSION}", "$BUILDPLATFORM", "--platform=", "git config", "https://proxy",
]  # fmt: skip

DOCKERY = "".join(sorted(set("".join(FRAGMENTS)))) + "abcdefABCDEF0123/.:_-"

any_text = st.text(max_size=400)  # every code point but surrogates; control characters too
dockery_text = st.text(alphabet=DOCKERY, max_size=400)
token_soup = st.lists(st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join), max_size=25).map(
    "\n".join
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A corpus file after a few random edits."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        op = draw(
            st.sampled_from(
                ["insert", "insert", "splice", "splice", "delete", "dup", "line", "truncate"]
            )
        )
        at = draw(st.integers(0, n))
        if op == "insert":
            text = text[:at] + draw(st.text(min_size=1, max_size=3)) + text[at:]
        elif op == "splice":
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
        elif op == "delete":
            end = draw(st.integers(at, min(n, at + 12)))
            text = text[:at] + text[end:]
        elif op == "dup":
            end = draw(st.integers(at, min(n, at + 40)))
            text = text[:end] + text[at:end] + text[end:]
        elif op == "truncate":
            text = text[:at]
        else:
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            how = draw(st.sampled_from(["delete", "duplicate", "swap", "move"]))
            if how == "delete":
                del lines[k]
            elif how == "duplicate":
                lines.insert(k, lines[k])
            else:
                j = draw(st.integers(0, len(lines) - 1))
                if how == "swap":
                    lines[k], lines[j] = lines[j], lines[k]
                else:
                    lines.insert(j, lines.pop(k))
            text = "\n".join(lines)
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    """A corpus file's UTF-8 with bytes flipped, inserted or cut (often invalid UTF-8)."""
    data = bytearray(draw(st.sampled_from(SEEDS)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["set", "insert", "cut"]))
        if op == "insert" or at == len(data):
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif op == "set":
            data[at] = draw(st.integers(0, 255))
        else:
            del data[at : at + draw(st.integers(1, 4))]
    return bytes(data)


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# -- property tests --------------------------------------------------------------------------


@settings(max_examples=2000, deadline=None, suppress_health_check=_SLOW)
@given(st.one_of(any_text, dockery_text))
def test_random_text(text: str) -> None:
    check_text(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=_SLOW)
@given(token_soup)
def test_token_soup(text: str) -> None:
    check_text(text)


@settings(max_examples=3500, deadline=None, suppress_health_check=_SLOW)
@given(mutated())
def test_mutated_corpus(text: str) -> None:
    check_text(text)


@settings(max_examples=2000, deadline=None, suppress_health_check=_SLOW)
@given(st.one_of(st.binary(max_size=400), mutated_bytes()))
def test_random_bytes_read_like_a_file(data: bytes) -> None:
    try:
        source = read_dockerfile_bytes(data, path="Dockerfile")
    except InputError:
        assert b"\x00" in data  # the only refusal for inputs this small
        text = data.decode("utf-8", errors="replace")  # the parser still copes
    else:
        text = source.text
        assert source.invalid_utf8 is not _valid_utf8(data)
    check_text(text)


@settings(max_examples=1000, deadline=None, suppress_health_check=_SLOW)
@given(st.sampled_from(SEEDS), st.data())
def test_every_truncation_and_line_ending(seed: str, data: st.DataObject) -> None:
    """A file cut anywhere, with any line endings, as an editor sees it while typing."""
    ending = data.draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    text = seed.replace("\n", ending)
    text = text[: data.draw(st.integers(0, len(text)))]
    check_text(text)


def test_parse_is_deterministic_and_lint_accepts_a_parsed_document() -> None:
    for seed in SEEDS:
        doc = parse(seed)
        result = lint(doc)
        assert result.doc is doc
        again = lint(seed)
        assert [(d.code, d.span.start, d.span.end, d.message) for d in result.diagnostics] == [
            (d.code, d.span.start, d.span.end, d.message) for d in again.diagnostics
        ]
        check_lint(seed, result)


# -- 10 MB ------------------------------------------------------------------------------------
#
# Measured on the 2-core test machine (shared with other jobs): parse() of 10 MB of
# the realistic Dockerfile takes about 9 s, lint() of it about 375 s (lint of 1 MB:
# about 4 s), so lint() runs on 1 MB of it.  A 10 MB single-word line lints in
# about 1.5 s.  Lines with hundreds of thousands of words, key/value pairs or mount
# options are parsed at 1 MB (building their words, pairs and options costs 15-35 s
# at 10 MB) and linted at 64 KB, because some rules are slow on them (GB123 is
# quadratic in a RUN's words; GB008 spends about 25 µs per unknown mount option).
# Checking every span of 10 MB costs about 30 s, so huge inputs check every
# instruction's own and keyword spans and the inner spans of a sample (``stride``).

TEN_MB = 10 * 1024 * 1024
STRIDE = 11  # coprime with the 14 instructions of REALISTIC: every one gets sampled


def _repeat(seed: str, size: int) -> str:
    unit = seed if seed.endswith("\n") else seed + "\n"
    return unit * (size // len(unit) + 1)


def _huge_line(kind: str, size: int) -> str:
    if kind == "one-word":
        return "RUN " + "a" * size
    if kind == "many-words":
        return "RUN " + "go build ./... && " * (size // 18)
    if kind == "env-pairs":
        return "ENV " + "A=b " * (size // 4)
    if kind == "mount-options":
        return "RUN --mount=type=cache,target=/x" + ",a=b" * (size // 4) + " x"
    assert kind == "comment"
    return "# " + "x" * size


HUGE_LINES = ["one-word", "many-words", "env-pairs", "mount-options", "comment"]


@pytest.mark.slow
def test_parse_10_mb_of_realistic_dockerfile() -> None:
    """10 MB of a real multi-stage Go Dockerfile, repeated (about 174,000 instructions)."""
    text = _repeat(REALISTIC, TEN_MB)
    assert len(text) >= TEN_MB
    started = time.perf_counter()
    doc = parse(text)
    elapsed = time.perf_counter() - started
    per_copy = len(parse(REALISTIC).instructions)
    copies = text.count(REALISTIC)
    assert len(doc.instructions) == per_copy * copies
    assert len(doc.stages) == 2 * copies
    assert doc.problems == ()
    last = doc.instructions[-1]
    assert (last.keyword, last.end_line) == ("ENTRYPOINT", text.count("\n"))
    check_document(text, doc, STRIDE)
    assert elapsed < 60, f"parse of 10 MB took {elapsed:.1f} s"


@pytest.mark.slow
def test_lint_1_mb_of_realistic_dockerfile() -> None:
    text = _repeat(REALISTIC, 1024 * 1024)
    result = lint(text)
    check_lint(text, result)
    once = lint(REALISTIC).diagnostics
    assert len(result.diagnostics) >= text.count(REALISTIC) * len(once) // 2


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "size"),
    [
        ("one-word", TEN_MB),
        ("comment", TEN_MB),
        ("many-words", 1024 * 1024),
        ("env-pairs", 1024 * 1024),
        ("mount-options", 1024 * 1024),
    ],
)
def test_parse_a_huge_single_line(kind: str, size: int) -> None:
    line = _huge_line(kind, size)
    text = "FROM golang:1.22\n" + line + "\n"
    assert len(text) >= size
    doc = parse(text)
    check_document(text, doc, stride=97)
    expected = ["FROM"] if kind == "comment" else ["FROM", line.split(" ", 1)[0]]
    assert [i.keyword for i in doc.instructions] == expected
    if kind == "one-word":  # cheap enough to lint at 10 MB
        started = time.perf_counter()
        result = lint(doc)
        elapsed = time.perf_counter() - started
        check_lint(text, result)
        assert elapsed < 60, f"lint of a 10 MB line took {elapsed:.1f} s"


@pytest.mark.parametrize("kind", HUGE_LINES)
def test_lint_a_64_kb_single_line(kind: str) -> None:
    text = "FROM golang:1.22\n" + _huge_line(kind, 64 * 1024) + "\n"
    check_lint(text, lint(text))


@pytest.mark.slow
def test_parse_10_mb_unterminated_heredoc() -> None:
    """A heredoc that never closes: its body runs to the end of 10 MB."""
    text = "RUN <<EOF\n" + "echo line\n" * (TEN_MB // 10)
    doc = parse(text)
    (ins,) = doc.instructions
    check_document(text, doc, stride=97)
    assert ins.end_line == text.count("\n")
    assert len(ins.heredocs[0].body) == len(text) - len("RUN <<EOF\n")
    assert [p.message for p in doc.problems] == ["unterminated heredoc: no line 'EOF' closes <<EOF"]


@pytest.mark.slow
def test_parse_a_line_continued_to_the_end_of_1_mb() -> None:
    text = "RUN a \\\n" + "  b \\\n" * (1024 * 1024 // 6)
    doc = parse(text)
    (ins,) = doc.instructions
    check_document(text, doc, stride=97)
    assert ins.end_line == text.count("\n")
    assert ins.words[-1].span.line == text.count("\n")
