"""Tests for the syntax rules (GB002, GB004-GB009)."""

from __future__ import annotations

import pytest

from gobuildgui.core.dockerfile.rules.syntax import (
    edit_distance,
    empty_continuation_line,
    instruction_casing,
    invalid_flag,
    invalid_json_form,
    invalid_mount_option,
    is_close,
    legacy_key_value,
    suggest,
    unknown_instruction,
)
from gobuildgui.core.model import Applicability
from tests.unit.core.rules.conftest import FixRule, RunRule


def df(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("", "", 0),
        ("abc", "", 3),
        ("CPOY", "COPY", 1),
        ("RUNN", "RUN", 1),
        ("kitten", "sitting", 3),
        ("FOO", "FROM", 2),
        ("ca", "abc", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


@pytest.mark.parametrize(
    ("value", "match", "close"),
    [
        ("CPOY", "COPY", True),
        ("FOO", "FROM", False),
        ("ENTRYPIONTT", "ENTRYPOINT", True),
        ("plattform", "platform", True),
        ("ab", "abcd", False),
    ],
)
def test_is_close(value: str, match: str, close: bool) -> None:
    assert is_close(value, match) is close


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cpoy", "COPY"),
        ("ENTRYPOIN", "ENTRYPOINT"),
        ("CDM", "CMD"),
        ("XYZZY", None),
        ("RUN", None),
        ("run", "RUN"),
    ],
)
def test_suggest(value: str, expected: str | None) -> None:
    options = ["ADD", "CMD", "COPY", "ENTRYPOINT", "RUN"]
    assert suggest(value, options) == expected


# ---------------------------------------------------------------------------------
# GB002


@pytest.mark.parametrize(
    ("text", "line", "column", "end_column", "needle"),
    [
        pytest.param(df("FROM golang:1.24", "CPOY . ."), 2, 1, 5, "did you mean COPY?", id="typo"),
        pytest.param(
            df("FROM golang:1.24", "workdri /src"),
            2,
            1,
            8,
            "did you mean WORKDIR?",
            id="lowercase-typo",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN apt-get update", "    && apt-get install -y git"),
            3,
            5,
            7,
            "lacks a trailing",
            id="missing-continuation",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go mod download", "    go build ./..."),
            3,
            5,
            7,
            "lacks a trailing",
            id="indented-unknown-word",
        ),
        pytest.param(
            df("FROM golang:1.24", "XYZZY bar"),
            2,
            1,
            6,
            "unknown instruction: XYZZY",
            id="no-suggestion",
        ),
        pytest.param(
            df("FROM golang:1.24", "FOO bar"), 2, 1, 4, "did you mean FROM?", id="far-suggestion"
        ),
        pytest.param(
            df("FROM golang:1.24", "ONBUILD RUNN go build"),
            2,
            9,
            13,
            "did you mean RUN?",
            id="onbuild-trigger",
        ),
    ],
)
def test_gb002_fires(
    run_rule: RunRule, text: str, line: int, column: int, end_column: int, needle: str
) -> None:
    findings = run_rule(unknown_instruction, text)
    assert len(findings) == 1
    span = findings[0].span
    assert (span.line, span.column, span.end_column) == (line, column, end_column)
    assert needle in (findings[0].message or "")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df("FROM golang:1.24", "RUN apt-get update \\", "    && apt-get install -y git"),
            id="continued",
        ),
        pytest.param(df("from golang:1.24", "run go build ."), id="lowercase-known"),
        pytest.param(
            df("FROM golang:1.24", "RUN <<EOF", "set -e", "go build .", "EOF"), id="heredoc-body"
        ),
        pytest.param(df("# comment", "", "FROM golang:1.24"), id="comments-and-blanks"),
    ],
)
def test_gb002_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(unknown_instruction, text) == []


