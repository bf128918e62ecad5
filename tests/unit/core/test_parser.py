"""Exact source spans of what the parser finds, and how it copes with half-typed text.

Every span is checked three ways: the source text it slices, its 1-based
(line, column, end_line, end_column) with an exclusive end column, and that those
positions agree with the offsets counted independently of ``LineIndex``.  Columns
count code points; the \\r of a CRLF belongs to the line ending; a UTF-8 BOM is the
first character of line 1 (the text is kept as read, so the editor, which shows the
same string, agrees on every offset).

BuildKit agreement on instruction boundaries, words and flag values is covered by
``test_parser_differential.py``; this file pins the spans that editors underline.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.nodes import Dockerfile, Flag, Heredoc, Instruction
from gobuildgui.core.dockerfile.parser import SYNTAX_CODE, parse
from gobuildgui.core.model import Severity, Span

Pos = tuple[int, int, int, int]
Getter = Callable[[Dockerfile], Span | None]


def expected_pos(text: str, start: int, end: int) -> Pos:
    """(line, column, end_line, end_column) counted by hand: lines end at ``\\n``."""

    def at(offset: int) -> tuple[int, int]:
        line_start = text.rfind("\n", 0, offset) + 1
        return text.count("\n", 0, offset) + 1, offset - line_start + 1

    return (*at(start), *at(end))


def pos(span: Span) -> Pos:
    return (span.line, span.column, span.end_line, span.end_column)


def check_span(text: str, span: Span | None, sliced: str, position: Pos) -> None:
    assert span is not None
    assert 0 <= span.start <= span.end <= len(text)
    assert text[span.start : span.end] == sliced
    assert pos(span) == position
    assert pos(span) == expected_pos(text, span.start, span.end)


def ins(doc: Dockerfile, n: int) -> Instruction:
    return doc.instructions[n]


def flag(doc: Dockerfile, n: int, name: str, k: int = 0) -> Flag:
    return ins(doc, n).flags_named(name)[k]


def heredoc(doc: Dockerfile, n: int, k: int = 0) -> Heredoc:
    return ins(doc, n).heredocs[k]


def mount_option(doc: Dockerfile, n: int, key: str, k: int = 0) -> Span | None:
    opt = ins(doc, n).mounts[k].option(key)
    return None if opt is None else opt.span


def word(doc: Dockerfile, n: int, k: int) -> Span:
    return ins(doc, n).words[k].span


# -- the span table ------------------------------------------------------------------------

GO_RUN = (
    "FROM golang:1.22 AS build\n"
    "RUN --mount=type=cache,target=/go/pkg/mod,sharing=locked --network=none go build\n"
)
MOUNTS = (
    "RUN --mount=type=secret,id=netrc,target=/root/.netrc,required=true,mode=0400,"
    "uid=1000,gid=1000 \\\n"
    "    --mount=type=ssh,id=default,required \\\n"
    "    --mount=type=bind,from=build,source=/out,target=/in,rw \\\n"
    "    --mount=type=cache,id=gomod,target=/go,sharing=private,from=x,source=/y \\\n"
    "    --security=insecure make\n"
)
COPY_FLAGS = (
    "COPY --from=build --chown=1000:1000 --chmod=0755 --link --parents --exclude=*.md a b /dst/\n"
)
CONTINUED = (
    "RUN apt-get update \\\n# a comment inside\n\n    && apt-get install -y \\\n    git\nENV A=1\n"
)
KEY_VALUES = 'ENV A=1 B="x y"\nENV C legacy value\nARG X\nARG Y=2\nLABEL a.b="c d" e=f\n'
HEREDOCS = (
    "RUN <<EOF\n"
    "echo hi\n"
    "EOF\n"
    'RUN <<-"EOT" cat\n'
    "\tbody $x\n"
    "\tEOT\n"
    "COPY <<A <<B /dst/\n"
    "a1\n"
    "A\n"
    "b1\n"
    "B\n"
    "RUN 3<<X cat\n"
    "x\n"
    "X\n"
    "RUN <<'Q'\n"
    "$q\n"
    "Q\n"
)
WINDOWS = "# escape=`\nFROM windows\nRUN dir `\n  C:\\\nCOPY a`\n b c\n"
CRLF = "FROM a\r\nRUN --mount=type=cache,target=/x \\\r\n  echo hi\r\nENV K=v\r\n"
BOM = "\ufeffFROM alpine AS x\nRUN echo é 😀 end\n"
BOM_DIRECTIVE = "\ufeff# syntax=docker/dockerfile:1\nFROM a\n"
DIRECTIVES = (
    "# syntax=docker/dockerfile:1.7\n#  check = skip=JSONArgsRecommended;error=true  \nFROM a\n"
)
ONBUILD = (
    "FROM a\nONBUILD RUN --mount=type=cache,target=/c go build\nONBUILD COPY --chown=1 . /src\n"
)
STAGES = "FROM golang AS Build\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /b\n"
JSON = 'CMD ["a", "b c"]\nCMD ["a", \nENTRYPOINT ["x", 1]\n'
FLAG_CONT = "RUN --mount=type=cache,\\\ntarget=/x go\n"
QUOTED_FLAG = "RUN --mount=\"type=cache,target=/a b\" --chown='x y' go\n"

SPANS = [
    # keywords
    pytest.param(GO_RUN, lambda d: ins(d, 0).keyword_span, "FROM", (1, 1, 1, 5), id="kw-from"),
    pytest.param(GO_RUN, lambda d: ins(d, 1).keyword_span, "RUN", (2, 1, 2, 4), id="kw-run"),
    pytest.param(
        "  run echo\n", lambda d: ins(d, 0).keyword_span, "run", (1, 3, 1, 6), id="kw-ind"
    ),
    pytest.param("\tCMD x\n", lambda d: ins(d, 0).span, "CMD x", (1, 2, 1, 7), id="ins-indented"),
    pytest.param(GO_RUN, lambda d: ins(d, 0).span, GO_RUN.split("\n")[0], (1, 1, 1, 26), id="ins"),
    # RUN flags
    pytest.param(
        GO_RUN,
        lambda d: flag(d, 1, "mount").span,
        "--mount=type=cache,target=/go/pkg/mod,sharing=locked",
        (2, 5, 2, 57),
        id="flag-mount",
    ),
    pytest.param(
        GO_RUN,
        lambda d: flag(d, 1, "mount").value_span,
        "type=cache,target=/go/pkg/mod,sharing=locked",
        (2, 13, 2, 57),
        id="flag-mount-value",
    ),
    pytest.param(
        GO_RUN, lambda d: flag(d, 1, "network").span, "--network=none", (2, 58, 2, 72), id="net"
    ),
    pytest.param(
        GO_RUN, lambda d: flag(d, 1, "network").value_span, "none", (2, 68, 2, 72), id="net-v"
    ),
    pytest.param(
        GO_RUN, lambda d: mount_option(d, 1, "type"), "type=cache", (2, 13, 2, 23), id="mount-type"
    ),
    pytest.param(
        GO_RUN,
        lambda d: mount_option(d, 1, "target"),
        "target=/go/pkg/mod",
        (2, 24, 2, 42),
        id="mount-target",
    ),
    pytest.param(
        GO_RUN,
        lambda d: mount_option(d, 1, "sharing"),
        "sharing=locked",
        (2, 43, 2, 57),
        id="mount-sharing",
    ),
    pytest.param(GO_RUN, lambda d: word(d, 1, 0), "go", (2, 73, 2, 75), id="word-after-flags"),
    pytest.param(GO_RUN, lambda d: ins(d, 1).args_span(), "go build", (2, 73, 2, 81), id="args"),
    # every mount type, over continuation lines
    pytest.param(MOUNTS, lambda d: mount_option(d, 0, "id"), "id=netrc", (1, 25, 1, 33), id="m-id"),
    pytest.param(
        MOUNTS, lambda d: mount_option(d, 0, "required"), "required=true", (1, 54, 1, 67), id="req"
    ),
    pytest.param(
        MOUNTS, lambda d: mount_option(d, 0, "mode"), "mode=0400", (1, 68, 1, 77), id="mo"
    ),
    pytest.param(MOUNTS, lambda d: mount_option(d, 0, "uid"), "uid=1000", (1, 78, 1, 86), id="uid"),
    pytest.param(MOUNTS, lambda d: mount_option(d, 0, "gid"), "gid=1000", (1, 87, 1, 95), id="gid"),
    pytest.param(
        MOUNTS,
        lambda d: flag(d, 0, "mount", 1).span,
        "--mount=type=ssh,id=default,required",
        (2, 5, 2, 41),
        id="ssh-flag",
    ),
    pytest.param(
        MOUNTS, lambda d: mount_option(d, 0, "required", 1), "required", (2, 33, 2, 41), id="bare"
    ),
    pytest.param(
        MOUNTS, lambda d: mount_option(d, 0, "from", 2), "from=build", (3, 23, 3, 33), id="from"
    ),
    pytest.param(
        MOUNTS, lambda d: mount_option(d, 0, "source", 2), "source=/out", (3, 34, 3, 45), id="src"
    ),
    pytest.param(MOUNTS, lambda d: mount_option(d, 0, "rw", 2), "rw", (3, 57, 3, 59), id="rw"),
    pytest.param(
        MOUNTS,
        lambda d: mount_option(d, 0, "sharing", 3),
        "sharing=private",
        (4, 44, 4, 59),
        id="sharing-private",
    ),
    pytest.param(
        MOUNTS,
        lambda d: flag(d, 0, "security").span,
        "--security=insecure",
        (5, 5, 5, 24),
        id="security",
    ),
    pytest.param(MOUNTS, lambda d: word(d, 0, 0), "make", (5, 25, 5, 29), id="mounts-word"),
    pytest.param(MOUNTS, lambda d: ins(d, 0).span, MOUNTS[:-1], (1, 1, 5, 29), id="mounts-ins"),
    # a flag value split by a continuation, and quoted flags
    pytest.param(
        FLAG_CONT,
        lambda d: flag(d, 0, "mount").value_span,
        "type=cache,\\\ntarget=/x",
        (1, 13, 2, 10),
        id="flag-continued",
    ),
    pytest.param(
        FLAG_CONT, lambda d: mount_option(d, 0, "target"), "target=/x", (2, 1, 2, 10), id="opt-l2"
    ),
    pytest.param(
        QUOTED_FLAG,
        lambda d: flag(d, 0, "mount").value_span,
        '"type=cache,target=/a b"',
        (1, 13, 1, 37),
        id="flag-quoted",
    ),
    pytest.param(
        QUOTED_FLAG,
        lambda d: mount_option(d, 0, "target"),
        "target=/a b",
        (1, 25, 1, 36),
        id="opt-quoted",
    ),
    pytest.param(
        QUOTED_FLAG, lambda d: flag(d, 0, "chown").span, "--chown='x y'", (1, 38, 1, 51), id="sq"
    ),
    # COPY flags
    pytest.param(
        COPY_FLAGS, lambda d: flag(d, 0, "from").span, "--from=build", (1, 6, 1, 18), id="f"
    ),
    pytest.param(
        COPY_FLAGS, lambda d: flag(d, 0, "from").value_span, "build", (1, 13, 1, 18), id="from-v"
    ),
    pytest.param(
        COPY_FLAGS, lambda d: flag(d, 0, "chown").value_span, "1000:1000", (1, 27, 1, 36), id="ch"
    ),
    pytest.param(
        COPY_FLAGS, lambda d: flag(d, 0, "chmod").value_span, "0755", (1, 45, 1, 49), id="chmod"
    ),
    pytest.param(
        COPY_FLAGS, lambda d: flag(d, 0, "link").span, "--link", (1, 50, 1, 56), id="link"
    ),
    pytest.param(
        COPY_FLAGS, lambda d: flag(d, 0, "parents").span, "--parents", (1, 57, 1, 66), id="parents"
    ),
    pytest.param(
        COPY_FLAGS, lambda d: flag(d, 0, "exclude").value_span, "*.md", (1, 77, 1, 81), id="excl"
    ),
    pytest.param(COPY_FLAGS, lambda d: word(d, 0, 2), "/dst/", (1, 86, 1, 91), id="copy-dest"),
    # words across continuation, comment and blank lines
    pytest.param(CONTINUED, lambda d: word(d, 0, 1), "update", (1, 13, 1, 19), id="w-line1"),
    pytest.param(CONTINUED, lambda d: word(d, 0, 2), "&&", (4, 5, 4, 7), id="w-after-comment"),
    pytest.param(CONTINUED, lambda d: word(d, 0, 6), "git", (5, 5, 5, 8), id="w-last-line"),
    pytest.param(
        CONTINUED,
        lambda d: ins(d, 0).span,
        CONTINUED[: CONTINUED.index("git") + 3],
        (1, 1, 5, 8),
        id="ins-cont",
    ),
    pytest.param(
        CONTINUED,
        lambda d: ins(d, 0).args_span(0, 21),
        "apt-get update \\\n# a comment inside\n\n    &&",
        (1, 5, 4, 7),
        id="args-span-across-lines",
    ),
    pytest.param(CONTINUED, lambda d: ins(d, 1).span, "ENV A=1", (6, 1, 6, 8), id="after-cont"),
    # ENV / ARG / LABEL
    pytest.param(KEY_VALUES, lambda d: ins(d, 0).key_values[0].key_span, "A", (1, 5, 1, 6), id="k"),
    pytest.param(
        KEY_VALUES, lambda d: ins(d, 0).key_values[0].value_span, "1", (1, 7, 1, 8), id="v"
    ),
    pytest.param(
        KEY_VALUES, lambda d: ins(d, 0).key_values[1].span, 'B="x y"', (1, 9, 1, 16), id="kv"
    ),
    pytest.param(
        KEY_VALUES, lambda d: ins(d, 0).key_values[1].value_span, '"x y"', (1, 11, 1, 16), id="qv"
    ),
    pytest.param(
        KEY_VALUES, lambda d: ins(d, 1).key_values[0].key_span, "C", (2, 5, 2, 6), id="legacy-k"
    ),
    pytest.param(
        KEY_VALUES,
        lambda d: ins(d, 1).key_values[0].value_span,
        "legacy value",
        (2, 7, 2, 19),
        id="legacy-v",
    ),
    pytest.param(KEY_VALUES, lambda d: ins(d, 2).key_values[0].span, "X", (3, 5, 3, 6), id="arg"),
    pytest.param(
        KEY_VALUES, lambda d: ins(d, 3).key_values[0].value_span, "2", (4, 7, 4, 8), id="arg-v"
    ),
    pytest.param(
        KEY_VALUES, lambda d: ins(d, 4).key_values[0].key_span, "a.b", (5, 7, 5, 10), id="label-k"
    ),
    pytest.param(
        KEY_VALUES, lambda d: ins(d, 4).key_values[1].span, "e=f", (5, 17, 5, 20), id="label-kv2"
    ),
    # heredocs
    pytest.param(HEREDOCS, lambda d: heredoc(d, 0).marker_span, "<<EOF", (1, 5, 1, 10), id="hd-m"),
    pytest.param(HEREDOCS, lambda d: heredoc(d, 0).body_span, "echo hi\n", (2, 1, 3, 1), id="hd-b"),
    pytest.param(HEREDOCS, lambda d: heredoc(d, 0).end_span, "EOF", (3, 1, 3, 4), id="hd-end"),
    pytest.param(HEREDOCS, lambda d: ins(d, 0).span, HEREDOCS[:21], (1, 1, 3, 4), id="hd-ins"),
    pytest.param(
        HEREDOCS, lambda d: heredoc(d, 1).marker_span, '<<-"EOT"', (4, 5, 4, 13), id="hd-dash-m"
    ),
    pytest.param(
        HEREDOCS, lambda d: heredoc(d, 1).body_span, "\tbody $x\n", (5, 1, 6, 1), id="hd-dash-b"
    ),
    pytest.param(HEREDOCS, lambda d: heredoc(d, 1).end_span, "\tEOT", (6, 1, 6, 5), id="hd-dash-e"),
    pytest.param(HEREDOCS, lambda d: heredoc(d, 2, 0).marker_span, "<<A", (7, 6, 7, 9), id="hd-a"),
    pytest.param(HEREDOCS, lambda d: heredoc(d, 2, 0).body_span, "a1\n", (8, 1, 9, 1), id="hd-ab"),
    pytest.param(
        HEREDOCS, lambda d: heredoc(d, 2, 1).marker_span, "<<B", (7, 10, 7, 13), id="hd-b2"
    ),
    pytest.param(
        HEREDOCS, lambda d: heredoc(d, 2, 1).body_span, "b1\n", (10, 1, 11, 1), id="hd-bb"
    ),
    pytest.param(HEREDOCS, lambda d: heredoc(d, 2, 1).end_span, "B", (11, 1, 11, 2), id="hd-be"),
    pytest.param(HEREDOCS, lambda d: heredoc(d, 3).marker_span, "3<<X", (12, 5, 12, 9), id="hd-fd"),
    pytest.param(HEREDOCS, lambda d: heredoc(d, 4).body_span, "$q\n", (16, 1, 17, 1), id="hd-sq"),
    # JSON form
    pytest.param(JSON, lambda d: ins(d, 0).args_span(), '["a", "b c"]', (1, 5, 1, 17), id="json"),
    pytest.param(JSON, lambda d: ins(d, 1).args_span(), '["a", ', (2, 5, 2, 11), id="bad-json"),
    pytest.param(JSON, lambda d: word(d, 1, 0), '["a",', (2, 5, 2, 10), id="bad-json-word"),
    # escape directive: backtick continuation, backslash is a plain character
    pytest.param(
        WINDOWS, lambda d: d.directives["escape"].span, "# escape=`", (1, 1, 1, 11), id="e"
    ),
    pytest.param(
        WINDOWS, lambda d: d.directives["escape"].value_span, "`", (1, 10, 1, 11), id="ev"
    ),
    pytest.param(WINDOWS, lambda d: ins(d, 1).span, "RUN dir `\n  C:\\", (3, 1, 4, 6), id="bt"),
    pytest.param(WINDOWS, lambda d: word(d, 1, 1), "C:\\", (4, 3, 4, 6), id="bt-word"),
    pytest.param(WINDOWS, lambda d: word(d, 2, 1), "b", (6, 2, 6, 3), id="bt-copy"),
    # syntax and check directives
    pytest.param(
        DIRECTIVES,
        lambda d: d.directives["syntax"].span,
        "# syntax=docker/dockerfile:1.7",
        (1, 1, 1, 31),
        id="syntax",
    ),
    pytest.param(
        DIRECTIVES,
        lambda d: d.directives["syntax"].value_span,
        "docker/dockerfile:1.7",
        (1, 10, 1, 31),
        id="syntax-value",
    ),
    pytest.param(
        DIRECTIVES,
        lambda d: d.directives["check"].value_span,
        "skip=JSONArgsRecommended;error=true",
        (2, 12, 2, 47),
        id="check-value-trimmed",
    ),
    pytest.param(DIRECTIVES, lambda d: ins(d, 0).span, "FROM a", (3, 1, 3, 7), id="after-dirs"),
    # CRLF: the CR belongs to the line ending
    pytest.param(CRLF, lambda d: ins(d, 0).span, "FROM a", (1, 1, 1, 7), id="crlf-ins"),
    pytest.param(
        CRLF,
        lambda d: ins(d, 1).span,
        "RUN --mount=type=cache,target=/x \\\r\n  echo hi",
        (2, 1, 3, 10),
        id="crlf-continued",
    ),
    pytest.param(
        CRLF, lambda d: mount_option(d, 1, "target"), "target=/x", (2, 24, 2, 33), id="crlf-opt"
    ),
    pytest.param(CRLF, lambda d: word(d, 1, 1), "hi", (3, 8, 3, 10), id="crlf-word"),
    pytest.param(
        CRLF, lambda d: ins(d, 2).key_values[0].value_span, "v", (4, 7, 4, 8), id="crlf-value"
    ),
    pytest.param(
        "RUN <<EOF\r\nbody\r\nEOF\r\n",
        lambda d: heredoc(d, 0).body_span,
        "body\r\n",
        (2, 1, 3, 1),
        id="crlf-heredoc-body",
    ),
    pytest.param(
        "RUN <<EOF\r\nbody\r\nEOF\r\n",
        lambda d: heredoc(d, 0).end_span,
        "EOF",
        (3, 1, 3, 4),
        id="crlf-heredoc-end",
    ),
    # BOM: one character at the start of line 1
    pytest.param(BOM, lambda d: ins(d, 0).keyword_span, "FROM", (1, 2, 1, 6), id="bom-kw"),
    pytest.param(BOM, lambda d: word(d, 0, 2), "x", (1, 17, 1, 18), id="bom-word"),
    pytest.param(BOM, lambda d: ins(d, 1).keyword_span, "RUN", (2, 1, 2, 4), id="bom-line-2"),
    pytest.param(BOM, lambda d: word(d, 1, 3), "end", (2, 14, 2, 17), id="astral-one-column"),
    pytest.param(
        BOM_DIRECTIVE,
        lambda d: d.directives["syntax"].span,
        "# syntax=docker/dockerfile:1",
        (1, 2, 1, 30),
        id="bom-directive",
    ),
    # stages
    pytest.param(
        STAGES,
        lambda d: d.stages[0].name_token.span if d.stages[0].name_token else None,
        "Build",
        (1, 16, 1, 21),
        id="stage-name",
    ),
    pytest.param(
        STAGES,
        lambda d: d.stages[1].image_token.span if d.stages[1].image_token else None,
        "build",
        (2, 6, 2, 11),
        id="stage-image",
    ),
    # ONBUILD triggers
    pytest.param(
        ONBUILD, lambda d: ins(d, 1).keyword_span, "ONBUILD", (2, 1, 2, 8), id="onbuild-kw"
    ),
    pytest.param(
        ONBUILD,
        lambda d: t.keyword_span if (t := ins(d, 1).onbuild_trigger) else None,
        "RUN",
        (2, 9, 2, 12),
        id="trigger-kw",
    ),
    pytest.param(
        ONBUILD,
        lambda d: t.flags[0].value_span if (t := ins(d, 1).onbuild_trigger) else None,
        "type=cache,target=/c",
        (2, 21, 2, 41),
        id="trigger-flag",
    ),
    pytest.param(
        ONBUILD,
        lambda d: t.args_span() if (t := ins(d, 2).onbuild_trigger) else None,
        ". /src",
        (3, 24, 3, 30),
        id="trigger-args",
    ),
]


@pytest.mark.parametrize(("text", "get", "sliced", "position"), SPANS)
def test_span(text: str, get: Getter, sliced: str, position: Pos) -> None:
    check_span(text, get(parse(text)), sliced, position)


# -- values that go with the spans ---------------------------------------------------------


def test_keyword_is_upper_cased_but_raw_is_kept() -> None:
    doc = parse("  run echo\n")
    assert (ins(doc, 0).keyword, ins(doc, 0).keyword_raw, ins(doc, 0).args) == (
        "RUN",
        "run",
        "echo",
    )


def test_flag_values() -> None:
    doc = parse(GO_RUN + QUOTED_FLAG + COPY_FLAGS)
    mount = flag(doc, 1, "mount")
    assert (mount.name, mount.value) == ("mount", "type=cache,target=/go/pkg/mod,sharing=locked")
    assert flag(doc, 1, "network").value == "none"
    quoted = ins(doc, 2)
    assert flag(doc, 2, "mount").value == "type=cache,target=/a b"
    assert flag(doc, 2, "mount").raw_value == '"type=cache,target=/a b"'
    assert flag(doc, 2, "chown").value == "x y"
    assert quoted.args == "go"
    copy = ins(doc, 3)
    assert [(f.name, f.value) for f in copy.flags] == [
        ("from", "build"),
        ("chown", "1000:1000"),
        ("chmod", "0755"),
        ("link", None),
        ("parents", None),
        ("exclude", "*.md"),
    ]
    assert flag(doc, 3, "link").value_span is None
    assert [w.value for w in copy.words] == ["a", "b", "/dst/"]


def test_mount_options() -> None:
    doc = parse(MOUNTS)
    secret, ssh, bind, cache = ins(doc, 0).mounts
    assert (secret.type, secret.target, secret.get("id")) == ("secret", "/root/.netrc", "netrc")
    assert (secret.get("required"), secret.get("mode")) == ("true", "0400")
    assert (secret.get("uid"), secret.get("gid")) == ("1000", "1000")
    assert (ssh.type, ssh.target, ssh.get("required")) == ("ssh", None, "")
    assert (bind.type, bind.get("from"), bind.get("source"), bind.target) == (
        "bind",
        "build",
        "/out",
        "/in",
    )
    assert bind.get("rw") == ""
    assert bind.option("rw") is not None
    assert (cache.type, cache.get("id"), cache.get("sharing")) == ("cache", "gomod", "private")
    assert (cache.get("from"), cache.get("source"), cache.target) == ("x", "/y", "/go")
    assert cache.get("uid") is None
    assert ins(doc, 0).flag("security") is not None
    assert [w.value for w in ins(doc, 0).words] == ["make"]


def test_mount_defaults_and_aliases() -> None:
    doc = parse(
        "RUN --mount=target=/a --mount=type=CACHE,dst=/b --mount=type=tmpfs,destination=/c x\n"
    )
    bind, cache, tmpfs = ins(doc, 0).mounts
    assert (bind.type, bind.target) == ("bind", "/a")  # BuildKit's default type
    assert (cache.type, cache.target) == ("cache", "/b")
    assert (tmpfs.type, tmpfs.target) == ("tmpfs", "/c")


def test_key_values() -> None:
    doc = parse(KEY_VALUES)
    env, legacy, bare, arg, label = doc.instructions
    assert [(kv.key, kv.raw_value, kv.value, kv.legacy) for kv in env.key_values] == [
        ("A", "1", "1", False),
        ("B", '"x y"', "x y", False),
    ]
    assert [(kv.key, kv.value, kv.legacy) for kv in legacy.key_values] == [
        ("C", "legacy value", True)
    ]
    assert [(kv.key, kv.value, kv.value_span) for kv in bare.key_values] == [("X", None, None)]
    assert [(kv.key, kv.value) for kv in arg.key_values] == [("Y", "2")]
    assert [(kv.key, kv.value) for kv in label.key_values] == [("a.b", "c d"), ("e", "f")]
    assert doc.problems == ()


def test_key_values_only_for_env_arg_label() -> None:
    assert parse("RUN A=1\n").instructions[0].key_values == ()


def test_heredoc_values() -> None:
    doc = parse(HEREDOCS)
    h = [
        (x.name, x.strip_tabs, x.quoted, x.fd, x.body) for i in doc.instructions for x in i.heredocs
    ]
    assert h == [
        ("EOF", False, False, None, "echo hi\n"),
        ("EOT", True, True, None, "\tbody $x\n"),
        ("A", False, False, None, "a1\n"),
        ("B", False, False, None, "b1\n"),
        ("X", False, False, 3, "x\n"),
        ("Q", False, True, None, "$q\n"),
    ]
    assert [i.keyword for i in doc.instructions] == ["RUN", "RUN", "COPY", "RUN", "RUN"]
    assert doc.problems == ()
    for x in (y for i in doc.instructions for y in i.heredocs):
        assert x.body_start == x.body_span.start
        assert HEREDOCS[x.body_span.start : x.body_span.end] == x.body


def test_heredoc_instruction_ends_at_the_last_close() -> None:
    doc = parse(HEREDOCS)
    assert [(i.line, i.end_line) for i in doc.instructions] == [
        (1, 3),
        (4, 6),
        (7, 11),
        (12, 14),
        (15, 17),
    ]


def test_heredoc_body_is_not_part_of_args() -> None:
    doc = parse(HEREDOCS)
    assert ins(doc, 0).args == "<<EOF"
    scripts = [m.text for m in ins(doc, 0).scripts()]
    assert scripts == ["<<EOF", "echo hi\n"]


@pytest.mark.parametrize(
    "text",
    [
        'RUN echo "<<EOF"\n',
        "RUN echo '<<EOF'\n",
        'RUN ["<<EOF"]\n',
        "CMD <<EOF\n",  # CMD takes no heredocs
        "RUN <<\n",
    ],
)
def test_not_heredocs(text: str) -> None:
    doc = parse(text)
    assert ins(doc, 0).heredocs == ()
    assert doc.problems == ()


def test_dash_heredoc_closes_on_a_tab_indented_line_only_with_dash() -> None:
    assert parse("RUN <<-EOF\n\tx\n\tEOF\n").problems == ()
    doc = parse("RUN <<EOF\n\tx\n\tEOF\n")
    (problem,) = doc.problems
    assert "unterminated heredoc" in problem.message
    assert heredoc(doc, 0).end_span is None


def test_unterminated_heredoc_is_a_diagnostic_and_the_next_instruction_is_parsed() -> None:
    text = "FROM a\nRUN <<EOF\necho\nFROM b\n"
    doc = parse(text)
    (problem,) = doc.problems
    assert (problem.code, problem.severity) == (SYNTAX_CODE, Severity.ERROR)
    assert problem.message == "unterminated heredoc: no line 'EOF' closes <<EOF"
    check_span(text, problem.span, "<<EOF", (2, 5, 2, 10))
    h = heredoc(doc, 1)
    assert h.end_span is None
    check_span(text, h.body_span, "echo\n", (3, 1, 4, 1))
    assert [i.keyword for i in doc.instructions] == ["FROM", "RUN", "FROM"]
    assert [s.image for s in doc.stages] == ["a", "b"]


def test_second_of_two_heredocs_unterminated() -> None:
    text = "COPY <<A <<B /x\na\nA\n"
    doc = parse(text)
    (problem,) = doc.problems
    check_span(text, problem.span, "<<B", (1, 10, 1, 13))
    assert heredoc(doc, 0, 0).end_span is not None
    assert (heredoc(doc, 0, 1).body, heredoc(doc, 0, 1).end_span) == ("", None)


def test_json_form() -> None:
    doc = parse(JSON)
    cmd, bad, nonstring = doc.instructions
    assert (cmd.is_exec_form, cmd.json_args) == (True, ("a", "b c"))
    assert not cmd.looks_like_bad_json
    # Invalid JSON is shell form.
    assert (bad.is_exec_form, bad.json_args, bad.looks_like_bad_json) == (False, None, True)
    assert [w.value for w in bad.words] == ['["a",']
    # A JSON array with a non-string item is an error.
    assert nonstring.json_has_non_strings
    (problem,) = doc.problems
    assert problem.message.startswith("when using JSON array syntax")
    check_span(JSON, problem.span, '["x", 1]', (3, 12, 3, 20))


@pytest.mark.parametrize(
    ("text", "exec_form"),
    [
        ('RUN ["a"]', True),
        ("RUN []", True),
        ('RUN  [ "a" , "b" ]  ', True),
        ('RUN ["a"] x', False),  # trailing text: shell form
        ("RUN ['a']", False),
        ("RUN [a]", False),
        ('USER ["a"]', False),  # USER has no exec form
        ('HEALTHCHECK CMD ["curl", "-f"]', True),
    ],
)
def test_exec_form_detection(text: str, exec_form: bool) -> None:
    assert ins(parse(text), 0).is_exec_form is exec_form


def test_continuation_skips_comment_and_blank_lines() -> None:
    doc = parse(CONTINUED)
    run = ins(doc, 0)
    assert run.args == "apt-get update     && apt-get install -y     git"
    assert run.blank_continuation_lines == (3,)
    assert (run.line, run.end_line) == (1, 5)
    assert [c.text for c in doc.comments] == []  # comments inside are dropped
    assert ins(doc, 1).line == 6


def test_continuation_at_end_of_file() -> None:
    text = "RUN a \\\n# c\n"
    doc = parse(text)
    assert [(i.keyword, i.args) for i in doc.instructions] == [("RUN", "a ")]
    check_span(text, ins(doc, 0).span, "RUN a \\", (1, 1, 1, 8))


def test_double_backslash_is_not_a_continuation() -> None:
    doc = parse("RUN a \\\\\nRUN b\n")
    assert [i.args for i in doc.instructions] == ["a \\\\", "b"]


def test_backtick_escape_directive() -> None:
    doc = parse(WINDOWS)
    assert doc.escape == "`"
    assert [(i.keyword, i.args) for i in doc.instructions] == [
        ("FROM", "windows"),
        ("RUN", "dir   C:\\"),
        ("COPY", "a b c"),
    ]


@pytest.mark.parametrize(
    ("text", "directives"),
    [
        ("# syntax=a\n# escape=`\n# check=error=true\nFROM x\n",
         {"syntax": "a", "escape": "`", "check": "error=true"}),
        ("#syntax = df:1\n#  ESCAPE = `\nFROM x\n", {"syntax": "df:1", "escape": "`"}),
        ("# comment\n# syntax=x\nFROM x\n", {}),  # after a comment: a comment
        ("# other=1\n# check=error=true\nFROM x\n", {}),  # unknown directive ends them
        ("FROM x\n# syntax=x\n", {}),
        ("# escape=\nFROM x\n", {}),  # needs a value
        ("\n# syntax=x\nFROM x\n", {}),  # a blank line ends the directives
        ("  # syntax=x\nFROM x\n", {"syntax": "x"}),
    ],
)  # fmt: skip
def test_directives(text: str, directives: dict[str, str]) -> None:
    doc = parse(text)
    assert {k: v.value for k, v in doc.directives.items()} == directives
    assert (doc.syntax.value if doc.syntax else None) == directives.get("syntax")
    assert doc.problems == ()


def test_directive_that_is_not_one_is_a_comment() -> None:
    doc = parse("# comment\n# syntax=x\nFROM x\n")
    assert [c.text for c in doc.comments] == ["comment", "syntax=x"]
    check_span("# comment\n# syntax=x\nFROM x\n", doc.comments[1].span, "# syntax=x", (2, 1, 2, 11))


def test_invalid_and_duplicate_escape_directives() -> None:
    text = "# escape=x\n# escape=\\\nFROM a\n"
    doc = parse(text)
    assert doc.escape == "\\"
    invalid, duplicate = doc.problems
    assert invalid.message.startswith("invalid escape token 'x'")
    check_span(text, invalid.span, "x", (1, 10, 1, 11))
    assert duplicate.message == "only one escape parser directive can be used"
    check_span(text, duplicate.span, "# escape=\\", (2, 1, 2, 11))


def test_crlf_gives_the_same_columns_and_args_as_lf() -> None:
    lf = CRLF.replace("\r\n", "\n")
    a, b = parse(lf), parse(CRLF)
    assert [i.args for i in a.instructions] == [i.args for i in b.instructions]
    for x, y in zip(a.instructions, b.instructions, strict=True):
        assert [pos(w.span) for w in x.words] == [pos(w.span) for w in y.words]
        assert pos(x.span) == pos(y.span)


def test_bom_is_not_part_of_the_keyword() -> None:
    doc = parse(BOM)
    assert ins(doc, 0).keyword == "FROM"
    assert doc.problems == ()
    assert parse(BOM_DIRECTIVE).syntax is not None


def test_stages_and_parents() -> None:
    doc = parse(STAGES + "FROM test\n")
    assert [(s.index, s.name, s.image, s.base_image) for s in doc.stages] == [
        (0, "build", "golang", "golang"),
        (1, "test", "build", "build"),
        (2, None, "scratch", "scratch"),
        (3, None, "test", "test"),
    ]
    assert [s.parent.index if s.parent else None for s in doc.stages] == [None, 0, None, 1]
    assert [i.stage_index for i in doc.instructions] == [0, 1, 2, 2, 3]
    assert doc.stages[3].root() is doc.stages[0]
    assert doc.stage_of(ins(doc, 3)) is doc.stages[2]
    assert doc.stage_named("BUILD") is doc.stages[0]
    assert doc.stage_named("2") is doc.stages[2]
    assert doc.stage_named("nope") is None
    assert doc.final_stage is doc.stages[3]
    # A COPY --from names a stage; the parser only keeps the flag.
    assert flag(doc, 3, "from").value == "build"


def test_instructions_before_the_first_from() -> None:
    doc = parse("ARG A=1\nRUN x\nFROM a\n")
    assert [i.stage_index for i in doc.instructions] == [-1, -1, 0]
    assert [i.args for i in doc.global_args] == ["A=1"]
    assert doc.stage_of(ins(doc, 1)) is None


def test_platform_flag_of_from() -> None:
    doc = parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS b\n")
    stage = doc.stages[0]
    assert stage.platform is not None
    assert stage.platform.value == "$BUILDPLATFORM"
    assert (stage.image, stage.name) == ("golang:1.22", "b")


def test_onbuild_triggers() -> None:
    doc = parse(ONBUILD + "ONBUILD ONBUILD X\nONBUILD FROM y\n")
    run = ins(doc, 1).onbuild_trigger
    copy = ins(doc, 2).onbuild_trigger
    assert run is not None
    assert copy is not None
    assert (run.keyword, run.args, [m.target for m in run.mounts]) == ("RUN", "go build", ["/c"])
    assert (copy.keyword, copy.args, copy.flags[0].value) == ("COPY", ". /src", "1")
    # The ONBUILD itself has no flags: they belong to the trigger.
    assert ins(doc, 1).flags == ()
    assert [p.message for p in doc.problems] == [
        "ONBUILD isn't allowed as an ONBUILD trigger",
        "FROM isn't allowed as an ONBUILD trigger",
    ]
    # ONBUILD FROM is not a stage.
    assert len(doc.stages) == 1


def test_onbuild_heredoc_is_read() -> None:
    text = "ONBUILD RUN <<EOF\necho\nEOF\nRUN x\n"
    doc = parse(text)
    trigger = ins(doc, 0).onbuild_trigger
    assert trigger is not None
    assert [h.body for h in trigger.heredocs] == ["echo\n"]
    assert [(i.keyword, i.line, i.end_line) for i in doc.instructions] == [
        ("ONBUILD", 1, 3),
        ("RUN", 4, 4),
    ]


def test_comments() -> None:
    text = "FROM a\n  # indented  \n#x\nRUN a # not a comment\n"
    doc = parse(text)
    assert [c.text for c in doc.comments] == ["indented", "x"]
    check_span(text, doc.comments[0].span, "# indented  ", (2, 3, 2, 15))
    assert ins(doc, 1).args == "a # not a comment"


# -- half-typed text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "sliced"),
    [
        ("FROM", "FROM requires at least one argument", "FROM"),
        ("FROM ", "FROM requires at least one argument", "FROM"),
        ("RUN --mount=type=cac", "RUN requires at least one argument", "RUN"),
        ("RUN --mount=", "RUN requires at least one argument", "RUN"),
        ("RUN \\", "RUN requires at least one argument", "RUN"),
        ("COPY --from", "COPY requires at least one argument", "COPY"),
        ("ONBUILD", "ONBUILD requires at least one argument", "ONBUILD"),
        ("ARG", "ARG requires at least one argument", "ARG"),
        ("ENV A", "ENV must have two arguments", "A"),
        ("LABEL a", "LABEL must have two arguments", "a"),
        ("ENV A=1 B", "can't find = in 'B': ENV takes name=value pairs", "B"),
        ("RUN <<EOF", "unterminated heredoc: no line 'EOF' closes <<EOF", "<<EOF"),
        ("RUN <<EOF\necho", "unterminated heredoc: no line 'EOF' closes <<EOF", "<<EOF"),
        ('RUN --mount=type=cache,target="/x', "RUN requires at least one argument", "RUN"),
        ('CMD ["a", 1', None, None),  # invalid JSON: shell form, no parse error
    ],
)
def test_half_typed_text_gives_a_diagnostic(
    text: str, message: str | None, sliced: str | None
) -> None:
    doc = parse(text)
    if message is None:
        assert doc.problems == ()
        return
    assert [p.message for p in doc.problems] == [message]
    (problem,) = doc.problems
    assert (problem.code, problem.severity) == (SYNTAX_CODE, Severity.ERROR)
    assert text[problem.span.start : problem.span.end] == sliced


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "\\",
        "#",
        "# syntax=",
        "--",
        "RUN --",
        "RUN ${",
        "RUN ${A:-",
        'RUN echo "unterminated',
        "RUN 'x",
        "COPY <<",
        "COPY <<'EOF",
        'RUN <<"EOF',
        "RUN <<EOF\n<<EOF\n",
        "RUN [",
        'RUN ["a\\',
        "ONBUILD ONBUILD",
        "FROM a AS",
        "HEALTHCHECK CMD",
        "\ufeff",
        "\r\r\n\r",
        "RUN a\\\r\n",
    ],
)
def test_half_typed_text_never_raises(text: str) -> None:
    doc = parse(text)
    for i in doc.instructions:
        assert 0 <= i.span.start <= i.span.end <= len(text)
        _ = (i.words, i.key_values, i.mounts, i.json_form, i.args)
    for p in doc.problems:
        assert 0 <= p.span.start <= p.span.end <= len(text)


def test_unterminated_quote_in_a_flag_runs_to_the_end() -> None:
    text = 'RUN --mount=type=cache,target="/x'
    f = flag(parse(text), 0, "mount")
    assert f.value == "type=cache,target=/x"
    check_span(text, f.span, text[4:], (1, 5, 1, 34))


# -- errors BuildKit raises after parsing: we report them while parsing ------------------


def test_from_with_as_but_no_name_is_reported() -> None:
    assert any(d.severity is Severity.ERROR for d in lint("FROM a:1 AS\n").diagnostics)


def test_copy_with_one_argument_is_reported() -> None:
    text = "FROM a:1\nCOPY a\n"
    assert any(d.span.line == 2 for d in lint(text).diagnostics)


def test_unterminated_quote_in_env_is_reported() -> None:
    text = 'FROM a:1\nENV A="x\n'
    assert any(d.span.line == 2 for d in lint(text).diagnostics)


@pytest.mark.parametrize(
    "text",
    [
        "FROM a:1\n",
        "FROM a:1 AS build\n",
        "FROM a:1 as build\n",
        "FROM a:1\nCOPY a b\n",
        'FROM a:1\nCOPY ["a", "b"]\n',
        "FROM a:1\nCOPY <<EOF /x\nhi\nEOF\n",
        "FROM a:1\nENV A=\"x y\" B='it''s'\n",
        'FROM a:1\nENV A=\\"x\n',
        'FROM a:1\nARG A="x"\n',
    ],
)
def test_well_formed_instructions_get_no_parse_error(text: str) -> None:
    assert [p.message for p in parse(text).problems] == []


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("FROM a:1 AS\n", "one or three arguments"),
        ("FROM a:1 b c d\n", "one or three arguments"),
        ("FROM a:1 FOR b\n", "one or three arguments"),
        ("FROM a:1\nADD a\n", "ADD requires at least two arguments"),
        ('FROM a:1\nCOPY ["a"]\n', "COPY requires at least two arguments"),
        ("FROM a:1\nLABEL a='x\n", "matching single-quote"),
        ('FROM a:1\nARG A="x\n', "matching double-quote"),
    ],
)
def test_errors_buildkit_raises_later_are_reported(text: str, needle: str) -> None:
    assert any(needle in p.message for p in parse(text).problems)
