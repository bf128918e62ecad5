"""Tests for the build-context and frontend rules (GB150-GB153)."""

from __future__ import annotations

import pytest

from gobuildgui.core.dockerfile.rules.buildcontext import (
    buildkit_feature_without_syntax,
    dockerignore_excludes_go_files,
    no_dockerignore,
    pinned_syntax,
    syntax_too_old,
)
from gobuildgui.core.model import Applicability
from tests.unit.core.rules.conftest import FixRule, RunRule


def df(*lines: str) -> str:
    return "\n".join(lines) + "\n"


GO_FILES = {"go.mod": "module example.com/app\n\ngo 1.24\n", "go.sum": ""}

# ---------------------------------------------------------------------------------
# GB150


@pytest.mark.parametrize(
    ("text", "line", "column", "end_column"),
    [
        pytest.param(df("FROM golang:1.24", "COPY . .", "RUN go build ."), 2, 6, 7, id="copy-dot"),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod ./", "ADD ./ /src/"), 3, 5, 7, id="add-dot-slash"
        ),
        pytest.param(df("FROM golang:1.24", 'COPY ["./", "/src"]'), 2, 7, 11, id="json-form"),
        pytest.param(
            df("FROM golang:1.24", "RUN --mount=type=bind,target=/src go build ."),
            2,
            5,
            34,
            id="bind-mount-of-context",
        ),
        pytest.param(df("FROM golang:1.24", "COPY * ./"), 2, 6, 7, id="star"),
    ],
)
def test_gb150_fires(run_rule: RunRule, text: str, line: int, column: int, end_column: int) -> None:
    findings = run_rule(no_dockerignore, text, {"go.mod": "module x\n"})
    assert len(findings) == 1
    span = findings[0].span
    assert (span.line, span.column, span.end_column) == (line, column, end_column)