@pytest.mark.parametrize(
    ("text", "expected", "applicability"),
    [
        pytest.param(
            df("FROM golang:1.24", "CPOY . ."),
            df("FROM golang:1.24", "COPY . ."),
            Applicability.SAFE,
            id="keyword",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN apt-get update", "    && apt-get install -y git"),
            df("FROM golang:1.24", "RUN apt-get update \\", "    && apt-get install -y git"),
            Applicability.SAFE,
            id="operator-line",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go mod download", "    go build ./..."),
            df("FROM golang:1.24", "RUN go mod download \\", "    go build ./..."),
            Applicability.UNSAFE,
            id="indented-line",
        ),
        pytest.param(
            df("FROM x", "FOO bar"),
            df("FROM x", "FROM bar"),
            Applicability.UNSAFE,
            id="two-typos-in-a-short-word",
        ),
        pytest.param(
            df("FROM x", "ENV A=1", "    && B=2"),
            df("FROM x", "ENV A=1 \\", "    && B=2"),
            Applicability.UNSAFE,
            id="operator-after-non-run",
        ),
        pytest.param(
            "# escape=`\r\nFROM x\r\nRUN a\r\n  || b\r\n",
            "# escape=`\r\nFROM x\r\nRUN a `\r\n  || b\r\n",
            Applicability.SAFE,
            id="backtick-escape-crlf",
        ),
    ],
)
def test_gb002_fix(
    run_rule: RunRule, fix_rule: FixRule, text: str, expected: str, applicability: Applicability
) -> None:
    (finding,) = run_rule(unknown_instruction, text)
    assert finding.fix is not None
    assert finding.fix.applicability is applicability
    fixed, after = fix_rule(unknown_instruction, text)
    assert fixed == expected
    assert after == []


def test_gb002_no_fix_without_match(run_rule: RunRule) -> None:
    (finding,) = run_rule(unknown_instruction, df("FROM x", "XYZZY bar"))
    assert finding.fix is None


# ---------------------------------------------------------------------------------
# GB004


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        pytest.param(df("from golang:1.24", "RUN go build ."), [(1, 1, 5)], id="lowercase-from"),
        pytest.param(df("FROM golang:1.24", "Run go build ."), [(2, 1, 4)], id="mixed-case"),
        pytest.param(df("FROM golang:1.24 as build"), [(1, 18, 20)], id="lowercase-as"),
        pytest.param(
            df("FROM x", "onbuild run go build ."),
            [(2, 1, 8), (2, 9, 12)],
            id="onbuild-and-trigger",
        ),
    ],
)
def test_gb004_fires(run_rule: RunRule, text: str, spans: list[tuple[int, int, int]]) -> None:
    found = [
        (f.span.line, f.span.column, f.span.end_column) for f in run_rule(instruction_casing, text)
    ]
    assert found == spans


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(df("FROM golang:1.24 AS build", "RUN go build ."), id="upper"),
        pytest.param(df("FROM x", "CPOY . ."), id="unknown-is-gb002"),
        pytest.param(df("FROM x", "RUN echo run"), id="arguments-untouched"),
    ],
)
def test_gb004_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(instruction_casing, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            df("from golang:1.24 as build"),
            df("FROM golang:1.24 AS build"),
            id="from-and-as-together",
        ),
        pytest.param(
            df("FROM golang:1.24 As build"), df("FROM golang:1.24 AS build"), id="as-only"
        ),
        pytest.param(df("FROM x", "  copy . ."), df("FROM x", "  COPY . ."), id="indented"),
    ],
)
def test_gb004_fix(fix_rule: FixRule, text: str, expected: str) -> None:
    fixed, after = fix_rule(instruction_casing, text)
    assert fixed == expected
    assert after == []


