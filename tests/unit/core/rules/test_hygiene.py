"""Tests for the general build-hygiene rules (hadolint-compatible DL codes and GB160)."""

from __future__ import annotations

import pytest

from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.rule import DOC_HEADINGS, Rule
from gobuildgui.core.dockerfile.rules import hygiene as h
from gobuildgui.core.model import Applicability
from tests.unit.core.rules.conftest import FixRule, RunRule

GO_MOD = {
    "go.mod": "module github.com/acme/app\n\ngo 1.24.2\n\nrequire golang.org/x/tools v0.30.0\n"
}

Case = tuple[str, list[tuple[int, int]]]


def positions(
    run_rule: RunRule, rule: Rule, text: str, files: dict[str, str] | None = None
) -> list[tuple[int, int]]:
    return [(f.span.line, f.span.column) for f in run_rule(rule, text, files)]


def check_table(run_rule: RunRule, rule: Rule, text: str, expected: list[tuple[int, int]]) -> None:
    assert positions(run_rule, rule, text) == expected


# ---------------------------------------------------------------------------------
# Module-level properties


def test_rules_are_unique_and_documented() -> None:
    codes = [r.code for r in h.RULES]
    names = [r.name for r in h.RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for r in h.RULES:
        assert r.category == "hygiene"
        for heading in DOC_HEADINGS:
            assert heading in r.doc, (r.code, heading)
        assert "## References" in r.doc, r.code
        if r.fix is not None:
            assert "## Fix safety" in r.doc, r.code


def test_hadolint_codes_for_hadolint_rules() -> None:
    by_code = {r.code: r.name for r in h.RULES}
    expected = {
        "DL3000", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3009", "DL3011",
        "DL3012", "DL3014", "DL3015", "DL3019", "DL3020", "DL3022", "DL3023", "DL3024",
        "DL3025", "DL3027", "DL3029", "DL3045", "DL3061", "DL3062", "DL3067", "DL4000",
        "DL4003", "DL4004", "DL4006", "GB160",
    }  # fmt: skip
    assert set(by_code) == expected


# ---------------------------------------------------------------------------------
# The shell lexer


@pytest.mark.parametrize(
    ("script", "names"),
    [
        ("a && b || c; d | e & f", ["a", "b", "c", "d", "e", "f"]),
        ("echo 'x && y' \"a;b\" && z", ["echo", "z"]),
        ("echo $(a; b) `c | d` && e", ["echo", "e"]),
        ("X=1 Y='a b' apt-get install", ["apt-get"]),
        ("if true; then cd /x; fi", ["true", "cd"]),
        ("a > /dev/null 2>&1 && b < in", ["a", "b"]),
        ("(cd /x && make) && echo", ["cd", "make", "echo"]),
        ("echo a # comment && not", ["echo"]),
        ("{ a; b; }", ["a", "b"]),
        ("cat <<EOF > f && b", ["cat", "b"]),
    ],
)
def test_lexer_commands(script: str, names: list[str]) -> None:
    doc = parse(f"FROM alpine:3\nRUN {script}\n")
    cmds = list(h._commands(doc.instructions[1]))
    assert [c.name for c in cmds] == names


def test_lexer_subshell_and_pipes() -> None:
    doc = parse("FROM alpine:3\nRUN (cd /x) && a | b\n")
    cmds = list(h._commands(doc.instructions[1]))
    assert [(c.name, c.subshell, c.pipe_out is not None) for c in cmds] == [
        ("cd", True, False),
        ("a", False, True),
        ("b", False, False),
    ]


def test_lexer_skips_nested_heredoc_bodies_and_data_heredocs() -> None:
    text = (
        "FROM alpine:3\n"
        "RUN <<EOF\n"
        "cat <<INNER > /etc/conf\n"
        "cd /not-a-command\n"
        "INNER\n"
        "apk add git\n"
        "EOF\n"
        "RUN cat <<DATA > /x\n"
        "cd /data\n"
        "DATA\n"
    )
    doc = parse(text)
    assert [c.name for c in h._commands(doc.instructions[1])] == ["cat", "apk"]
    assert [c.name for c in h._commands(doc.instructions[2])] == ["cat"]


def test_lexer_unwraps_sudo_and_env() -> None:
    doc = parse("FROM alpine:3\nRUN sudo -E env -i A=1 apt-get install x\n")
    (cmd,) = h._commands(doc.instructions[1])
    assert cmd.name == "sudo"
    assert cmd.unwrapped().name == "apt-get"


# ---------------------------------------------------------------------------------
# Base images

DL3006_CASES: list[Case] = [
    ("FROM golang\n", [(1, 6)]),
    ("FROM golang AS build\nFROM build\n", [(1, 6)]),
    ("ARG BASE=golang\nFROM ${BASE}\n", [(2, 6)]),
    ("FROM --platform=$BUILDPLATFORM alpine AS x\n", [(1, 32)]),
    ("FROM localhost:5000/app\n", [(1, 6)]),
    # near misses
    ("FROM golang:1.24\n", []),
    ("FROM scratch\n", []),
    ("FROM golang@sha256:0123abcd\n", []),
    ("ARG BASE\nFROM $BASE\n", []),
    ("ARG V\nFROM golang:$V\n", []),
    ("ARG V=\nFROM golang:$V\n", []),
    ("FROM golang:1.24 AS b\nFROM B\n", []),
    ("ARG BASE=golang:1.24\nFROM ${BASE}\n", []),
    ("FROM localhost:5000/app:1.0\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3006_CASES)
def test_dl3006_untagged(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.untagged_base_image, text, expected)


def test_dl3006_message_names_arg_default(run_rule: RunRule) -> None:
    (f,) = run_rule(h.untagged_base_image, "ARG BASE=golang\nFROM ${BASE}\n")
    assert f.message is not None
    assert "'${BASE}' defaults to 'golang'" in f.message
    assert f.fix is None  # no go.mod known


def test_dl3006_display_fix_from_go_mod(fix_rule: FixRule, run_rule: RunRule) -> None:
    (f,) = run_rule(h.untagged_base_image, "FROM golang AS b\n", GO_MOD)
    assert f.fix is not None
    assert f.fix.applicability is Applicability.DISPLAY_ONLY
    fixed, after = fix_rule(h.untagged_base_image, "FROM golang AS b\n", GO_MOD)
    assert fixed == "FROM golang:1.24 AS b\n"
    assert after == []


DL3007_CASES: list[Case] = [
    ("FROM golang:latest\n", [(1, 13)]),
    ("FROM registry:5000/golang:latest AS b\n", [(1, 27)]),
    ("ARG BASE=alpine:latest\nFROM $BASE\n", [(2, 6)]),
    ("FROM golang:1.24\n", []),
    ("FROM golang:latest@sha256:0123abcd\n", []),
    ("FROM golang:latest-alpine\n", []),
    ("FROM golang\n", []),  # DL3006's business
]


@pytest.mark.parametrize(("text", "expected"), DL3007_CASES)
def test_dl3007_latest(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.latest_base_image, text, expected)


def test_dl3007_fix_only_with_go_mod(fix_rule: FixRule, run_rule: RunRule) -> None:
    (f,) = run_rule(h.latest_base_image, "FROM golang:latest\n")
    assert f.fix is None
    fixed, after = fix_rule(h.latest_base_image, "FROM golang:latest AS b\n", GO_MOD)
    assert fixed == "FROM golang:1.24 AS b\n"
    assert after == []


DL3029_CASES: list[Case] = [
    ("FROM --platform=linux/amd64 golang:1.24\n", [(1, 17)]),
    ("ARG P=linux/arm64\nFROM --platform=$P alpine:3.20\n", [(2, 17)]),
    ("FROM --platform=$BUILDPLATFORM golang:1.24\n", []),
    ("FROM --platform=${TARGETPLATFORM} alpine:3\n", []),
    ("FROM --platform=$TARGETOS/$TARGETARCH alpine:3\n", []),
    ("FROM golang:1.24\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3029_CASES)
def test_dl3029_platform(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.from_platform_constant, text, expected)


def test_dl3029_message_shows_expanded_value(run_rule: RunRule) -> None:
    (f,) = run_rule(h.from_platform_constant, "ARG P=linux/arm64\nFROM --platform=$P alpine\n")
    assert f.message is not None
    assert "'$P' (= 'linux/arm64')" in f.message


# ---------------------------------------------------------------------------------
# Stages and COPY --from

DL3024_CASES: list[Case] = [
    ("FROM a:1 AS build\nFROM b:1 AS build\n", [(2, 13)]),
    ("FROM a:1 AS Build\nFROM b:1 as build\nFROM c:1 AS build\n", [(2, 13), (3, 13)]),
    ("FROM a:1 AS build\nFROM b:1 AS runtime\n", []),
    ("FROM a:1\nFROM a:1\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3024_CASES)
def test_dl3024_duplicate(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.duplicate_stage_name, text, expected)


_TWO = "FROM golang:1.24 AS builder\nFROM scratch\n"
DL3022_CASES: list[Case] = [
    (_TWO + "COPY --from=biulder /a /a\n", [(3, 13)]),
    ("FROM alpine:3 AS a\nCOPY --from=b /x /x\nFROM alpine:3 AS b\n", [(2, 13)]),
    ("FROM alpine:3 AS a\nCOPY --from=1 /x /x\nFROM alpine:3\n", [(2, 13)]),
    ("FROM alpine:3\nFROM alpine:3\nCOPY --from=5 /x /x\n", [(3, 13)]),
    ("ARG S=a\nFROM alpine:3 AS a\nFROM alpine:3\nCOPY --from=$S /x /x\n", [(4, 13)]),
    # near misses
    (_TWO + "COPY --from=builder /a /a\n", []),
    (_TWO + "COPY --from=BUILDER /a /a\n", []),
    (_TWO + 'COPY --from="builder" /a /a\n', []),
    (_TWO + "COPY --from=0 /a /a\n", []),
    (_TWO + "COPY --from=golang:1.24 /usr/local/go /go\n", []),
    (_TWO + "COPY --from=ghcr.io/acme/tools /bin/t /t\n", []),
    (_TWO + "COPY --from=nginx /etc/nginx /x\n", []),  # an image or a named context
]


@pytest.mark.parametrize(("text", "expected"), DL3022_CASES)
def test_dl3022_unknown(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.copy_from_unknown_stage, text, expected)


def test_dl3022_suggests_the_stage(run_rule: RunRule) -> None:
    (f,) = run_rule(h.copy_from_unknown_stage, _TWO + "COPY --from=biulder /a /a\n")
    assert f.message is not None
    assert "did you mean --from=builder?" in f.message


DL3023_CASES: list[Case] = [
    ("FROM golang:1.24 AS build\nCOPY --from=build /a /b\n", [(2, 13)]),
    ("FROM golang:1.24 AS Build\nCOPY --from=BUILD /a /b\n", [(2, 13)]),
    ("FROM alpine:3\nFROM alpine:3\nCOPY --from=1 /a /b\n", [(3, 13)]),
    ("FROM golang:1.24 AS build\nFROM alpine:3\nCOPY --from=build /a /b\n", []),
    ("FROM alpine:3\nFROM alpine:3\nCOPY --from=0 /a /b\n", []),
    ("FROM alpine:3\nCOPY /a /b\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3023_CASES)
def test_dl3023_own_stage(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.copy_from_own_stage, text, expected)


_BUILD = "FROM golang:1.24 AS build\nFROM alpine:3\n"
DL3067_CASES: list[Case] = [
    (_BUILD + "COPY --from=build / /\n", [(3, 19)]),
    (_BUILD + "COPY --from=build / /rootfs/\n", [(3, 19)]),
    (_BUILD + 'COPY --from=build "/" /\n', [(3, 19)]),
    ("FROM alpine:3\nCOPY --from=busybox:1.36 / /\n", [(2, 26)]),
    # near misses
    ("FROM scratch AS out\nFROM alpine:3\nCOPY --from=out / /\n", []),
    (_BUILD + "COPY --from=build /out/app /app\n", []),
    ("FROM alpine:3\nCOPY / /x\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3067_CASES)
def test_dl3067_whole_fs(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.copy_entire_filesystem, text, expected)


DL3061_CASES: list[Case] = [
    ("RUN echo\nFROM alpine:3\n", [(1, 1)]),
    ("# syntax=docker/dockerfile:1\nARG X=1\nENV A=b\nFROM alpine:3\n", [(3, 1)]),
    ("LABEL a=b\nEXPOSE 80\n", [(1, 1), (2, 1)]),
    ("ARG V=1\nFROM alpine:$V\nRUN x\n", []),
    ("# comment\n\nFROM alpine:3\nLABEL a=b\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3061_CASES)
def test_dl3061_order(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.instruction_before_from, text, expected)


# ---------------------------------------------------------------------------------
# USER

DL3002_CASES: list[Case] = [
    ("FROM alpine:3\nUSER root\n", [(2, 6)]),
    ("FROM alpine:3\nUSER 0:0\n", [(2, 6)]),
    ("FROM alpine:3 AS base\nUSER root\nFROM base\nRUN x\n", [(2, 6)]),
    ("FROM alpine:3\nARG U=root\nUSER $U\n", [(3, 6)]),
    # near misses: builder stages, a later non-root USER, unknown values
    ("FROM golang:1.24 AS b\nUSER root\nFROM alpine:3\nUSER app\n", []),
    ("FROM golang:1.24 AS b\nUSER root\nFROM alpine:3\n", []),
    ("FROM alpine:3\nUSER root\nRUN x\nUSER app\n", []),
    ("FROM alpine:3\nUSER rooty\n", []),
    ("FROM alpine:3\nUSER $U\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3002_CASES)
def test_dl3002_root(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.final_user_root, text, expected)


GB160_CASES: list[Case] = [
    ("FROM alpine:3.20\nCOPY a /a\n", [(1, 6)]),
    ("FROM golang:1.24 AS b\nUSER app\nFROM scratch\nCOPY --from=b /a /a\n", [(3, 6)]),
    ("FROM gcr.io/distroless/static-debian12\nCOPY app /app\n", [(1, 6)]),
    ("FROM alpine:3 AS base\nRUN x\nFROM base\n", [(3, 6)]),
    # near misses
    ("FROM scratch\n", []),  # nothing added yet
    ("FROM alpine:3 AS a\nFROM a\n", []),
    ("FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n", []),
    ("FROM gcr.io/distroless/base-debian12:debug-nonroot\nCOPY app /app\n", []),
    ("FROM cgr.dev/chainguard/static\nCOPY app /app\n", []),
    ("FROM alpine:3\nUSER app\n", []),
    ("FROM alpine:3 AS base\nUSER 1000\nFROM base\n", []),
    ("ARG RUNTIME\nFROM $RUNTIME\nCOPY app /app\n", []),
    ("FROM alpine:3\nUSER root\n", []),  # DL3002's business
]


@pytest.mark.parametrize(("text", "expected"), GB160_CASES)
def test_gb160_no_user(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.final_stage_without_user, text, expected)


def test_gb160_scratch_message(run_rule: RunRule) -> None:
    (f,) = run_rule(h.final_stage_without_user, "FROM scratch\nCOPY a /a\n")
    assert f.message is not None
    assert "scratch has no /etc/passwd" in f.message


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            'FROM scratch\nCOPY a /a\nENTRYPOINT ["/a"]\n',
            'FROM scratch\nCOPY a /a\nENTRYPOINT ["/a"]\nUSER 65532:65532\n',
        ),
        ("FROM scratch\r\nCOPY a /a\r\n", "FROM scratch\r\nCOPY a /a\r\nUSER 65532:65532\r\n"),
        ("FROM scratch\nCOPY a /a", "FROM scratch\nCOPY a /a\nUSER 65532:65532"),
        ("from scratch\n  copy a /a\n", "from scratch\n  copy a /a\n  user 65532:65532\n"),
        (
            "FROM alpine:3\nRUN <<EOF\necho\nEOF\n",
            "FROM alpine:3\nRUN <<EOF\necho\nEOF\nUSER 65532:65532\n",
        ),
    ],
)
def test_gb160_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(h.final_stage_without_user, text)
    assert result == fixed
    assert after == []


def test_gb160_no_fix_after_open_continuation(run_rule: RunRule) -> None:
    (f,) = run_rule(h.final_stage_without_user, "FROM scratch\nCOPY a /a \\")
    assert f.fix is None


# ---------------------------------------------------------------------------------
# Single instructions

DL3000_CASES: list[Case] = [
    ("FROM alpine:3\nWORKDIR app\n", [(2, 9)]),
    ("FROM golang:1.24\nWORKDIR ./src\n", [(2, 9)]),
    ("FROM alpine:3\nARG D=app\nWORKDIR $D/x\n", [(3, 9)]),
    ("FROM alpine:3\nWORKDIR /app\n", []),
    ("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\app\n", []),
    ("FROM alpine:3\nWORKDIR $HOME/app\n", []),
    ("FROM alpine:3\nWORKDIR /app\nWORKDIR sub\n", []),
    ("FROM alpine:3 AS b\nWORKDIR /app\nFROM b\nWORKDIR sub\n", []),
    ("FROM alpine:3\nARG D=/srv\nWORKDIR $D\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3000_CASES)
def test_dl3000_relative(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.relative_workdir, text, expected)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("FROM alpine:3\nWORKDIR app\n", "FROM alpine:3\nWORKDIR /app\n"),
        ("FROM golang:1.24\nWORKDIR ./src\n", "FROM golang:1.24\nWORKDIR /go/src\n"),
        ('FROM alpine:3\r\nWORKDIR "my app"\r\n', 'FROM alpine:3\r\nWORKDIR "/my app"\r\n'),
    ],
)
def test_dl3000_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(h.relative_workdir, text)
    assert result == fixed
    assert after == []


DL3020_CASES: list[Case] = [
    ("FROM alpine:3\nADD conf.yml /etc/app/\n", [(2, 1)]),
    ("FROM alpine:3\nADD app.tar.gz conf.yml /app/\n", [(2, 1)]),
    ("FROM alpine:3\nONBUILD ADD . /src\n", [(2, 9)]),
    ('FROM alpine:3\nADD ["a b", "/x"]\n', [(2, 1)]),
    ("FROM alpine:3\nARG SRC=conf\nADD $SRC /x\n", [(3, 1)]),
    # near misses
    ("FROM alpine:3\nADD https://example.com/x.tgz /x\n", []),
    ("FROM alpine:3\nADD app.tar.gz /x\n", []),
    ("FROM alpine:3\nADD rootfs.tar.zst /\n", []),
    ("FROM alpine:3\nADD git@github.com:acme/lib.git /src\n", []),
    ("FROM alpine:3\nADD --checksum=sha256:abcd conf /x\n", []),
    ("FROM alpine:3\nADD $SRC /x\n", []),
    ("FROM alpine:3\nCOPY a /b\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3020_CASES)
def test_dl3020_add(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.add_for_local_files, text, expected)


@pytest.mark.parametrize(
    ("text", "fixed", "applicability"),
    [
        ("FROM alpine:3\nADD a /b\n", "FROM alpine:3\nCOPY a /b\n", Applicability.SAFE),
        ("from alpine:3\r\nadd a /b\r\n", "from alpine:3\r\ncopy a /b\r\n", Applicability.SAFE),
        ("FROM alpine:3\nADD *.yml /x/\n", "FROM alpine:3\nCOPY *.yml /x/\n", Applicability.UNSAFE),
    ],
)
def test_dl3020_fix(
    fix_rule: FixRule,
    run_rule: RunRule,
    text: str,
    fixed: str,
    applicability: Applicability,
) -> None:
    (f,) = run_rule(h.add_for_local_files, text)
    assert f.fix is not None
    assert f.fix.applicability is applicability
    result, after = fix_rule(h.add_for_local_files, text)
    assert result == fixed
    assert after == []


def test_dl3020_no_fix_with_archive(run_rule: RunRule) -> None:
    (f,) = run_rule(h.add_for_local_files, "FROM alpine:3\nADD app.tar.gz conf.yml /app/\n")
    assert f.fix is None
    assert f.message is not None
    assert "'conf.yml'" in f.message


DL3025_CASES: list[Case] = [
    ("FROM alpine:3\nCMD /app --port 8080\n", [(2, 5)]),
    ('FROM alpine:3\nENTRYPOINT exec /app "$@"\n', [(2, 12)]),
    ("FROM alpine:3\nCMD ['/app', '-v']\n", []),  # GB006's business
    # near misses
    ('FROM alpine:3\nCMD ["/app"]\n', []),
    ('FROM alpine:3\nSHELL ["/bin/ash", "-c"]\nCMD echo $HOME\n', []),
    ('FROM alpine:3 AS b\nSHELL ["/bin/ash", "-c"]\nFROM b\nCMD echo $HOME\n', []),
    ("FROM alpine:3\nHEALTHCHECK CMD wget -q -O- localhost\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3025_CASES)
def test_dl3025_shell_form(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.shell_form_cmd, text, expected)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            "FROM alpine:3\nCMD /app --port 8080\n",
            'FROM alpine:3\nCMD ["/app", "--port", "8080"]\n',
        ),
        (
            "FROM alpine:3\nENTRYPOINT /app \\\n  --v\n",
            'FROM alpine:3\nENTRYPOINT ["/app", "--v"]\n',
        ),
        ("FROM alpine:3\r\nCMD /app \\\r\n  --v\r\n", 'FROM alpine:3\r\nCMD ["/app", "--v"]\r\n'),
    ],
)
def test_dl3025_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(h.shell_form_cmd, text)
    assert result == fixed
    assert after == []


@pytest.mark.parametrize(
    "args", ["exec /app", "/app $PORT", "/app > /log", "/app | tee", "A=1 /app", "/app *.txt"]
)
def test_dl3025_no_fix_with_shell_syntax(run_rule: RunRule, args: str) -> None:
    (f,) = run_rule(h.shell_form_cmd, f"FROM alpine:3\nCMD {args}\n")
    if args == "exec /app":
        assert f.fix is not None  # plain words: convertible
    else:
        assert f.fix is None


def test_dl3025_scratch_cannot_start(run_rule: RunRule) -> None:
    (f,) = run_rule(h.shell_form_cmd, "FROM scratch\nCMD /app\n")
    assert f.message is not None
    assert "has no /bin/sh" in f.message


DL4000_CASES: list[Case] = [
    ("FROM alpine:3\nMAINTAINER Jane Doe <jane@example.com>\n", [(2, 1)]),
    ("FROM alpine:3\nLABEL maintainer=jane\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL4000_CASES)
def test_dl4000_maintainer(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.maintainer_deprecated, text, expected)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            "FROM alpine:3\nMAINTAINER Jane Doe <jane@example.com>\n",
            'FROM alpine:3\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n',
        ),
        (
            'FROM alpine:3\r\nMAINTAINER a "b" $c\r\n',
            'FROM alpine:3\r\nLABEL org.opencontainers.image.authors="a \\"b\\" \\$c"\r\n',
        ),
    ],
)
def test_dl4000_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(h.maintainer_deprecated, text)
    assert result == fixed
    assert after == []


REPEATED_CASES: list[tuple[Rule, str, list[tuple[int, int]]]] = [
    (h.multiple_cmd, 'FROM alpine:3\nCMD ["a"]\nCMD ["b"]\n', [(3, 1)]),
    (h.multiple_cmd, "FROM alpine:3\nCMD a\nRUN x\nCMD b\nCMD c\n", [(4, 1), (5, 1)]),
    (h.multiple_cmd, "FROM alpine:3\nCMD a\nFROM alpine:3\nCMD b\n", []),
    (h.multiple_cmd, "FROM alpine:3\nCMD a\nENTRYPOINT b\n", []),
    (h.multiple_entrypoint, "FROM alpine:3\nENTRYPOINT a\nENTRYPOINT b\n", [(3, 1)]),
    (h.multiple_entrypoint, "FROM alpine:3\nENTRYPOINT a\nFROM alpine:3\nENTRYPOINT b\n", []),
    (h.multiple_healthcheck, "FROM alpine:3\nHEALTHCHECK NONE\nHEALTHCHECK CMD a\n", [(3, 1)]),
    (h.multiple_healthcheck, "FROM alpine:3\nHEALTHCHECK CMD a\n", []),
]


@pytest.mark.parametrize(("rule", "text", "expected"), REPEATED_CASES)
def test_repeated_instructions(
    run_rule: RunRule, rule: Rule, text: str, expected: list[tuple[int, int]]
) -> None:
    check_table(run_rule, rule, text, expected)


@pytest.mark.parametrize(
    ("rule", "text", "fixed"),
    [
        (h.multiple_cmd, 'FROM alpine:3\nCMD ["a"]\nCMD ["b"]\n', 'FROM alpine:3\nCMD ["b"]\n'),
        (
            h.multiple_cmd,
            'FROM alpine:3\r\nCMD a \\\r\n  b\r\nCMD ["c"]\r\n',
            'FROM alpine:3\r\nCMD ["c"]\r\n',
        ),
        (
            h.multiple_entrypoint,
            "FROM a:1\n  ENTRYPOINT a\n  ENTRYPOINT b",
            "FROM a:1\n  ENTRYPOINT b",
        ),
        (
            h.multiple_healthcheck,
            "FROM a:1\nHEALTHCHECK NONE\nHEALTHCHECK CMD x\n",
            "FROM a:1\nHEALTHCHECK CMD x\n",
        ),
    ],
)
def test_repeated_instructions_fix(fix_rule: FixRule, rule: Rule, text: str, fixed: str) -> None:
    result, after = fix_rule(rule, text)
    assert result == fixed
    assert after == []


DL3011_CASES: list[Case] = [
    ("FROM alpine:3\nEXPOSE 80 70000\n", [(2, 11)]),
    ("FROM alpine:3\nEXPOSE 8080:80\n", [(2, 8)]),
    ("FROM alpine:3\nEXPOSE 9000-8000\n", [(2, 8)]),
    ("FROM alpine:3\nEXPOSE 53/icmp\n", [(2, 8)]),
    ("FROM alpine:3\nEXPOSE http\n", [(2, 8)]),
    ("FROM alpine:3\nARG P=99999\nEXPOSE $P\n", [(3, 8)]),
    ("FROM alpine:3\nEXPOSE 80 443/tcp 53/udp 8000-8010/tcp 0 9/sctp 80/TCP\n", []),
    ("FROM alpine:3\nEXPOSE $PORT 80/\n", []),
    ("FROM alpine:3\nARG PORT=8080\nEXPOSE ${PORT}/tcp\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3011_CASES)
def test_dl3011_ports(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.invalid_expose_port, text, expected)


DL3045_CASES: list[Case] = [
    ("FROM alpine:3\nCOPY app /app/bin\nCOPY conf .\n", [(3, 11)]),
    ("FROM golang:1.24\nCOPY go.mod go.sum ./\n", [(2, 20)]),
    ("FROM alpine:3\nADD a b/\n", [(2, 7)]),
    ('FROM alpine:3\nCOPY ["a", "b"]\n', [(2, 6)]),
    ("FROM alpine:3\nCOPY <<EOF app.conf\nx\nEOF\n", [(2, 12)]),
    # near misses
    ("FROM alpine:3\nWORKDIR /src\nCOPY . .\n", []),
    ("FROM alpine:3\nCOPY . /src/\n", []),
    ("FROM alpine:3 AS b\nWORKDIR /src\nFROM b\nCOPY . .\n", []),
    ("FROM alpine:3\nCOPY . $DEST\n", []),
    ("FROM alpine:3\nARG DEST=/srv\nCOPY . $DEST\n", []),
    ("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY a C:\\app\\\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3045_CASES)
def test_dl3045_relative_dest(
    run_rule: RunRule, text: str, expected: list[tuple[int, int]]
) -> None:
    check_table(run_rule, h.copy_relative_destination, text, expected)


def test_dl3045_golang_message(run_rule: RunRule) -> None:
    (f,) = run_rule(h.copy_relative_destination, "FROM golang:1.24\nCOPY . .\n")
    assert f.message is not None
    assert "/go in golang images" in f.message


# ---------------------------------------------------------------------------------
# RUN

DL3003_CASES: list[Case] = [
    ("FROM alpine:3\nRUN cd /src && make\n", [(2, 5)]),
    ("FROM alpine:3\nRUN make && cd /x\n", [(2, 13)]),
    ("FROM alpine:3\nRUN <<EOF\nset -e\ncd /src\nEOF\n", [(4, 1)]),
    ("FROM alpine:3\nONBUILD RUN cd /x\n", [(2, 13)]),
    ("FROM alpine:3\nRUN make \\\n && cd /x\n", [(3, 5)]),
    # near misses
    ("FROM alpine:3\nRUN (cd /tmp && make)\n", []),
    ("FROM alpine:3\nRUN echo cd /x\n", []),
    ("FROM alpine:3\nRUN echo 'a && cd x'\n", []),
    ("FROM alpine:3\nRUN make -C /x\n", []),
    ("FROM alpine:3\nRUN abcd /x\n", []),
    ("FROM alpine:3\nRUN cat <<EOF > /x\ncd /y\nEOF\n", []),
    ("FROM alpine:3\nRUN python3 <<EOF\ncd /y\nEOF\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3003_CASES)
def test_dl3003_cd(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.cd_in_run, text, expected)


DL3004_CASES: list[Case] = [
    ("FROM alpine:3\nRUN sudo apk add x\n", [(2, 5)]),
    ("FROM alpine:3\nUSER app\nRUN sudo make install\n", [(3, 5)]),
    ("FROM alpine:3\nRUN echo x && sudo -u app make\n", [(2, 15)]),
    ("FROM alpine:3\nRUN echo sudo\n", []),
    ("FROM alpine:3\nRUN apk add sudo\n", []),
    ("FROM alpine:3\nRUN visudo -c\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3004_CASES)
def test_dl3004_sudo(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.sudo_in_run, text, expected)


def test_dl3004_fix_only_when_root(fix_rule: FixRule, run_rule: RunRule) -> None:
    fixed, after = fix_rule(h.sudo_in_run, "FROM alpine:3\nRUN sudo apk add x\n")
    assert fixed == "FROM alpine:3\nRUN apk add x\n"
    assert after == []
    (as_app,) = run_rule(h.sudo_in_run, "FROM alpine:3\nUSER app\nRUN sudo make install\n")
    assert as_app.fix is None
    (with_opts,) = run_rule(h.sudo_in_run, "FROM alpine:3\nRUN sudo -u app make\n")
    assert with_opts.fix is None


DL4006_CASES: list[Case] = [
    ("FROM debian:12\nRUN curl -fsSL https://x | sh\n", [(2, 5)]),
    ("FROM debian:12\nRUN <<EOF\ncurl x | sh\nEOF\n", [(3, 1)]),
    ('FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN a | b\n', [(3, 5)]),
    ("FROM debian:12\nRUN a | b; set -o pipefail\n", [(2, 5)]),
    ("FROM debian:12\nRUN echo ok && a |& b\n", [(2, 16)]),
    # near misses
    ("FROM debian:12\nRUN a || b\n", []),
    ("FROM debian:12\nRUN echo 'a | b'\n", []),
    ('FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n', []),
    ('FROM debian:12\nSHELL ["/bin/bash", "-euxo", "pipefail", "-c"]\nRUN a | b\n', []),
    ('FROM debian:12 AS b\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM b\nRUN a | b\n', []),
    ("FROM debian:12\nRUN set -o pipefail && a | b\n", []),
    ("FROM debian:12\nRUN <<EOF bash\nset -euo pipefail\na | b\nEOF\n", []),
    ('FROM mcr.microsoft.com/powershell\nSHELL ["pwsh", "-Command"]\nRUN a | b\n', []),
    ('FROM debian:12\nRUN ["sh", "-c", "a | b"]\n', []),
]


@pytest.mark.parametrize(("text", "expected"), DL4006_CASES)
def test_dl4006_pipefail(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.pipe_without_pipefail, text, expected)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            "FROM debian:12\nRUN curl -fsSL https://x | sh\n",
            'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
            "RUN curl -fsSL https://x | sh\n",
        ),
        (
            "FROM alpine:3.20\nRUN wget -qO- x | tar -x\n",
            'FROM alpine:3.20\nSHELL ["/bin/ash", "-o", "pipefail", "-c"]\n'
            "RUN wget -qO- x | tar -x\n",
        ),
        (
            "FROM debian:12\r\n  RUN a | b\r\n",
            'FROM debian:12\r\n  SHELL ["/bin/bash", "-o", "pipefail", "-c"]\r\n  RUN a | b\r\n',
        ),
    ],
)
def test_dl4006_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(h.pipe_without_pipefail, text)
    assert result == fixed
    assert after == []


def test_dl4006_span_covers_the_pipeline(run_rule: RunRule) -> None:
    text = "FROM debian:12\nRUN x && curl -fsSL https://x | sh -s -- -y\n"
    (f,) = run_rule(h.pipe_without_pipefail, text)
    assert text[f.span.start : f.span.end] == "curl -fsSL https://x | sh -s -- -y"


DL3009_CASES: list[Case] = [
    ("FROM debian:12\nRUN apt-get update && apt-get install -y x\n", [(2, 5)]),
    ("FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN x\n", [(2, 5)]),
    (
        "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n",
        [(2, 46)],
    ),
    ("FROM debian:12\nRUN apt update\n", [(2, 5)]),
    ("FROM debian:12\nRUN <<EOF\nset -e\napt-get update\nEOF\n", [(4, 1)]),
    # near misses
    (
        "FROM debian:12\n"
        "RUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
        [],
    ),
    ("FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists\n", []),
    ("FROM debian:12\nRUN apt-get update && apt-get distclean\n", []),
    ("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n", []),
    ("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/ apt-get update\n", []),
    ("FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update\n", []),
    (
        "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\n"
        "FROM scratch\nCOPY --from=build /x /x\n",
        [],
    ),
    ("FROM debian:12\nRUN apt-get install -y x\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3009_CASES)
def test_dl3009_apt_lists(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.apt_lists_not_removed, text, expected)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            "FROM debian:12\nRUN apt-get update && apt-get install -y x\n",
            "FROM debian:12\nRUN apt-get update && apt-get install -y x"
            " && rm -rf /var/lib/apt/lists/*\n",
        ),
        (
            "FROM debian:12\nRUN apt-get update;\n",
            "FROM debian:12\nRUN apt-get update; rm -rf /var/lib/apt/lists/*\n",
        ),
        (
            "FROM debian:12\r\nRUN apt-get update \\\r\n && apt-get install -y x  \r\n",
            "FROM debian:12\r\nRUN apt-get update \\\r\n && apt-get install -y x"
            " && rm -rf /var/lib/apt/lists/*  \r\n",
        ),
    ],
)
def test_dl3009_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(h.apt_lists_not_removed, text)
    assert result == fixed
    assert after == []


def test_dl3009_no_fix_for_heredoc_or_comment(run_rule: RunRule) -> None:
    (f,) = run_rule(h.apt_lists_not_removed, "FROM debian:12\nRUN <<EOF\napt-get update\nEOF\n")
    assert f.fix is None


DL3014_CASES: list[Case] = [
    ("FROM debian:12\nRUN apt-get install git\n", [(2, 5)]),
    ("FROM debian:12\nRUN apt-get -q install git\n", [(2, 5)]),
    ("FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive apt-get install git\n", [(2, 36)]),
    ("FROM debian:12\nRUN sudo apt-get install x\n", [(2, 10)]),
    ('FROM debian:12\nRUN ["apt-get", "install", "foo"]\n', [(2, 5)]),
    ("FROM debian:12\nRUN apt-get update && apt-get install --force-yes x\n", [(2, 23)]),
    # near misses
    ("FROM debian:12\nRUN apt-get install -y git\n", []),
    ("FROM debian:12\nRUN apt-get -y install git\n", []),
    ("FROM debian:12\nRUN apt-get install --yes git\n", []),
    ("FROM debian:12\nRUN apt-get install --assume-yes git\n", []),
    ("FROM debian:12\nRUN apt-get install -qq git\n", []),
    ("FROM debian:12\nRUN apt-get -q install -q git\n", []),
    ("FROM debian:12\nRUN apt-get -yq install git\n", []),
    ("FROM debian:12\nRUN apt-get -o APT::Get::Assume-Yes=true install git\n", []),
    (
        "FROM debian:12\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90y\n"
        "RUN apt-get install git\n",
        [],
    ),
    ("FROM debian:12\nRUN apt-get -t bookworm-backports install -y x\n", []),
    ("FROM debian:12\nRUN apt-get update\n", []),
    ("FROM debian:12\nRUN apt install x\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3014_CASES)
def test_dl3014_yes(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.apt_get_install_without_yes, text, expected)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            "FROM debian:12\nRUN apt-get install git\n",
            "FROM debian:12\nRUN apt-get install -y git\n",
        ),
        (
            "FROM debian:12\r\nRUN apt-get update \\\r\n    && apt-get install git\r\n",
            "FROM debian:12\r\nRUN apt-get update \\\r\n    && apt-get install -y git\r\n",
        ),
    ],
)
def test_dl3014_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(h.apt_get_install_without_yes, text)
    assert result == fixed
    assert after == []


def test_dl3014_no_fix_for_exec_form(run_rule: RunRule) -> None:
    (f,) = run_rule(h.apt_get_install_without_yes, 'FROM d:1\nRUN ["apt-get", "install", "x"]\n')
    assert f.fix is None


DL3015_CASES: list[Case] = [
    ("FROM debian:12\nRUN apt-get install -y git\n", [(2, 5)]),
    (
        # an earlier --no-install-recommends flag does not configure apt
        "FROM debian:12\nRUN apt-get install -y --no-install-recommends a\n"
        "RUN apt-get install -y b\n",
        [(3, 5)],
    ),
    ("FROM debian:12\nRUN apt-get install -y --no-install-recommends git\n", []),
    ("FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false git\n", []),
    (
        "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/01norec\n"
        "RUN apt-get install -y git\n",
        [],
    ),
    ("FROM debian:12\nRUN apt-get update\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3015_CASES)
def test_dl3015_recommends(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.apt_get_install_recommends, text, expected)


def test_dl3015_fix(fix_rule: FixRule) -> None:
    result, after = fix_rule(h.apt_get_install_recommends, "FROM d:1\nRUN apt-get install -y git\n")
    assert result == "FROM d:1\nRUN apt-get install --no-install-recommends -y git\n"
    assert after == []


DL3027_CASES: list[Case] = [
    ("FROM debian:12\nRUN apt update && apt install -y x\n", [(2, 5), (2, 19)]),
    ("FROM debian:12\nRUN apt search foo\n", [(2, 5)]),
    ("FROM debian:12\nRUN apt list --installed\n", [(2, 5)]),
    ("FROM debian:12\nRUN apt-get update\n", []),
    ("FROM debian:12\nRUN apt-cache search x\n", []),
    ("FROM debian:12\nRUN echo apt\n", []),
    ("FROM debian:12\nRUN aptitude update\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3027_CASES)
def test_dl3027_apt(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.apt_instead_of_apt_get, text, expected)


@pytest.mark.parametrize(
    ("text", "index", "fixed"),
    [
        (
            "FROM d:1\nRUN apt update && apt install -y x\n",
            1,
            "FROM d:1\nRUN apt update && apt-get install -y x\n",
        ),
        ("FROM d:1\nRUN apt search foo\n", 0, "FROM d:1\nRUN apt-cache search foo\n"),
        ("FROM d:1\nRUN /usr/bin/apt update\n", 0, "FROM d:1\nRUN /usr/bin/apt-get update\n"),
    ],
)
def test_dl3027_fix(fix_rule: FixRule, text: str, index: int, fixed: str) -> None:
    result, after = fix_rule(h.apt_instead_of_apt_get, text, index=index)
    assert result == fixed
    assert len(after) == text.count("apt ") - 1


def test_dl3027_no_fix_for_apt_only_subcommands(run_rule: RunRule) -> None:
    (f,) = run_rule(h.apt_instead_of_apt_get, "FROM d:1\nRUN apt list --installed\n")
    assert f.fix is None


DL3019_CASES: list[Case] = [
    ("FROM alpine:3\nRUN apk add git\n", [(2, 5)]),
    ("FROM alpine:3\nRUN apk -U add git\n", [(2, 5)]),
    ("FROM alpine:3\nRUN apk update && apk add --virtual .d git\n", [(2, 19)]),
    ("FROM alpine:3\nRUN --mount=type=cache,target=/var/cache/apt apk add git\n", [(2, 46)]),
    # near misses
    ("FROM alpine:3\nRUN apk add --no-cache git\n", []),
    ("FROM alpine:3\nRUN apk --no-cache add git\n", []),
    ("FROM alpine:3\nRUN --mount=type=cache,target=/var/cache/apk apk add git\n", []),
    ("FROM alpine:3\nRUN --mount=type=cache,target=/etc/apk/cache apk add git\n", []),
    ("FROM alpine:3\nRUN apk add git && rm -rf /var/cache/apk/*\n", []),
    ("FROM alpine:3\nRUN apk del git\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3019_CASES)
def test_dl3019_apk(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.apk_add_without_no_cache, text, expected)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("FROM alpine:3\nRUN apk add git\n", "FROM alpine:3\nRUN apk add --no-cache git\n"),
        (
            "FROM alpine:3\r\nRUN apk update \\\r\n && apk add git\r\n",
            "FROM alpine:3\r\nRUN apk update \\\r\n && apk add --no-cache git\r\n",
        ),
    ],
)
def test_dl3019_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(h.apk_add_without_no_cache, text)
    assert result == fixed
    assert after == []


DL3062_CASES: list[Case] = [
    ("FROM golang:1.24\nRUN go install golang.org/x/tools/cmd/goimports\n", [(2, 16)]),
    ("FROM golang:1.24\nRUN go install golang.org/x/tools/cmd/goimports@latest\n", [(2, 16)]),
    ("FROM golang:1.24\nRUN go get github.com/a/b\n", [(2, 12)]),
    ("FROM golang:1.24\nRUN go run github.com/a/b/cmd/x@master -v\n", [(2, 12)]),
    (
        "FROM golang:1.24\nRUN CGO_ENABLED=0 go install -ldflags '-s -w' example.com/tool\n",
        [(2, 47)],
    ),
    (
        "FROM golang:1.24\nRUN go install ./cmd/x example.com/t && go get x.io/y\n",
        [(2, 24), (2, 48)],
    ),
    ('FROM golang:1.24\nRUN ["go", "install", "example.com/tool"]\n', [(2, 5)]),
    # near misses
    ("FROM golang:1.24\nRUN go install golang.org/x/tools/cmd/goimports@v0.30.0\n", []),
    ("FROM golang:1.24\nRUN go install ./cmd/x\n", []),
    ("FROM golang:1.24\nRUN go install .\n", []),
    ("FROM golang:1.24\nRUN go install\n", []),
    ("FROM golang:1.24\nRUN go run main.go\n", []),
    ("FROM golang:1.24\nRUN go run . -v\n", []),
    ("FROM golang:1.24\nRUN go install fmt\n", []),
    ("FROM golang:1.24\nARG V\nRUN go install example.com/tool@$V\n", []),
    ("FROM golang:1.24\nRUN go get example.com/x@none\n", []),
    ("FROM golang:1.24\nRUN go build -o /app example.com/cmd\n", []),
    ("FROM golang:1.24\nRUN go install -modfile=tools/go.mod example.com/tool\n", []),
    ("FROM golang:1.24\nRUN echo go install example.com/tool\n", []),
]


@pytest.mark.parametrize(("text", "expected"), DL3062_CASES)
def test_dl3062_unpinned(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    check_table(run_rule, h.go_install_unpinned, text, expected)


@pytest.mark.parametrize(
    ("command", "fires"),
    [
        ("go install github.com/acme/app/cmd/server", False),  # the main module
        ("go install golang.org/x/tools/cmd/stringer", False),  # required by go.mod
        ("go run golang.org/x/tools/cmd/stringer -type X", False),
        ("go get golang.org/x/tools", True),  # go get upgrades regardless
        ("go install honnef.co/go/tools/cmd/staticcheck", True),  # not in go.mod
    ],
)
def test_dl3062_versions_from_go_mod(run_rule: RunRule, command: str, fires: bool) -> None:
    found = run_rule(h.go_install_unpinned, f"FROM golang:1.24\nRUN {command}\n", GO_MOD)
    assert bool(found) is fires


def test_dl3062_message(run_rule: RunRule) -> None:
    (f,) = run_rule(
        h.go_install_unpinned, "FROM golang:1.24\nRUN go install example.com/t@latest\n"
    )
    assert f.message is not None
    assert "@latest resolves to whatever is newest" in f.message
    assert "example.com/t@vX.Y.Z" in f.message


# ---------------------------------------------------------------------------------
# Audit additions: near misses (and one more firing case) for the rules with the
# thinnest tables.

NEAR_MISS_CASES = [
    pytest.param(h.duplicate_stage_name, "FROM a:1 AS build\nFROM build AS build2\n", [],
                 id="DL3024-stage-built-from-a-stage"),
    pytest.param(h.copy_from_own_stage,
                 "FROM golang:1.24 AS build\nFROM build AS b2\nCOPY --from=build /a /b\n", [],
                 id="DL3023-copy-from-the-parent-stage"),
    pytest.param(h.instruction_before_from, "ARG A=1\nARG B\nFROM alpine:3\n", [],
                 id="DL3061-only-args"),
    pytest.param(h.instruction_before_from, "run echo\nFROM alpine:3\n", [(1, 1)],
                 id="DL3061-lower-case-keyword"),
    pytest.param(h.maintainer_deprecated, "FROM alpine:3\nmaintainer jane\n", [(2, 1)],
                 id="DL4000-lower-case-keyword"),
    pytest.param(h.maintainer_deprecated, "FROM alpine:3\nRUN echo MAINTAINER jane\n", [],
                 id="DL4000-word-in-a-command"),
    pytest.param(h.multiple_cmd, "FROM alpine:3\nCMD a\nONBUILD CMD b\n", [],
                 id="DL4003-onbuild-trigger"),
    pytest.param(h.multiple_healthcheck,
                 "FROM alpine:3\nHEALTHCHECK CMD a\nONBUILD HEALTHCHECK CMD b\n", [],
                 id="DL3012-onbuild-trigger"),
    pytest.param(h.multiple_entrypoint,
                 'FROM alpine:3 AS base\nENTRYPOINT ["x"]\nFROM base\nENTRYPOINT ["y"]\n', [],
                 id="DL4004-stage-built-from-a-stage"),
    pytest.param(h.multiple_healthcheck,
                 "FROM alpine:3 AS base\nHEALTHCHECK CMD a\nFROM base\nHEALTHCHECK CMD b\n", [],
                 id="DL3012-stage-built-from-a-stage"),
    pytest.param(h.copy_entire_filesystem, _BUILD + "COPY --from=build /out/ /\n", [],
                 id="DL3067-a-folder-into-root"),
    pytest.param(h.copy_entire_filesystem, _BUILD + "COPY --from=build /. /\n", [(3, 19)],
                 id="DL3067-root-spelled-with-dot"),
    pytest.param(h.sudo_in_run, "FROM debian:12\nRUN apt-get install -y sudo\n", [],
                 id="DL3004-installing-sudo"),
    pytest.param(h.sudo_in_run, "FROM debian:12\nRUN echo sudo && pseudo-tool run\n", [],
                 id="DL3004-word-in-arguments"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "text", "expected"), NEAR_MISS_CASES)
def test_near_misses(
    run_rule: RunRule, rule: Rule, text: str, expected: list[tuple[int, int]]
) -> None:
    check_table(run_rule, rule, text, expected)