def test_gb150_reports_once_with_a_suggestion(run_rule: RunRule) -> None:
    findings = run_rule(no_dockerignore, df("FROM golang:1.24", "COPY . .", "COPY . /b"), {})
    assert len(findings) == 1
    finding = findings[0]
    assert finding.fix is not None
    assert " .git " in finding.fix.title
    assert "vendor" not in finding.fix.title
    assert finding.fix.applicability is Applicability.DISPLAY_ONLY
    assert finding.fix.edits == ()


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(df("FROM golang:1.24", "COPY . ."), None, id="folder-unknown"),
        pytest.param(
            df("FROM golang:1.24", "COPY . ."), {".dockerignore": ".git\n"}, id="has-dockerignore"
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod go.sum ./", "COPY cmd/ ./cmd/"),
            {},
            id="named-paths-only",
        ),
        pytest.param(
            df("FROM golang:1.24 AS b", "FROM scratch", "COPY --from=b . ."),
            {},
            id="copy-from-stage",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --mount=type=bind,from=b,target=/src go build ."),
            {},
            id="bind-mount-of-stage",
        ),
    ],
)
def test_gb150_silent(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(no_dockerignore, text, files) == []


# ---------------------------------------------------------------------------------
# GB151


@pytest.mark.parametrize(
    ("text", "ignore", "extra", "line", "column", "end_column", "target"),
    [
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod go.sum ./", "RUN go mod download"),
            "*.sum\n",
            {},
            2,
            13,
            19,
            "go.sum",
            id="named-go-sum",
        ),
        pytest.param(
            df("FROM golang:1.24", 'COPY ["go.mod", "go.sum", "./"]'),
            "**/go.mod\n",
            {},
            2,
            7,
            15,
            "go.mod",
            id="named-go-mod-json-form",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go build ."),
            "go.sum\n",
            {},
            2,
            6,
            7,
            "go.sum",
            id="broad-copy-then-build",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.* ./", "RUN go mod download"),
            "go.sum\n",
            {},
            2,
            6,
            10,
            "go.sum",
            id="glob-skips-excluded-file",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go build ."),
            "vendor\n",
            {"vendor/modules.txt": "# x\n"},
            2,
            6,
            7,
            "vendor/",
            id="vendor-present",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go build -mod=vendor ."),
            "vendor/\n",
            {},
            2,
            6,
            7,
            "vendor/",
            id="mod-vendor-flag",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "ENV GOFLAGS=-mod=vendor",
                "COPY vendor/ vendor/",
                "RUN go build .",
            ),
            "vendor\n",
            {},
            3,
            6,
            13,
            "vendor/",
            id="named-vendor-goflags",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN --mount=type=bind,source=go.sum,target=go.sum go mod download",
            ),
            "go.sum\n",
            {},
            2,
            23,
            36,
            "go.sum",
            id="bind-mount-source",
        ),
    ],
)
def test_gb151_fires(
    run_rule: RunRule,
    text: str,
    ignore: str,
    extra: dict[str, str],
    line: int,
    column: int,
    end_column: int,
    target: str,
) -> None:
    files = {**GO_FILES, ".dockerignore": ignore, **extra}
    findings = run_rule(dockerignore_excludes_go_files, text, files)
    assert len(findings) == 1
    span = findings[0].span
    assert (span.line, span.column, span.end_column) == (line, column, end_column)
    assert f"excludes {target}" in (findings[0].message or "")
    assert findings[0].notes
    assert ignore.strip() in findings[0].notes[0]


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod go.sum ./"),
            {**GO_FILES, ".dockerignore": "*.sum\n!go.sum\n"},
            id="re-included",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod go.sum ./"),
            {**GO_FILES, ".dockerignore": ".git\nbin/\n"},
            id="unrelated-patterns",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . ."),
            {**GO_FILES, ".dockerignore": "go.sum\n"},
            id="broad-copy-no-go-command",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go build ."),
            {"go.mod": "module x\n", ".dockerignore": "go.sum\n"},
            id="no-go-sum-in-project",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go build ."),
            {**GO_FILES, ".dockerignore": "vendor\n"},
            id="vendor-not-used",
        ),
        pytest.param(df("FROM golang:1.24", "COPY go.mod go.sum ./"), None, id="folder-unknown"),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod go.sum ./"), GO_FILES, id="no-dockerignore"
        ),
        pytest.param(
            df("FROM golang:1.24 AS b", "FROM scratch", "COPY --from=b /src/go.sum /"),
            {**GO_FILES, ".dockerignore": "go.sum\n"},
            id="copy-from-stage",
        ),
    ],
)
def test_gb151_silent(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(dockerignore_excludes_go_files, text, files) == []


def test_gb151_named_copy_message_quotes_buildkit_error(run_rule: RunRule) -> None:
    files = {**GO_FILES, ".dockerignore": "*.sum\n"}
    (finding,) = run_rule(dockerignore_excludes_go_files, df("FROM x", "COPY go.sum ./"), files)
    assert '"/go.sum": not found' in (finding.message or "")
    assert "`!go.sum`" in (finding.message or "")


# ---------------------------------------------------------------------------------
# GB152


@pytest.mark.parametrize(
    ("text", "line", "column", "end_column", "label"),
    [
        pytest.param(
            df("FROM golang:1.24", "RUN --mount=type=cache,target=/go/pkg/mod go mod download"),
            2,
            5,
            42,
            "RUN --mount",
            id="mount",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN <<EOF", "go mod download", "EOF"),
            2,
            5,
            10,
            "RUN heredoc",
            id="heredoc",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY --link go.mod ./"), 2, 6, 12, "COPY --link", id="copy-link"
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY --chmod=755 run.sh /"),
            2,
            6,
            17,
            "COPY --chmod",
            id="copy-chmod",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --network=none go build -mod=vendor ."),
            2,
            5,
            19,
            "RUN --network",
            id="network",
        ),
        pytest.param(
            df("FROM alpine", "ADD --checksum=sha256:abc https://x/y.tgz /"),
            2,
            5,
            26,
            "ADD --checksum",
            id="add-checksum",
        ),
        pytest.param(
            df("FROM alpine", "ONBUILD RUN --mount=type=ssh go mod download"),
            2,
            13,
            29,
            "RUN --mount",
            id="onbuild-trigger",
        ),
    ],
)
def test_gb152_fires(
    run_rule: RunRule, text: str, line: int, column: int, end_column: int, label: str
) -> None:
    findings = run_rule(buildkit_feature_without_syntax, text)
    assert len(findings) == 1
    span = findings[0].span
    assert (span.line, span.column, span.end_column) == (line, column, end_column)
    assert (findings[0].message or "").startswith(label)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df(
                "# syntax=docker/dockerfile:1",
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
            ),
            id="has-syntax",
        ),
        pytest.param(
            df(
                "# syntax=registry.corp/docker/dockerfile:1.4",
                "FROM golang:1.24",
                "RUN <<EOF",
                "go version",
                "EOF",
            ),
            id="mirrored-syntax",
        ),
        pytest.param(
            df(
                "FROM golang:1.24", "COPY --from=golang:1.24 --chown=1000 /go /go", "RUN go build ."
            ),
            id="classic-flags",
        ),
        pytest.param(df("FROM golang:1.24", "RUN echo '<<EOF'"), id="quoted-heredoc-lookalike"),
    ],
)
def test_gb152_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(buildkit_feature_without_syntax, text) == []