# ---------------------------------------------------------------------------------
# GB005


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        pytest.param(df("FROM x", "RUN a && \\", "", "    b"), 3, "line 3", id="one"),
        pytest.param(
            df("FROM x", "RUN a && \\", "  ", "    b \\", "", "    c"), 3, "lines 3, 5", id="two"
        ),
        pytest.param(
            df("FROM x", "RUN a && \\", "", "# comment", "    b"), 3, "line 3", id="with-comment"
        ),
    ],
)
def test_gb005_fires(run_rule: RunRule, text: str, line: int, needle: str) -> None:
    findings = run_rule(empty_continuation_line, text)
    assert len(findings) == 1
    assert findings[0].span.line == line
    assert needle in (findings[0].message or "")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(df("FROM x", "RUN a && \\", "    b"), id="continued"),
        pytest.param(df("FROM x", "RUN a", "", "RUN b"), id="blank-between-instructions"),
        pytest.param(df("FROM x", "RUN <<EOF", "a", "", "b", "EOF"), id="blank-in-heredoc"),
    ],
)
def test_gb005_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(empty_continuation_line, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            df("FROM x", "RUN a && \\", "  ", "    b \\", "", "    c"),
            df("FROM x", "RUN a && \\", "    b \\", "    c"),
            id="lf",
        ),
        pytest.param(
            "FROM x\r\nRUN a && \\\r\n\r\n    b\r\n",
            "FROM x\r\nRUN a && \\\r\n    b\r\n",
            id="crlf",
        ),
    ],
)
def test_gb005_fix(fix_rule: FixRule, text: str, expected: str) -> None:
    fixed, after = fix_rule(empty_continuation_line, text)
    assert fixed == expected
    assert after == []


# ---------------------------------------------------------------------------------
# GB006


@pytest.mark.parametrize(
    ("text", "line", "column", "needle"),
    [
        pytest.param(
            df("FROM x", "CMD ['/app', 'serve']"), 2, 5, "single quotes", id="single-quotes"
        ),
        pytest.param(
            df("FROM x", 'ENTRYPOINT ["/app" "serve"]'), 2, 12, "delimiter", id="missing-comma"
        ),
        pytest.param(df("FROM x", 'CMD ["/app", ]'), 2, 5, "expecting value", id="trailing-comma"),
        pytest.param(df("FROM x", "SHELL ['/bin/bash', '-c']"), 2, 7, "build fails", id="shell"),
        pytest.param(
            df("FROM x", "RUN --network=none ['go', 'build']"),
            2,
            20,
            "single quotes",
            id="after-flags",
        ),
        pytest.param(
            df("FROM x", "CMD [ '/app' ]"), 2, 5, "single quotes", id="spaced-single-item"
        ),
    ],
)
def test_gb006_fires(run_rule: RunRule, text: str, line: int, column: int, needle: str) -> None:
    findings = run_rule(invalid_json_form, text)
    assert len(findings) == 1
    assert (findings[0].span.line, findings[0].span.column) == (line, column)
    assert needle in (findings[0].message or "")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(df("FROM x", 'CMD ["/app", "serve"]'), id="valid-json"),
        pytest.param(df("FROM x", "RUN [ -f go.sum ] && go mod download"), id="shell-test"),
        pytest.param(
            df("FROM x", 'RUN [ "$CGO_ENABLED" = "0" ] || exit 1'), id="quoted-shell-test"
        ),
        pytest.param(df("FROM x", "CMD /app serve"), id="shell-form"),
        pytest.param(df("FROM x", "ENV A=['x']"), id="not-a-json-instruction"),
    ],
)
def test_gb006_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(invalid_json_form, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            df("FROM x", "CMD ['/app', 'serve']"),
            df("FROM x", 'CMD ["/app", "serve"]'),
            id="one-line",
        ),
        pytest.param(
            df("FROM x", "ENTRYPOINT ['/app', \\", "    'serve']"),
            df("FROM x", 'ENTRYPOINT ["/app", \\', '    "serve"]'),
            id="continued",
        ),
    ],
)
def test_gb006_fix(fix_rule: FixRule, text: str, expected: str) -> None:
    fixed, after = fix_rule(invalid_json_form, text)
    assert fixed == expected
    assert after == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(df("FROM x", "CMD ['say \"hi\"']"), id="double-quote-inside"),
        pytest.param(df("FROM x", "CMD ['a', ]"), id="not-only-quotes"),
        pytest.param(df("FROM x", "CMD ['C:\\\\app']"), id="backslash"),
    ],
)
def test_gb006_no_fix(run_rule: RunRule, text: str) -> None:
    (finding,) = run_rule(invalid_json_form, text)
    assert finding.fix is None


