"""Differential tests: our parser against BuildKit's own, the PyPI package ``dockerfile``.

``dockerfile.parse_string`` runs BuildKit's Go parser (``moby/buildkit`` v0.12.5) and
returns one ``Command`` per instruction.  On a hand-written corpus
(``tests/data/parser_corpus``) and on generated Dockerfiles we check that both agree on:

* instruction boundaries: ``start_line`` and ``end_line``;
* the command as written (``cmd``), and ONBUILD's trigger (``sub_cmd``);
* the logical line: ``original`` equals our ``line_text`` exactly (continuations
  joined, comment and blank lines inside them dropped, trailing spaces kept);
* flags: BuildKit's strings, in order, equal our ``Flag.word`` (quotes and escapes
  removed by BuildKit's flag lexer);
* exec form: ``json`` equals ``is_exec_form`` and the values equal ``json_args``;
* the arguments, compared the way BuildKit keeps them for each instruction:
  - RUN/CMD/ENTRYPOINT/SHELL/USER/WORKDIR/STOPSIGNAL/MAINTAINER in shell form: one
    string, our ``args`` with Go whitespace trimmed (BuildKit ``strings.TrimSpace``s
    the arguments; we keep trailing whitespace in ``args`` so offsets stay simple);
  - FROM/COPY/ADD/EXPOSE/VOLUME in shell form: BuildKit splits at whitespace only;
    equal to our ``words`` (which split the same way for these instructions);
  - ARG: BuildKit's quote-aware words (``parseWords``), equal to our ``words``;
  - ENV/LABEL: BuildKit's flat ``key, value, key, value...`` (values as written,
    quotes kept), equal to our ``key_values`` (``key``, ``raw_value``); the legacy
    ``ENV key value`` form is ``key, rest of the line`` in both;
  - HEALTHCHECK: the type word, then the command (one string or the JSON items);
  - unknown instructions: BuildKit keeps one empty value;
* heredocs: names, file descriptors (BuildKit reports 0 for none) and bodies as
  written;
* errors: when BuildKit's parser fails, we report at least one ``GB001`` error; when
  it succeeds, every error we report is one BuildKit only raises later, when it
  turns the parse tree into instructions (``requires at least one argument``, a
  trigger ONBUILD does not allow).

Normalisations (each is a real, documented difference, not a tolerance):

* ``end_line``: when a file ends inside a continuation, BuildKit counts the trailing
  blank and comment lines it skipped; our span ends at the last line with text.
* Flags with non-ASCII: BuildKit's flag lexer walks bytes and re-encodes each byte
  as a rune, so ``é`` comes back as ``Ã©``; we compare against that re-encoding.
  Worse, a byte 0x85 or 0xA0 inside a character's UTF-8 (``à``, ``Å``, NBSP) is
  Latin-1 whitespace to it and splits the flag, while U+2028 or NBSP, whitespace to
  us, is not whitespace byte by byte.  HEALTHCHECK's type/command split walks bytes
  the same way.  Lines with flags or HEALTHCHECK and such characters are excluded
  (``_byte_wise_excluded``): we read characters, which is what the author meant.
* ONBUILD heredocs: the package reads the trigger's heredocs from the inner node,
  where BuildKit never stores them, so it reports none; we compare the lines only.

Intentional differences, excluded explicitly:

* An empty file (or comments only) is an error for BuildKit ("file with no
  instructions"); for an editor it is a document like any other.
* BuildKit reads lines of at most 64 KiB; we have no limit (generated inputs stay
  far below it).
* Inputs with NUL are not sent: the package passes the text to Go as a C string.

Known differences between the package's BuildKit v0.12.5 and today's BuildKit, which
we follow (see ``newer_buildkit_reason``; each has a corpus file ``newer_*`` whose
test asserts that the old parser really disagrees):

* ``<< EOF`` with whitespace after ``<<`` is a heredoc since dockerfile 1.16;
* JSON with trailing text (``CMD ["a"] x``) is shell form since dockerfile 1.9
  (``json.Unmarshal`` instead of a streaming ``Decode``);
* the ``# check=`` directive exists since dockerfile 1.8 (before, it ended the
  directives, so a later ``# escape=`` was a comment);
* the flag lexer honours the escape directive since dockerfile 1.15 (before, it
  always used ``\\``);
* ``${a#b}``, ``${a%b}``, ``${a/b/c}`` exist since dockerfile 1.6/1.7; v0.12.5's
  lexer fails on them, which hides every heredoc of that line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gobuildgui.core.dockerfile.nodes import (
    FIELD_SPLIT_INSTRUCTIONS,
    GO_SPACE,
    JSON_FORM_INSTRUCTIONS,
    KNOWN_INSTRUCTIONS,
    Dockerfile,
    Instruction,
    split_healthcheck,
)
from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.model import Severity

dockerfile = pytest.importorskip("dockerfile")

CORPUS = Path(__file__).resolve().parents[2] / "data" / "parser_corpus"
CORPUS_FILES = sorted(CORPUS.glob("*.Dockerfile"))

# Errors BuildKit's parser accepts and its instruction parser rejects later.
# Errors BuildKit raises after parsing (instruction dispatch, word expansion): its
# parser package accepts these files, so they are not disagreements.
_LATER_ERRORS = (
    "requires at least one argument",
    "isn't allowed as an ONBUILD trigger",
    "FROM requires either one or three arguments",
    "requires at least two arguments",
    "unexpected end of statement while looking for matching",
)


def buildkit(text: str) -> tuple[list[Any] | None, str | None]:
    """BuildKit's commands, or None and the error message."""
    try:
        return list(dockerfile.parse_string(text)), None
    except dockerfile.GoParseError as exc:
        return None, str(exc)


