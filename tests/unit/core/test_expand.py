"""``$VAR`` expansion (``expand.expand_word``) and ARG/ENV scope rules (``scope``)."""

from __future__ import annotations

import pytest

from gobuildgui.core.dockerfile.expand import expand_word
from gobuildgui.core.dockerfile.nodes import Dockerfile, Instruction
from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.scope import (
    global_arg_defaults,
    stage_env,
    variables_at,
)

# A set, an empty and a declared-without-value (build-time) variable.
ENV: dict[str, str | None] = {"A": "a", "E": "", "N": None, "P": "/go/bin", "V": "1.22.3"}

# -- expand_word: forms --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Plain references.
        ("$A", "a"),
        ("${A}", "a"),
        ("$A$A", "aa"),
        ("x${A}y", "xay"),
        ("$A.b", "a.b"),
        ("$Ab", ""),  # the name is ``Ab``, which is unset
        ("${A}b", "ab"),
        ("golang:${V}-alpine", "golang:1.22.3-alpine"),
        ("$P:/usr/bin", "/go/bin:/usr/bin"),
        # ${VAR:-default}: the default when unset or empty.
        ("${A:-d}", "a"),
        ("${E:-d}", "d"),
        ("${U:-d}", "d"),
        ("${N:-d}", "d"),
        ("${U:-}", ""),
        ("${U:-$A}", "a"),
        ("${U:-${E:-deep}}", "deep"),
        ("${U:-a b}", "a b"),
        # ${VAR-default}: the default only when unset.
        ("${A-d}", "a"),
        ("${E-d}", ""),
        ("${U-d}", "d"),
        # ${VAR:+alt}: the alternative when set and not empty.
        ("${A:+x}", "x"),
        ("${E:+x}", ""),
        ("${U:+x}", ""),
        # ${VAR+alt}: the alternative when set, even to "".
        ("${A+x}", "x"),
        ("${E+x}", "x"),
        ("${U+x}", ""),
        ("${A+$V}", "1.22.3"),
        # ${VAR:?msg}: the value (a build error when unset; we never raise).
        ("${A:?need A}", "a"),
        ("${U:?need U}", ""),
        # Newer modifiers.
        ("${V#1.}", "22.3"),
        ("${V##*.}", "3"),
        ("${V%.*}", "1.22"),
        ("${V%%.*}", "1"),
        ("${V/./_}", "1_22.3"),
        ("${V//./_}", "1_22_3"),
        # Unknown variables are empty.
        ("$U", ""),
        ("${U}", ""),
        ("x$U/y", "x/y"),
        ("$1", ""),
        # Special parameters are one character.
        ("$$", ""),
        ("$!x", "x"),
    ],
)
def test_expand_forms(raw: str, expected: str) -> None:
    assert expand_word(raw, ENV) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Escapes and quotes.
        ("\\$A", "$A"),
        ("\\${A}", "${A}"),
        ("'$A'", "$A"),
        ("'${A:-x}'", "${A:-x}"),
        ('"$A"', "a"),
        ('"${A}b"', "ab"),
        ('"\\$A"', "$A"),
        ('"a\\"b"', 'a"b'),
        ('"a\\b"', "a\\b"),  # inside double quotes \ only escapes " $ and itself
        ('"a\\\\b"', "a\\b"),
        ("a\\ b", "a b"),
        ("a\\\\b", "a\\b"),
        ("\"a\"'b'c", "abc"),
        ("it's", "its"),  # an unterminated single quote runs to the end
        ('"open $A', "open a"),
        ("trailing\\", "trailing"),  # a lone escape at the end is dropped
    ],
)
def test_expand_quotes_and_escapes(raw: str, expected: str) -> None:
    assert expand_word(raw, ENV) == expected