# ---------------------------------------------------------------------------------
# GB007


@pytest.mark.parametrize(
    ("text", "line", "column", "end_column", "needle"),
    [
        pytest.param(
            df("FROM x", "COPY --form=build /a /b"),
            2,
            6,
            12,
            "did you mean --from?",
            id="copy-typo",
        ),
        pytest.param(
            df("FROM x", "RUN --mout=type=cache,target=/go/pkg/mod go build"),
            2,
            5,
            11,
            "did you mean --mount?",
            id="run-typo",
        ),
        pytest.param(
            df("FROM --plattform=linux/amd64 x"),
            1,
            6,
            17,
            "did you mean --platform?",
            id="from-typo",
        ),
        pytest.param(
            df("FROM x", "COPY --from build /a /b"),
            2,
            6,
            12,
            "needs a value",
            id="value-after-space",
        ),
        pytest.param(
            df("FROM x", "COPY --link=yes . ."), 2, 13, 16, "true or false", id="bool-value"
        ),
        pytest.param(
            df("FROM x", "RUN --network=nonee go build"),
            2,
            15,
            20,
            "default, none, host",
            id="network-value",
        ),
        pytest.param(df("FROM x", "ENV --foo=1 A=b"), 2, 5, 10, "takes no flags", id="env"),
        pytest.param(df("FROM x", "CMD --help"), 2, 5, 11, "unknown flag: --help", id="cmd"),
        pytest.param(df("FROM x", "ARG --x Y"), 2, 5, 8, "silently ignores", id="arg"),
        pytest.param(
            df("FROM x", "COPY --chmod=755 --parent . ."),
            2,
            18,
            26,
            "did you mean --parents?",
            id="second-flag",
        ),
        pytest.param(
            df("FROM x", "HEALTHCHECK --intervall=5s CMD true"),
            2,
            13,
            24,
            "did you mean --interval?",
            id="healthcheck",
        ),
        pytest.param(
            df("FROM x", "COPY --FROM=build /a /b"),
            2,
            6,
            12,
            "did you mean --from?",
            id="upper-case-flag",
        ),
        pytest.param(
            df("FROM x", "ADD --verbose x /"), 2, 5, 14, "it takes --chown", id="no-close-match"
        ),
    ],
)
def test_gb007_fires(
    run_rule: RunRule, text: str, line: int, column: int, end_column: int, needle: str
) -> None:
    findings = run_rule(invalid_flag, text)
    assert len(findings) == 1
    span = findings[0].span
    assert (span.line, span.column, span.end_column) == (line, column, end_column)
    assert needle in (findings[0].message or "")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df(
                "FROM --platform=$BUILDPLATFORM golang:1.24 AS b",
                "RUN --mount=type=cache,target=/go/pkg/mod --network=none go build",
                "COPY --from=b --chown=1000:1000 --chmod=755 --link /a /b",
                "COPY --parents --exclude=*.md --exclude=*.txt . /src",
                "ADD --checksum=sha256:00 --keep-git-dir=true --unpack=false x /",
                "HEALTHCHECK --interval=5s --timeout=3s --start-period=1s"
                " --start-interval=1s --retries=3 CMD true",
                "RUN --security=insecure --network=$NET true",
            ),
            id="all-known",
        ),
        pytest.param(df("FROM x", "HEALTHCHECK --nonsense NONE"), id="healthcheck-none"),
        pytest.param(df("FROM x", "RUN go build -- --not-a-flag"), id="not-leading"),
        pytest.param(df("FROM x", "CPOY --form=a . ."), id="unknown-instruction"),
    ],
)
def test_gb007_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(invalid_flag, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            df("FROM x", "COPY --form=build /a /b"),
            df("FROM x", "COPY --from=build /a /b"),
            id="copy",
        ),
        pytest.param(
            df("FROM x", "RUN --mout=type=cache,target=/c \\", "    go build"),
            df("FROM x", "RUN --mount=type=cache,target=/c \\", "    go build"),
            id="run",
        ),
        pytest.param(
            df("FROM x", "COPY --FROM=b /a /b"), df("FROM x", "COPY --from=b /a /b"), id="case"
        ),
    ],
)
def test_gb007_fix(fix_rule: FixRule, text: str, expected: str) -> None:
    fixed, after = fix_rule(invalid_flag, text)
    assert fixed == expected
    assert after == []