def go_trim(text: str) -> str:
    return text.strip(GO_SPACE)


def _as_buildkit_flag(word: str) -> str:
    """What BuildKit's byte-wise flag lexer makes of ``word`` (``é`` -> ``Ã©``)."""
    return word.encode("utf-8").decode("latin-1")


def _heredoc_capable(doc: Dockerfile) -> list[Instruction]:
    out = []
    for ins in doc.instructions:
        inner = ins.onbuild_trigger or ins
        if inner.keyword in ("RUN", "COPY", "ADD"):
            out.append(inner)
    return out


_JSON_PREFIX = json.JSONDecoder()
_DOLLAR_MODIFIER_RE = re.compile(r"\$\{[^}]*[#%/]")


def newer_buildkit_reason(doc: Dockerfile, text: str) -> str | None:
    """Why v0.12.5 and today's BuildKit read ``text`` differently (None: they agree)."""
    if "check" in doc.directives or re.search(r"^\W*#\s*check\s*=", text, re.IGNORECASE):
        return "the check directive (dockerfile 1.8+)"
    for line in text.lstrip("\ufeff").split("\n")[: len(doc.directives) + 1]:
        # v0.12.5 matched ``^#\s*name`` (RE2's \s has no \v); now any Go whitespace.
        after = line.lstrip(GO_SPACE)[1:]
        if line.lstrip(GO_SPACE).startswith("#") and any(
            c not in "\t\n\f\r " for c in after[: len(after) - len(after.lstrip(GO_SPACE))]
        ):
            return "Go whitespace after # in a directive (dockerfile 1.8+)"
    for ins in doc.instructions:
        for inner in (ins, ins.onbuild_trigger):
            if inner is None:
                continue
            args = go_trim(inner.args)
            if inner.keyword == "HEALTHCHECK":
                args = args[split_healthcheck(args)[1] :]
            if inner.keyword in JSON_FORM_INSTRUCTIONS | {"HEALTHCHECK"} and args[:1] == "[":
                try:
                    value, end = _JSON_PREFIX.raw_decode(args)
                except ValueError:
                    value, end = None, 0
                if isinstance(value, list) and go_trim(args[end:]):
                    return "JSON with trailing text (dockerfile 1.9+)"
            if doc.escape == "`" and any("\\" in f.raw or "`" in f.raw for f in inner.flags):
                return "escape directive in flags (dockerfile 1.15+)"
    for ins in _heredoc_capable(doc):
        line = ins.line_text.text
        if "<<" in line and re.search(r"<<-?[ \t\r]", line):
            return "whitespace after << (dockerfile 1.16+)"
        if "<<" in line and _DOLLAR_MODIFIER_RE.search(line):
            return "${a#b} / ${a%b} / ${a/b/c} (dockerfile 1.6+)"
    return None