def test_gb152_one_finding_lists_other_uses(run_rule: RunRule) -> None:
    text = df(
        "FROM golang:1.24",
        "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
        "COPY --link . .",
        "RUN --mount=type=cache,target=/a --mount=type=cache,target=/b go build .",
    )
    (finding,) = run_rule(buildkit_feature_without_syntax, text)
    assert finding.notes == ("also line 3: COPY --link", "also line 4: RUN --mount")
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            df("FROM golang:1.24", "RUN --mount=type=cache,target=/go/pkg/mod go mod download"),
            df(
                "# syntax=docker/dockerfile:1",
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
            ),
            id="insert-first-line",
        ),
        pytest.param(
            "\ufeff# escape=`\r\nFROM golang:1.24\r\nCOPY --link . .\r\n",
            "\ufeff# syntax=docker/dockerfile:1\r\n# escape=`\r\nFROM golang:1.24\r\n"
            "COPY --link . .\r\n",
            id="after-bom-before-other-directive-crlf",
        ),
        pytest.param(
            df("# My app", "# syntax=docker/dockerfile:1.7", "FROM golang:1.24", "COPY --link . ."),
            df("# syntax=docker/dockerfile:1.7", "# My app", "FROM golang:1.24", "COPY --link . ."),
            id="moves-misplaced-directive",
        ),
    ],
)
def test_gb152_fix(fix_rule: FixRule, text: str, expected: str) -> None:
    fixed, after = fix_rule(buildkit_feature_without_syntax, text)
    assert fixed == expected
    assert after == []


def test_gb152_notes_misplaced_directive(run_rule: RunRule) -> None:
    text = df("FROM golang:1.24", "# syntax=docker/dockerfile:1", "COPY --link . .")
    (finding,) = run_rule(buildkit_feature_without_syntax, text)
    assert "is not a parser directive" in finding.notes[0]


# ---------------------------------------------------------------------------------
# GB153


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("docker/dockerfile:1.7", (1, 7)),
        ("docker/dockerfile:1.7.1", (1, 7)),
        ("docker.io/docker/dockerfile:1.9", (1, 9)),
        ("docker/dockerfile-upstream:1.4", (1, 4)),
        ("mirror.corp:5000/docker/dockerfile:1.3@sha256:abcd", (1, 3)),
        ("docker/dockerfile:1", None),
        ("docker/dockerfile:1.7-labs", None),
        ("docker/dockerfile:labs", None),
        ("docker/dockerfile", None),
        ("example.com/my/frontend:1.2", None),
        ("", None),
    ],
)
def test_pinned_syntax(value: str, expected: tuple[int, int] | None) -> None:
    assert pinned_syntax(value) == expected


SECRET_ENV_RUN = "RUN --mount=type=secret,id=gh,env=GH_TOKEN go mod download"