# ---------------------------------------------------------------------------------
# GB008


def run_mount(value: str) -> str:
    return df("FROM golang:1.24", f"RUN --mount={value} go mod download")


@pytest.mark.parametrize(
    ("value", "start", "end", "needle"),
    [
        pytest.param("type=cache,taget=/go/pkg/mod", 11, 28, "did you mean target?", id="key-typo"),
        pytest.param("type=secrets,id=x", 0, 12, "did you mean secret?", id="type-typo"),
        pytest.param("type=volume,target=/x", 0, 11, "unsupported mount type", id="unknown-type"),
        pytest.param("required,type=secret,id=x", 0, 8, "put type= before it", id="required-first"),
        pytest.param(
            "type=cache,target=/x,required=true",
            21,
            34,
            "only secret and ssh",
            id="required-on-cache",
        ),
        pytest.param("type=cache,target=/x,size=1g", 21, 28, "only tmpfs", id="size-on-cache"),
        pytest.param(
            "type=tmpfs,target=/x,size=lots", 21, 30, "invalid value for size", id="bad-size"
        ),
        pytest.param(
            "type=cache,target=/x,sharing=exclusive",
            21,
            38,
            "unsupported sharing",
            id="bad-sharing",
        ),
        pytest.param("type=secret,id=x,mode=0999", 17, 26, "octal", id="bad-mode"),
        pytest.param("type=cache,target=/x,uid=root", 21, 29, "use a number", id="bad-uid"),
        pytest.param(
            "type=bind,target=/x,uid=1000", 20, 28, "not allowed for bind", id="uid-on-bind"
        ),
        pytest.param("type=bind,target=/x,ro=maybe", 20, 28, "true or false", id="bad-bool"),
        pytest.param("type=secret,env=TOKEN", -1, -1, "needs id=", id="secret-without-id"),
        pytest.param("type=secret,id=x,from=build", 17, 27, "cannot have from", id="secret-from"),
        pytest.param(
            "type=secret,id=x,source=/run/x",
            17,
            30,
            "both source= and id=",
            id="secret-source-and-id",
        ),
        pytest.param(
            "type=bind,target=/x,sharing=locked",
            20,
            34,
            "only for cache mounts",
            id="sharing-on-bind",
        ),
        pytest.param("type=cache,target", 11, 17, "needs a value", id="key-without-value"),
    ],
)
def test_gb008_fires(run_rule: RunRule, value: str, start: int, end: int, needle: str) -> None:
    findings = run_rule(invalid_mount_option, run_mount(value))
    assert len(findings) == 1
    span = findings[0].span
    base = len("RUN --mount=") + 1  # column of the first option
    if start < 0:  # the whole flag
        start, end = -len("--mount="), len(value)
    assert (span.line, span.column, span.end_column) == (2, base + start, base + end)
    assert needle in (findings[0].message or "")