def _byte_wise_trap(c: str) -> bool:
    """A character BuildKit's byte-wise flag lexer splits differently from us.

    Non-ASCII Go whitespace (U+00A0, U+2028...) ends a flag for us but not for a
    lexer that looks at bytes; a character whose UTF-8 holds byte 0x85 or 0xA0 (NEL
    and NBSP in Latin-1: ``à``, ``Å``...) splits BuildKit's flag but not ours.
    """
    if c < "\x80":
        return False
    data = c.encode("utf-8", "surrogatepass")
    return c in GO_SPACE or b"\x85" in data or b"\xa0" in data


def _byte_wise_excluded(doc: Dockerfile) -> bool:
    """A line that BuildKit walks byte by byte, with a character it reads differently.

    Those are flags (``extractBuilderFlags``) and HEALTHCHECK's split between its type
    and its command (``parseHealthConfig``).
    """
    for ins in doc.instructions:
        line = ins.line_text.text
        byte_wise = "--" in line or "HEALTHCHECK" in line.upper()
        if byte_wise and any(map(_byte_wise_trap, line)):
            return True
    return False


def expected_value(ins: Instruction) -> tuple[str, ...]:
    """What BuildKit's ``Command.value`` holds for ``ins``, from our model."""
    if ins.keyword == "ONBUILD":
        if ins.onbuild_trigger is not None:
            return expected_value(ins.onbuild_trigger)
        # A nested ONBUILD's own trigger is a child node: one empty value.
        return ("",) if go_trim(ins.args) else ()
    kw = ins.keyword
    args = go_trim(ins.args)
    if kw in ("ENV", "LABEL"):
        out: list[str] = []
        for kv in ins.key_values:
            out += [kv.key, kv.raw_value or ""]
        return tuple(out)
    if kw == "ARG":
        return tuple(w.value for w in ins.words)
    if kw == "HEALTHCHECK":
        if not args:
            return ()
        sep, cmd = split_healthcheck(args)
        if ins.json_args is not None:
            return (args[:sep], *ins.json_args)
        return (args[:sep], args[cmd:]) if args[cmd:] else (args[:sep],)
    if ins.json_args is not None:
        return ins.json_args
    if kw in FIELD_SPLIT_INSTRUCTIONS:
        return tuple(w.value for w in ins.words)
    if kw in KNOWN_INSTRUCTIONS:
        return (args,) if args else ()
    return ("",)  # BuildKit's parseIgnore


def _blank_or_comment(line: str) -> bool:
    s = line.lstrip(GO_SPACE)
    return not s or s.startswith("#")


def compare(text: str) -> list[str]:
    """Every disagreement between our parser and BuildKit on ``text``."""
    doc = parse(text)
    commands, error = buildkit(text)
    errors = [p for p in doc.problems if p.severity is Severity.ERROR]
    if commands is None:
        assert error is not None
        if "file with no instructions" in error:
            return [] if not doc.instructions else [f"BuildKit: {error}; we parsed some"]
        if not errors:
            return [f"BuildKit fails ({error}) but we report no error"]
        return []
    out = [
        f"we report {p.message!r} at line {p.span.line}; BuildKit parses fine"
        for p in errors
        if not any(s in p.message for s in _LATER_ERRORS)
    ]
    if len(commands) != len(doc.instructions):
        got = [(i.keyword_raw, i.line) for i in doc.instructions]
        want = [(c.cmd, c.start_line) for c in commands]
        return [*out, f"instruction count {len(got)} != {len(want)}: {got} vs {want}"]
    lines = text.split("\n")
    for ins, cmd in zip(doc.instructions, commands, strict=True):
        where = f"line {cmd.start_line} ({cmd.cmd})"
        if ins.line != cmd.start_line:
            out.append(f"{where}: start line {ins.line} != {cmd.start_line}")
        if ins.end_line != cmd.end_line:
            skipped = lines[ins.end_line : cmd.end_line]
            if not (cmd.end_line > ins.end_line and all(map(_blank_or_comment, skipped))):
                out.append(f"{where}: end line {ins.end_line} != {cmd.end_line}")
        if ins.keyword_raw != (cmd.cmd or ""):
            out.append(f"{where}: command {ins.keyword_raw!r} != {cmd.cmd!r}")
        original = (cmd.original or "").split("\n", 1)[0]
        if ins.line_text.text != original:
            out.append(f"{where}: logical line {ins.line_text.text!r} != {original!r}")
        flags = tuple(_as_buildkit_flag(f.word) for f in ins.flags)
        if flags != tuple(cmd.flags):
            out.append(f"{where}: flags {flags} != {cmd.flags}")
        inner = ins.onbuild_trigger or ins
        if ins.keyword == "ONBUILD" and (cmd.sub_cmd or "") != (
            inner.keyword_raw if ins.onbuild_trigger else ""
        ):
            out.append(f"{where}: trigger {inner.keyword_raw!r} != {cmd.sub_cmd!r}")
        if inner.is_exec_form != cmd.json:
            out.append(f"{where}: exec form {inner.is_exec_form} != {cmd.json}")
        value = expected_value(ins)
        if value != tuple(cmd.value or ()):
            out.append(f"{where}: value {value} != {cmd.value}")
        if ins.keyword != "ONBUILD":
            docs = tuple((h.name, h.fd or 0, h.body) for h in ins.heredocs)
            theirs = tuple((h.name, h.file_descriptor, h.content) for h in cmd.heredocs)
            if docs != theirs:
                out.append(f"{where}: heredocs {docs} != {theirs}")
    return out