@pytest.mark.parametrize(
    "raw",
    ["$", "a$", "${", "${A", "${}", "${:-x}", "${A:-x", "${A:", "${A!}", "${A:#x}"],
)
def test_bad_references_are_kept_as_written(raw: str) -> None:
    assert expand_word(raw, ENV) == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$U", "$U"),
        ("${U}", "${U}"),
        ("${N}", "${N}"),
        ("golang:${GO}", "golang:${GO}"),
        ("${U:-d}", "${U:-d}"),  # unknown: maybe given at build time
        ("${N:-d}", "d"),  # declared without a value: the default shows
        ("${U-d}", "${U-d}"),
        ("${U+x}", "${U+x}"),
        ("${N+x}", "${N+x}"),
        ("${U:?m}", "${U:?m}"),
        ("$A-$U", "a-$U"),
        ("${E:-d}", "d"),
        ("${U#x}", "${U#x}"),
    ],
)
def test_keep_leaves_unknown_and_build_time_variables_as_written(raw: str, expected: str) -> None:
    assert expand_word(raw, ENV, keep=True) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$A", "$A"),
        ("${A:-x}", "${A:-x}"),
        ('"$A b"', "$A b"),
        ("'q'", "q"),
        ("a\\ b", "a b"),
    ],
)
def test_env_none_removes_quotes_but_does_not_expand(raw: str, expected: str) -> None:
    assert expand_word(raw, None) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("`$A", "$A"),
        ("C:\\$A", "C:\\a"),  # backslash is an ordinary character
        ("a` b", "a b"),
        ('"x`"y"', 'x"y'),
        ("${U:-c:\\dir}", "c:\\dir"),
    ],
)
def test_backtick_escape(raw: str, expected: str) -> None:
    assert expand_word(raw, ENV, "`") == expected


def test_a_leading_bom_is_skipped() -> None:
    assert expand_word("\ufeff$A", ENV) == "a"


def test_deep_nesting_never_raises() -> None:
    raw = "${U:-" * 200 + "x" + "}" * 200
    out = expand_word(raw, ENV)
    assert isinstance(out, str)
    assert expand_word("${U:-" * 10 + "x" + "}" * 10, ENV) == "x"


# -- scope rules --------------------------------------------------------------------------

SCOPED = """\
ARG GO=1.22
ARG BARE
ARG IMG=golang:${GO}
FROM ${IMG} AS build
ARG GO
ARG BARE
ARG NOT_GLOBAL
ARG LOCAL=l
ENV E1=x P=/a
ENV Q=$P/b R=${GO}-${LOCAL}
RUN build
FROM build AS child
RUN child
ENV Z=${E1}z
ARG LOCAL
FROM scratch
RUN scratch
"""


def _ins(doc: Dockerfile, args: str) -> Instruction:
    (ins,) = [i for i in doc.instructions if i.args == args and i.keyword != "FROM"]
    return ins


def _values(doc: Dockerfile, args: str) -> dict[str, str | None]:
    return {k: v.value for k, v in variables_at(doc, _ins(doc, args)).items()}


def test_global_args_are_declared_before_the_first_from() -> None:
    doc = parse(SCOPED)
    assert [i.args for i in doc.global_args] == ["GO=1.22", "BARE", "IMG=golang:${GO}"]
    assert global_arg_defaults(doc) == {"GO": "1.22", "BARE": None, "IMG": "golang:1.22"}


def test_from_expands_global_args() -> None:
    doc = parse(SCOPED)
    assert [s.base_image for s in doc.stages] == ["golang:1.22", "build", "scratch"]
    assert doc.stages[0].image == "${IMG}"


def test_bare_arg_in_a_stage_takes_the_global_default() -> None:
    doc = parse(SCOPED)
    values = _values(doc, "build")
    assert values["GO"] == "1.22"
    assert values["BARE"] is None  # global without a default: given at build time
    assert values["NOT_GLOBAL"] is None
    assert values["LOCAL"] == "l"
    assert "IMG" not in values  # global ARGs are not in a stage unless redeclared