@pytest.mark.parametrize(
    "value",
    [
        "type=cache,target=/go/pkg/mod",
        "type=cache,id=gomod,target=/go/pkg/mod,sharing=locked,uid=0,gid=0,mode=0755",
        "target=/src,source=.,rw",
        "type=bind,from=build,source=/out,target=/out,readonly=true",
        "type=secret,id=netrc,target=/root/.netrc,required=true,mode=0400",
        "type=secret,id=gh,env=GH_TOKEN,required",
        "type=ssh,required=false",
        "type=tmpfs,target=/tmp,size=64m",
        "TYPE=CACHE,TARGET=/x",
        "type=$MOUNT_TYPE,target=/x,size=1g",
        'type=cache,"target=/go/pkg/mod"',
    ],
)
def test_gb008_silent(run_rule: RunRule, value: str) -> None:
    assert run_rule(invalid_mount_option, run_mount(value)) == []


def test_gb008_silent_without_value(run_rule: RunRule) -> None:
    assert run_rule(invalid_mount_option, df("FROM x", "RUN --mount go build")) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("type=cache,taget=/go/pkg/mod", "type=cache,target=/go/pkg/mod", id="key"),
        pytest.param("type=secrets,id=x", "type=secret,id=x", id="type"),
        pytest.param("type=cahce,target=/x", "type=cache,target=/x", id="type-transposed"),
    ],
)
def test_gb008_fix(fix_rule: FixRule, value: str, expected: str) -> None:
    fixed, after = fix_rule(invalid_mount_option, run_mount(value))
    assert fixed == run_mount(expected)
    assert after == []


# ---------------------------------------------------------------------------------
# GB009


@pytest.mark.parametrize(
    ("text", "line", "column", "end_column"),
    [
        pytest.param(
            df("FROM x", "ENV GOPROXY https://proxy.golang.org,direct"), 2, 5, 44, id="env"
        ),
        pytest.param(df("FROM x", "LABEL maintainer me@example.com"), 2, 7, 32, id="label"),
        pytest.param(
            df("FROM x", "ENV GOFLAGS -mod=mod -buildvcs=false"), 2, 5, 37, id="value-with-space"
        ),
    ],
)
def test_gb009_fires(run_rule: RunRule, text: str, line: int, column: int, end_column: int) -> None:
    findings = run_rule(legacy_key_value, text)
    assert len(findings) == 1
    span = findings[0].span
    assert (span.line, span.column, span.end_column) == (line, column, end_column)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(df("FROM x", "ENV GOPROXY=https://proxy.golang.org,direct"), id="new-form"),
        pytest.param(df("FROM x", "ARG GOPROXY"), id="bare-arg"),
        pytest.param(df("FROM x", "ENV A=1 B=2"), id="several"),
        pytest.param(df("FROM x", 'LABEL "a b"="c"'), id="quoted-key"),
    ],
)
def test_gb009_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(legacy_key_value, text) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "ENV GOPROXY https://proxy.golang.org,direct",
            "ENV GOPROXY=https://proxy.golang.org,direct",
            id="plain",
        ),
        pytest.param(
            "ENV GOFLAGS -mod=mod -buildvcs=false",
            'ENV GOFLAGS="-mod=mod -buildvcs=false"',
            id="spaces-quoted",
        ),
        pytest.param('ENV MSG "hello world"', 'ENV MSG="hello world"', id="already-quoted"),
        pytest.param("ENV PATH /go/bin:$PATH", "ENV PATH=/go/bin:$PATH", id="variable"),
        pytest.param("LABEL a  b", "LABEL a=b", id="label"),
        pytest.param("ENV A $X and ${Y}", 'ENV A="$X and ${Y}"', id="variables-with-blanks"),
    ],
)
def test_gb009_fix(fix_rule: FixRule, line: str, expected: str) -> None:
    fixed, after = fix_rule(legacy_key_value, df("FROM x", line))
    assert fixed == df("FROM x", expected)
    assert after == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(df("FROM x", "ENV A it's here"), id="unbalanced-quote"),
        pytest.param(df("FROM x", "ENV A one \\", "  two"), id="continued"),
    ],
)
def test_gb009_no_fix(run_rule: RunRule, text: str) -> None:
    (finding,) = run_rule(legacy_key_value, text)
    assert finding.fix is None