# -- the hand-written corpus ------------------------------------------------------


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_corpus_is_big_enough() -> None:
    assert len(CORPUS_FILES) >= 60


@pytest.mark.parametrize(
    "path", [p for p in CORPUS_FILES if not p.name.startswith("newer_")], ids=lambda p: p.stem
)
def test_corpus_agrees_with_buildkit(path: Path) -> None:
    text = _read(path)
    doc = parse(text)
    assert newer_buildkit_reason(doc, text) is None
    assert not _byte_wise_excluded(doc)
    assert compare(text) == []


@pytest.mark.parametrize(
    "path", [p for p in CORPUS_FILES if p.name.startswith("newer_")], ids=lambda p: p.stem
)
def test_corpus_newer_buildkit_differences(path: Path) -> None:
    """Each documented v0.12.5-vs-today difference is detected and really differs."""
    text = _read(path)
    assert newer_buildkit_reason(parse(text), text) is not None
    assert compare(text) != []


def test_non_ascii_flags_come_back_mangled_from_buildkit() -> None:
    # The byte-wise flag lexer is BuildKit's, not ours: document it with one case.
    commands, _ = buildkit("FROM a\nCOPY --chown=é x y\n")
    assert commands is not None
    assert commands[1].flags == ("--chown=Ã©",)
    assert parse("FROM a\nCOPY --chown=é x y\n").instructions[1].flags[0].value == "é"
    assert compare("FROM a\nCOPY --chown=é x y\n") == []


def test_empty_file_is_an_error_only_for_buildkit() -> None:
    assert buildkit("")[1] is not None
    assert buildkit("# only a comment\n")[1] is not None
    assert parse("").problems == ()
    assert parse("# only a comment\n").problems == ()


# -- generated Dockerfiles --------------------------------------------------------

_WORDS = [
    "echo", "hello", "go", "build", "./...", "&&", "||", "|", ">", "2>&1", "x=1", "-o",
    "/out/app", '"a b"', "'c d'", "$VAR", "${VAR}", "${VAR:-dflt}", "${VAR:+alt}", "é",
    "日本", "🐳", "[", "]", "#notcomment", '"quoted # hash"', "'it''s'", '"esc \\" q"',
    "--not-a-flag", "a=b", "C:\\\\path", "\\$HOME", "'single $X'", "\t", "tab\there",
]  # fmt: skip
_IMAGES = ["alpine", "golang:1.22", "${BASE}", "$IMG:${TAG:-1}", "gcr.io/x/y@sha256:abc", "b0"]
_KEYS = ["A", "B_2", "lower", "dotted.key", "org.opencontainers.image.title", "Ü"]
_VALUES = [
    "1", "", '"two words"', "'single quoted'", "a\\ b", "${A}", "$B-x", '"with \\" quote"',
    "é", "x=y", '"unterminated', "v\\", "'a\"b'",
]  # fmt: skip
_FLAGS = {
    "RUN": [
        "--mount=type=cache,target=/go/pkg/mod",
        "--mount=type=cache,target=/root/.cache/go-build,sharing=locked,id=gobuild",
        "--mount=type=secret,id=netrc,target=/root/.netrc,required=true",
        "--mount=type=ssh",
        "--mount=type=bind,from=build,source=/out,target=/mnt,rw",
        "--mount=type=tmpfs,target=/tmp,size=10m",
        '--mount=type=secret,id="a b",env=TOKEN',
        "--network=none",
        "--network=host",
        "--security=insecure",
    ],
    "COPY": [
        "--from=build", "--chown=1000:1000", "--chmod=0755", "--link", "--link=false",
        "--parents", "--exclude=*.md", "--chown='app:app'",
    ],
    "ADD": [
        "--checksum=sha256:0123abcd", "--keep-git-dir=true", "--unpack=false", "--link",
        "--chown=1:1",
    ],
    "FROM": ["--platform=$BUILDPLATFORM", "--platform=linux/amd64"],
    "HEALTHCHECK": ["--interval=30s", "--timeout=3s", "--retries=3", "--start-period=1s"],
}  # fmt: skip
_BODY_LINES = [
    "set -eux", "echo hello", "RUN not an instruction", "  indented", "\tTabbed",
    "# comment in body", "trailing \\", "", "quotes \" '", "ünïcödé", "EOFX", "$VAR",
]  # fmt: skip