@pytest.mark.parametrize(
    ("text", "line", "column", "end_column"),
    [
        pytest.param(
            df("# syntax=docker/dockerfile:1.7", "FROM golang:1.24", SECRET_ENV_RUN),
            3,
            31,
            43,
            id="secret-env-under-1.7",
        ),
        pytest.param(
            df(
                "# syntax=docker/dockerfile:1.3",
                "FROM golang:1.24",
                "RUN <<EOF",
                "go version",
                "EOF",
            ),
            3,
            5,
            10,
            id="heredoc-under-1.3",
        ),
        pytest.param(
            df("# syntax = docker/dockerfile:1.2.1", "FROM golang:1.24", "COPY --link . ."),
            3,
            6,
            12,
            id="link-under-1.2.1",
        ),
        pytest.param(
            df(
                "# syntax=docker/dockerfile:1.1",
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go/pkg/mod go build .",
            ),
            3,
            5,
            42,
            id="mount-under-1.1",
        ),
    ],
)
def test_gb153_fires(run_rule: RunRule, text: str, line: int, column: int, end_column: int) -> None:
    findings = run_rule(syntax_too_old, text)
    assert len(findings) == 1
    span = findings[0].span
    assert (span.line, span.column, span.end_column) == (line, column, end_column)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df("# syntax=docker/dockerfile:1", "FROM golang:1.24", SECRET_ENV_RUN), id="floating-1"
        ),
        pytest.param(
            df("# syntax=docker/dockerfile:1.10", "FROM golang:1.24", SECRET_ENV_RUN),
            id="exactly-1.10",
        ),
        pytest.param(
            df("# syntax=docker/dockerfile:1.7-labs", "FROM golang:1.24", SECRET_ENV_RUN),
            id="labs-channel",
        ),
        pytest.param(df("FROM golang:1.24", SECRET_ENV_RUN), id="no-directive"),
        pytest.param(
            df(
                "# syntax=docker/dockerfile:1.7",
                "FROM golang:1.24",
                "RUN --mount=type=secret,id=gh,target=/root/.netrc go mod download",
            ),
            id="secret-file-mount",
        ),
    ],
)
def test_gb153_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(syntax_too_old, text) == []


@pytest.mark.parametrize(
    ("text", "expected_directive"),
    [
        pytest.param(
            df("# syntax=docker/dockerfile:1.7", "FROM golang:1.24", SECRET_ENV_RUN),
            "# syntax=docker/dockerfile:1.10",
            id="to-1.10",
        ),
        pytest.param(
            df(
                "# syntax=docker/dockerfile:1.3.1",
                "FROM golang:1.24",
                "COPY --link . .",
                SECRET_ENV_RUN,
            ),
            "# syntax=docker/dockerfile:1.10",
            id="highest-needed",
        ),
        pytest.param(
            df("#syntax=docker.io/docker/dockerfile:1.2", "FROM golang:1.24", "COPY --link . ."),
            "#syntax=docker.io/docker/dockerfile:1.4",
            id="keeps-registry-and-spacing",
        ),
    ],
)
def test_gb153_fix(fix_rule: FixRule, text: str, expected_directive: str) -> None:
    fixed, after = fix_rule(syntax_too_old, text)
    _first, _, rest = text.partition("\n")
    assert fixed == expected_directive + "\n" + rest
    assert after == []


def test_gb153_no_fix_for_digest(run_rule: RunRule) -> None:
    text = df("# syntax=docker/dockerfile:1.7@sha256:0123", "FROM golang:1.24", SECRET_ENV_RUN)
    (finding,) = run_rule(syntax_too_old, text)
    assert finding.fix is None
    assert "re-pin the digest" in (finding.message or "")


def test_gb153_fix_is_safe_and_notes_others(run_rule: RunRule) -> None:
    text = df(
        "# syntax=docker/dockerfile:1.3", "FROM golang:1.24", "COPY --link . .", SECRET_ENV_RUN
    )
    (finding,) = run_rule(syntax_too_old, text)
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE
    assert finding.notes == ("also line 4: secret mount env= needs 1.10",)