def test_env_is_expanded_with_what_came_before() -> None:
    doc = parse(SCOPED)
    values = _values(doc, "build")
    assert values["E1"] == "x"
    assert values["Q"] == "/a/b"
    assert values["R"] == "1.22-l"
    kinds = {k: v.kind for k, v in variables_at(doc, _ins(doc, "build")).items()}
    assert kinds == {
        "GO": "ARG",
        "BARE": "ARG",
        "NOT_GLOBAL": "ARG",
        "LOCAL": "ARG",
        "E1": "ENV",
        "P": "ENV",
        "Q": "ENV",
        "R": "ENV",
    }


def test_env_crosses_into_a_child_stage_and_arg_does_not() -> None:
    doc = parse(SCOPED)
    child = doc.stages[1]
    assert child.parent is doc.stages[0]
    values = _values(doc, "child")
    assert values == {"E1": "x", "P": "/a", "Q": "/a/b", "R": "1.22-l"}
    env = stage_env(doc, child)
    assert env["Z"].value == "xz"
    assert env["E1"].instruction.line == 9  # where it was set, in the parent stage
    # ARG LOCAL in the child has no global default and the parent's ARG does not cross.
    assert env["LOCAL"].value is None
    assert env["LOCAL"].kind == "ARG"


def test_a_stage_on_an_image_inherits_nothing() -> None:
    doc = parse(SCOPED)
    assert doc.stages[2].parent is None
    assert _values(doc, "scratch") == {}


def test_variables_before_the_first_from_are_empty() -> None:
    doc = parse("ARG A=1\nRUN x\nFROM a\n")
    assert variables_at(doc, doc.instructions[1]) == {}


def test_variables_at_excludes_the_instructions_own_declarations() -> None:
    doc = parse("FROM a\nENV A=1\nENV A=2 B=$A\nRUN x\n")
    assert _values(doc, "A=2 B=$A") == {"A": "1"}
    # Within one ENV, later pairs see earlier ones (BuildKit expands pair by pair).
    assert _values(doc, "x") == {"A": "2", "B": "2"}


def test_env_wins_over_a_later_bare_arg() -> None:
    doc = parse("ARG A=global\nFROM a\nENV A=env\nARG A\nRUN x\n")
    assert _values(doc, "x") == {"A": "env"}
    assert variables_at(doc, _ins(doc, "x"))["A"].kind == "ENV"


def test_arg_with_a_value_replaces_env() -> None:
    doc = parse("FROM a\nENV A=env\nARG A=arg\nRUN x\n")
    assert _values(doc, "x") == {"A": "arg"}


def test_legacy_env_and_bare_env() -> None:
    doc = parse("FROM a\nENV K some value\nENV J\nRUN x\n")
    assert _values(doc, "x") == {"K": "some value", "J": ""}


def test_stage_parent_through_a_global_arg() -> None:
    doc = parse("ARG BASE=build\nFROM golang AS build\nENV G=1\nFROM ${BASE}\nRUN x\n")
    assert doc.stages[1].parent is doc.stages[0]
    assert _values(doc, "x") == {"G": "1"}


def test_stage_names_are_case_insensitive_for_parents() -> None:
    doc = parse("FROM golang AS Build\nENV G=1\nFROM BUILD\nRUN x\n")
    assert doc.stages[0].name == "build"
    assert doc.stages[1].parent is doc.stages[0]
    assert _values(doc, "x") == {"G": "1"}


def test_env_chain_over_three_stages() -> None:
    text = "FROM a AS one\nENV A=1\nFROM one AS two\nENV B=$A$A\nFROM two\nRUN x\n"
    doc = parse(text)
    assert doc.stages[2].root() is doc.stages[0]
    assert _values(doc, "x") == {"A": "1", "B": "11"}


def test_a_stage_from_itself_is_not_its_own_parent() -> None:
    # ``FROM x AS x`` names an image ``x``: the stage is not defined yet.
    doc = parse("FROM x AS x\nENV A=1\nRUN y\n")
    assert doc.stages[0].parent is None
    assert _values(doc, "y") == {"A": "1"}


def test_backtick_escape_in_scope() -> None:
    doc = parse("# escape=`\nFROM a\nENV A=C:\\x B=`$A\nRUN x\n")
    assert _values(doc, "x") == {"A": "C:\\x", "B": "$A"}