def _keyword(draw: st.DrawFn, kw: str) -> str:
    style = draw(st.sampled_from(["upper", "upper", "upper", "lower", "title"]))
    return {"upper": kw, "lower": kw.lower(), "title": kw.title()}[style]


def _json_array(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["ok", "ok", "ok", "bad", "nonstring", "empty"]))
    if kind == "empty":
        return "[]"
    if kind == "bad":
        return draw(st.sampled_from(["[a, b]", '["unterminated', "[ 'x' ]", "[1,]"]))
    items = draw(st.lists(st.sampled_from([*_WORDS, "", "a\\b", "ö"]), min_size=1, max_size=4))
    values: list[object] = list(items)
    if kind == "nonstring":
        values.append(draw(st.sampled_from([1, None, True, ["x"]])))
    return json.dumps(values, ensure_ascii=draw(st.booleans()))


def _heredoc_marker(draw: st.DrawFn, names: list[tuple[str, bool]]) -> str:
    name = draw(st.sampled_from(["EOF", "EOT", "END_OF_SCRIPT", "a", "x1"]))
    if any(n == name for n, _ in names):
        name += str(len(names))
    dash = draw(st.booleans())
    quote = draw(st.sampled_from(["", "", '"', "'"]))
    fd = draw(st.sampled_from(["", "", "", "3"]))
    names.append((name, dash))
    return f"{fd}<<{'-' if dash else ''}{quote}{name}{quote}"


def _instruction(draw: st.DrawFn, kw: str, heredocs: list[tuple[str, bool]]) -> list[str]:
    """The words of one logical line (keyword first)."""
    out = [_keyword(draw, kw)]
    flags = _FLAGS.get(kw, [])
    if flags:
        out += draw(st.lists(st.sampled_from(flags), max_size=3))
    words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5)
    if kw in ("RUN", "CMD", "ENTRYPOINT", "SHELL", "VOLUME", "COPY", "ADD"):
        form = draw(st.sampled_from(["shell", "shell", "json", "heredoc"]))
        if form == "json":
            out.append(_json_array(draw))
        elif form == "heredoc" and kw in ("RUN", "COPY", "ADD"):
            for _ in range(draw(st.integers(1, 2))):
                out.append(_heredoc_marker(draw, heredocs))
            if kw == "RUN":
                out += draw(st.lists(st.sampled_from(_WORDS), max_size=2))
            else:
                out.append("/dst/")
        else:
            out += draw(words)
    elif kw == "FROM":
        out.append(draw(st.sampled_from(_IMAGES)))
        if draw(st.booleans()):
            out += [draw(st.sampled_from(["AS", "as"])), draw(st.sampled_from(["build", "b2"]))]
    elif kw in ("ENV", "LABEL", "ARG"):
        if kw != "ARG" and draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(_KEYS)))  # legacy form
            out += draw(words)
        else:
            for _ in range(draw(st.integers(1, 3))):
                key = draw(st.sampled_from(_KEYS))
                if kw == "ARG" and draw(st.booleans()):
                    out.append(key)
                else:
                    out.append(f"{key}={draw(st.sampled_from(_VALUES))}")
    elif kw == "EXPOSE":
        out += draw(st.lists(st.sampled_from(["80", "443/tcp", "53/udp", "$PORT"]), max_size=3))
    elif kw == "HEALTHCHECK":
        if draw(st.booleans()):
            out.append("NONE")
        else:
            out.append("CMD")
            out.append(_json_array(draw) if draw(st.booleans()) else " ".join(draw(words)))
    elif kw == "ONBUILD":
        inner = draw(st.sampled_from(["RUN", "COPY", "ENV", "ADD", "WORKDIR"]))
        out += _instruction(draw, inner, heredocs)
    elif kw in ("USER", "WORKDIR", "STOPSIGNAL", "MAINTAINER"):
        out += draw(words)
    else:
        out += draw(st.lists(st.sampled_from(_WORDS), max_size=3))
    return out


_INSTRUCTIONS = [
    "FROM", "RUN", "RUN", "RUN", "COPY", "COPY", "ADD", "ENV", "ENV", "LABEL", "ARG", "ARG",
    "CMD", "ENTRYPOINT", "SHELL", "VOLUME", "EXPOSE", "HEALTHCHECK", "ONBUILD", "USER",
    "WORKDIR", "STOPSIGNAL", "MAINTAINER", "BOGUS",
]  # fmt: skip


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    """A valid-ish Dockerfile built from the pieces BuildKit cares about."""
    escape = draw(st.sampled_from(["\\", "\\", "`"]))
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# syntax=docker/dockerfile:1")
    if escape == "`" or draw(st.integers(0, 4)) == 0:
        lines.append(f"#{draw(st.sampled_from(['', ' ', '  ']))}escape={escape}")
    for _ in range(draw(st.integers(1, 10))):
        extra = draw(st.sampled_from(["", "", "", "blank", "comment", "indent"]))
        if extra == "blank":
            lines.append(draw(st.sampled_from(["", "   ", "\t"])))
        elif extra == "comment":
            lines.append(draw(st.sampled_from(["# a comment", "  # indented", "#"])))
        heredocs: list[tuple[str, bool]] = []
        words = _instruction(draw, draw(st.sampled_from(_INSTRUCTIONS)), heredocs)
        indent = draw(st.sampled_from(["", "", "", "  ", "\t"])) if extra == "indent" else ""
        current = indent + words[0]
        for word in words[1:]:
            sep = draw(st.sampled_from([" ", " ", " ", "  ", "\t", "cont"]))
            if sep != "cont":
                current += sep + word
                continue
            trail = draw(st.sampled_from(["", "", " ", "\t", "  "]))
            lines.append(f"{current} {escape}{trail}")
            lines += draw(st.lists(st.sampled_from(["", "  # inner comment", "   "]), max_size=2))
            current = draw(st.sampled_from(["", "  ", "    ", "\t"])) + word
        trailing = draw(st.sampled_from(["", "", "", " ", "\t"]))
        lines.append(current + trailing)
        for name, dash in heredocs:
            if draw(st.integers(0, 12)) == 0:
                continue  # leave it unterminated now and then
            body = draw(st.lists(st.sampled_from(_BODY_LINES), max_size=3))
            lines += [("\t" + b if dash and draw(st.booleans()) else b) for b in body]
            lines.append(("\t" if dash and draw(st.booleans()) else "") + name)
    text = nl.join(lines) + draw(st.sampled_from([nl, nl, ""]))
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_generated_dockerfiles_agree_with_buildkit(text: str) -> None:
    doc = parse(text)
    assume(newer_buildkit_reason(doc, text) is None)
    assume(not _byte_wise_excluded(doc))
    assert compare(text) == []


_CORPUS_TEXTS = [_read(p) for p in CORPUS_FILES if not p.name.startswith("newer_")]
_MUTATIONS = [
    " ", "\t", "\n", "\r\n", "\\", "\\\n", " \\ \n", "`", "`\n", '"', "'", "$", "${", "}",
    "[", "]", "<<", "<<-", "EOF", "#", "# escape=`\n", "--", "--mount=type=cache,target=/x ",
    "=", ",", "RUN ", "ONBUILD ", "AS ", "é", "\ufeff", "\x0b", "\u3000", "\\\\",
]  # fmt: skip


@st.composite
def mutated_corpus(draw: st.DrawFn) -> str:
    """A corpus file with characters and lines inserted, deleted or duplicated."""
    text = draw(st.sampled_from(_CORPUS_TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "insert", "delete", "line"]))
        if op == "insert":
            text = text[:pos] + draw(st.sampled_from(_MUTATIONS)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 3)) :]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
            text = "\n".join(lines)
    return text


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_corpus())
def test_mutated_corpus_agrees_with_buildkit(text: str) -> None:
    doc = parse(text)
    assume(newer_buildkit_reason(doc, text) is None)
    assume(not _byte_wise_excluded(doc))
    assert compare(text) == []
