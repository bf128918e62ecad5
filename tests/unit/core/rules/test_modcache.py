"""Tests for the module and build cache rules (GB101-GB106)."""

from __future__ import annotations

import pytest

from gobuildgui.core.dockerfile.rule import Finding
from gobuildgui.core.dockerfile.rules.modcache import (
    cache_mount_missing_later,
    cache_mount_wrong_target,
    download_after_copy_all,
    go_mod_without_go_sum,
    go_step_without_cache_mount,
    goflags_mod_mod,
)
from gobuildgui.core.model import Applicability
from tests.unit.core.rules.conftest import FixRule, RunRule


def df(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def one(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0]


def where(finding: Finding) -> tuple[int, int, int]:
    return finding.span.line, finding.span.column, finding.span.end_column


GO_MOD = "module example.com/app\n\ngo 1.24\n\nrequire github.com/pkg/errors v0.9.1\n"
PROJECT = {"go.mod": GO_MOD, "go.sum": "github.com/pkg/errors v0.9.1 h1:x=\n"}
NO_SUM = {"go.mod": GO_MOD}
NO_DEPS = {"go.mod": "module example.com/app\n\ngo 1.24\n"}
VENDORED = {**PROJECT, "vendor/modules.txt": "# github.com/pkg/errors v0.9.1\n"}

# ---------------------------------------------------------------------------------
# GB101


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            df("FROM golang:1.24", "WORKDIR /src", "COPY . .", "RUN go build -o /app ./cmd/app"),
            (4, 5, 31),
            id="copy-dot",
        ),
        pytest.param(
            df("FROM golang:1.24", "ADD . /src", "RUN cd /src && go mod download"),
            (3, 16, 31),
            id="add-dot-then-download",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY ./ ./", "RUN CGO_ENABLED=0 go build ."),
            (3, 19, 29),
            id="copy-dot-slash-inline-env",
        ),
        pytest.param(
            df("FROM golang:1.24", 'COPY [".", "/src/"]', "RUN go test ./..."),
            (3, 5, 18),
            id="json-form",
        ),
        pytest.param(
            df(
                "FROM golang:1.24 AS base",
                "COPY . .",
                "FROM base AS build",
                "RUN go build ./...",
            ),
            (4, 5, 19),
            id="copy-in-parent-stage",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod ./", "COPY . .", "RUN go build ."),
            (4, 5, 15),
            id="go-mod-copied-but-not-downloaded",
        ),
    ],
)
def test_gb101_fires(run_rule: RunRule, text: str, expected: tuple[int, int, int]) -> None:
    finding = one(run_rule(download_after_copy_all, text))
    assert where(finding) == expected
    assert finding.message is not None
    assert "go mod download" in finding.message


def test_gb101_reports_only_the_first_step(run_rule: RunRule) -> None:
    text = df("FROM golang:1.24", "COPY . .", "RUN go mod download", "RUN go build .")
    finding = one(run_rule(download_after_copy_all, text))
    assert finding.span.line == 3
    assert finding.message is not None
    assert "`COPY . .` (line 2)" in finding.message


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(
            df(
                "FROM golang:1.24",
                "COPY go.mod go.sum ./",
                "RUN go mod download",
                "COPY . .",
                "RUN go build .",
            ),
            None,
            id="good-order",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN --mount=type=bind,source=go.mod,target=go.mod"
                " --mount=type=bind,source=go.sum,target=go.sum go mod download",
                "COPY . .",
                "RUN go build .",
            ),
            None,
            id="bind-mounted-go-mod",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "COPY . .",
                "RUN --mount=type=cache,target=/go/pkg/mod go build .",
            ),
            None,
            id="cache-mount-keeps-modules",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go build -mod=vendor ."),
            None,
            id="vendor-flag",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOFLAGS=-mod=vendor", "COPY . .", "RUN go build ."),
            None,
            id="vendor-goflags",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go build ."), VENDORED, id="vendor-dir"
        ),
        pytest.param(df("FROM golang:1.24", "COPY . .", "RUN go build ."), NO_DEPS, id="no-deps"),
        pytest.param(
            df("FROM golang:1.24 AS b", "FROM alpine", "COPY --from=b . .", "RUN go build ."),
            None,
            id="copy-from-stage",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "COPY . .",
                "RUN go install golang.org/x/tools/cmd/stringer@v0.1",
            ),
            None,
            id="versioned-install",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go version && go env"), None, id="no-download"
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY cmd/ ./cmd/", "RUN go build ./cmd/app"),
            None,
            id="partial-copy",
        ),
    ],
)
def test_gb101_quiet(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(download_after_copy_all, text, files) == []


@pytest.mark.parametrize(
    ("text", "files", "fixed"),
    [
        pytest.param(
            df("FROM golang:1.24", "WORKDIR /src", "COPY . .", "RUN go build ."),
            None,
            df(
                "FROM golang:1.24",
                "WORKDIR /src",
                "COPY go.mod go.sum ./",
                "RUN go mod download",
                "COPY . .",
                "RUN go build .",
            ),
            id="basic",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go build ."),
            NO_SUM,
            df(
                "FROM golang:1.24",
                "COPY go.mod ./",
                "RUN go mod download",
                "COPY . .",
                "RUN go build .",
            ),
            id="no-go-sum",
        ),
        pytest.param(
            "FROM golang:1.24\r\n  COPY --chown=app:app . /src\r\nRUN go build ./...\r\n",
            None,
            "FROM golang:1.24\r\n"
            "  COPY --chown=app:app go.mod go.sum /src/\r\n"
            "  RUN cd /src/ && go mod download\r\n"
            "  COPY --chown=app:app . /src\r\n"
            "RUN go build ./...\r\n",
            id="crlf-indent-chown-dest",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod ./", "COPY . .", "RUN go build ."),
            None,
            df(
                "FROM golang:1.24",
                "COPY go.mod ./",
                "RUN go mod download",
                "COPY . .",
                "RUN go build .",
            ),
            id="go-mod-already-copied",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "COPY . .",
                "RUN --mount=type=secret,id=netrc,target=/root/.netrc go build .",
            ),
            None,
            df(
                "FROM golang:1.24",
                "COPY go.mod go.sum ./",
                "RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download",
                "COPY . .",
                "RUN --mount=type=secret,id=netrc,target=/root/.netrc go build .",
            ),
            id="keeps-secret-mount",
        ),
    ],
)
def test_gb101_fix(fix_rule: FixRule, text: str, files: dict[str, str] | None, fixed: str) -> None:
    result, again = fix_rule(download_after_copy_all, text, files)
    assert result == fixed
    assert again == []


def test_gb101_fix_is_unsafe(run_rule: RunRule) -> None:
    finding = one(
        run_rule(download_after_copy_all, df("FROM golang:1.24", "COPY . .", "RUN go build ."))
    )
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE


# ---------------------------------------------------------------------------------
# GB102


@pytest.mark.parametrize(
    ("text", "expected", "targets"),
    [
        pytest.param(
            df("FROM golang:1.24", "RUN go build -o /app ."),
            (2, 5, 23),
            ["/go/pkg/mod", "/root/.cache/go-build"],
            id="build-needs-both",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go mod download"),
            (2, 5, 20),
            ["/go/pkg/mod"],
            id="download-needs-module-cache",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "ENV GOMODCACHE=/cache/mod GOCACHE=/cache/build",
                "RUN go build .",
            ),
            (3, 5, 15),
            ["/cache/mod", "/cache/build"],
            id="env-overrides",
        ),
        pytest.param(
            df("FROM alpine:3.20", "RUN apk add go", "RUN go mod download"),
            (3, 5, 20),
            ["/root/go/pkg/mod"],
            id="non-golang-image-default-gopath",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV XDG_CACHE_HOME=/xdg", "RUN go build -mod=vendor ."),
            (3, 5, 27),
            ["/xdg/go-build"],
            id="vendor-build-needs-only-build-cache",
        ),
        pytest.param(
            df("FROM golang:1.24", "USER app", "RUN go mod download"),
            (3, 5, 20),
            ["/go/pkg/mod"],
            id="non-root-user-golang-image",
        ),
        pytest.param(
            df("FROM golang:1.24", 'RUN ["go", "test", "./..."]'),
            (2, 5, 28),
            ["/go/pkg/mod", "/root/.cache/go-build"],
            id="exec-form",
        ),
    ],
)
def test_gb102_fires(
    run_rule: RunRule, text: str, expected: tuple[int, int, int], targets: list[str]
) -> None:
    finding = one(run_rule(go_step_without_cache_mount, text))
    assert where(finding) == expected
    assert finding.message is not None
    for target in targets:
        assert f"--mount=type=cache,target={target}" in finding.message
    assert finding.message.count("--mount=") == len(targets)


def test_gb102_names_each_command_when_two_need_mounts(run_rule: RunRule) -> None:
    text = df("FROM golang:1.24", "RUN go mod download && go build -mod=vendor .")
    finding = one(run_rule(go_step_without_cache_mount, text))
    assert finding.message is not None
    assert finding.message.startswith("this step has no cache mount")
    assert "(used by `go mod download`)" in finding.message
    assert "(used by `go build`)" in finding.message


def test_gb102_says_where_gopath_came_from(run_rule: RunRule) -> None:
    finding = one(
        run_rule(go_step_without_cache_mount, df("FROM golang:1.24", "RUN go mod download"))
    )
    assert finding.message is not None
    assert "GOPATH=/go set by the golang image" in finding.message


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go/pkg/mod"
                " --mount=type=cache,target=/root/.cache/go-build go build .",
            ),
            None,
            id="both-mounted",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go"
                " --mount=type=cache,target=/root/.cache go build .",
            ),
            None,
            id="parent-folders-mounted",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/root/go/pkg/mod"
                " --mount=type=cache,target=/tmp/go-build go build .",
            ),
            None,
            id="wrong-targets-are-gb103",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go mod download"), VENDORED, id="vendored-project"
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env GOPATH && go version"),
            None,
            id="no-cache-use",
        ),
        pytest.param(df("FROM alpine:3.20", "USER app", "RUN go build ."), None, id="unknown-home"),
        pytest.param(
            df("FROM golang:1.24", "ENV GOCACHE=off", "RUN go build -mod=vendor ."),
            None,
            id="gocache-off",
        ),
        pytest.param(df("FROM golang:1.24", "RUN make build"), None, id="no-go-command"),
    ],
)
def test_gb102_quiet(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(go_step_without_cache_mount, text, files) == []


def test_gb102_leaves_modules_of_an_earlier_layer_alone(run_rule: RunRule) -> None:
    # A module-cache mount on the build would hide the modules the download step
    # left in the layer, so only the download step is asked for one.
    text = df(
        "FROM golang:1.24",
        "RUN go mod download",
        "RUN --mount=type=cache,target=/root/.cache/go-build go build .",
    )
    assert one(run_rule(go_step_without_cache_mount, text)).span.line == 2


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        pytest.param(
            df("FROM golang:1.24", "RUN go build ."),
            df(
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go/pkg/mod"
                " --mount=type=cache,target=/root/.cache/go-build go build .",
            ),
            id="no-flags",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --network=host \\", "    go mod download"),
            df(
                "FROM golang:1.24",
                "RUN --network=host --mount=type=cache,target=/go/pkg/mod \\",
                "    go mod download",
            ),
            id="after-existing-flags",
        ),
    ],
)
def test_gb102_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, again = fix_rule(go_step_without_cache_mount, text)
    assert result == fixed
    assert again == []


# ---------------------------------------------------------------------------------
# GB103


@pytest.mark.parametrize(
    ("text", "expected", "wanted"),
    [
        pytest.param(
            df(
                "FROM golang:1.24", "RUN --mount=type=cache,target=/root/go/pkg/mod go mod download"
            ),
            (2, 31, 47),
            "/go/pkg/mod",
            id="root-gopath-on-golang-image",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "ENV GOCACHE=/cache/go",
                "RUN --mount=type=cache,dst=/root/.cache/go-build go build .",
            ),
            (3, 28, 49),
            "/cache/go",
            id="gocache-moved",
        ),
        pytest.param(
            df(
                "FROM golang:1.24-alpine",
                "RUN --mount=type=cache,target=/go/pkg/mod,target=/home/go/pkg/mod make",
            ),
            (2, 50, 66),
            "/go/pkg/mod",
            id="last-target-wins-no-go-command",
        ),
    ],
)
def test_gb103_fires(
    run_rule: RunRule, text: str, expected: tuple[int, int, int], wanted: str
) -> None:
    finding = one(run_rule(cache_mount_wrong_target, text))
    assert where(finding) == expected
    assert finding.message is not None
    assert f"use target={wanted}" in finding.message


def test_gb103_explains_the_effective_value(run_rule: RunRule) -> None:
    text = df(
        "FROM golang:1.24",
        "ENV GOMODCACHE=/mods",
        "RUN --mount=type=cache,target=/go/pkg/mod go build .",
    )
    finding = one(run_rule(cache_mount_wrong_target, text))
    assert finding.message is not None
    assert "GOMODCACHE=/mods set by ENV on line 2" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df("FROM golang:1.24", "RUN --mount=type=cache,target=/go/pkg/mod/ go mod download"),
            id="right-target-trailing-slash",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "ENV GOPATH=/root/go",
                "RUN --mount=type=cache,target=/root/go/pkg/mod go build .",
            ),
            id="gopath-moved-by-env",
        ),
        pytest.param(
            df(
                "FROM alpine:3.20", "RUN --mount=type=cache,target=/root/go/pkg/mod go mod download"
            ),
            id="default-gopath-without-golang-image",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --mount=type=cache,target=/var/cache/apk apk add git"),
            id="unrelated-cache",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --mount=type=cache,target=go/pkg/mod go build ."),
            id="relative-target",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "USER app",
                "RUN --mount=type=cache,target=/root/.cache/go-build go build .",
            ),
            id="unknown-home",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --mount=type=bind,target=/root/go/pkg/mod go build ."),
            id="not-a-cache-mount",
        ),
    ],
)
def test_gb103_quiet(run_rule: RunRule, text: str) -> None:
    assert run_rule(cache_mount_wrong_target, text) == []


def test_gb103_fix(fix_rule: FixRule) -> None:
    text = df(
        "FROM golang:1.24", "RUN --mount=type=cache,target=/root/go/pkg/mod,id=mods go mod download"
    )
    result, again = fix_rule(cache_mount_wrong_target, text)
    assert result == df(
        "FROM golang:1.24", "RUN --mount=type=cache,target=/go/pkg/mod,id=mods go mod download"
    )
    assert again == []


# ---------------------------------------------------------------------------------
# GB104

CACHED_DOWNLOAD = "RUN --mount=type=cache,target=/go/pkg/mod go mod download"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            df("FROM golang:1.24", CACHED_DOWNLOAD, "COPY . .", "RUN go build ./..."),
            (4, 5, 19),
            id="catalogue",
        ),
        pytest.param(
            df(
                "FROM golang:1.24 AS deps",
                CACHED_DOWNLOAD,
                "FROM deps AS test",
                "COPY . .",
                "RUN CGO_ENABLED=0 go test ./...",
            ),
            (5, 19, 32),
            id="child-stage",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                CACHED_DOWNLOAD,
                "RUN --mount=type=cache,target=/root/.cache/go-build go build .",
            ),
            (3, 53, 63),
            id="only-build-cache-mounted",
        ),
    ],
)
def test_gb104_fires(run_rule: RunRule, text: str, expected: tuple[int, int, int]) -> None:
    finding = one(run_rule(cache_mount_missing_later, text))
    assert where(finding) == expected
    assert finding.message is not None
    assert "(line 2)" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df(
                "FROM golang:1.24",
                CACHED_DOWNLOAD,
                "RUN --mount=type=cache,target=/go/pkg/mod go build .",
            ),
            id="both-mounted",
        ),
        pytest.param(
            df("FROM golang:1.24", CACHED_DOWNLOAD, "RUN go build -mod=vendor ."), id="vendor"
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                CACHED_DOWNLOAD,
                "RUN --mount=type=cache,target=/root/go/pkg/mod go build .",
            ),
            id="wrong-target-is-gb103",
        ),
        pytest.param(
            df("FROM golang:1.24", CACHED_DOWNLOAD, "RUN go install example.com/tool@v1.0.0"),
            id="versioned-install",
        ),
        pytest.param(
            df("FROM golang:1.24 AS deps", CACHED_DOWNLOAD, "FROM golang:1.24", "RUN go build ."),
            id="unrelated-stage",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go mod download", "RUN go build ."), id="no-mount-at-all"
        ),
    ],
)
def test_gb104_quiet(run_rule: RunRule, text: str) -> None:
    assert run_rule(cache_mount_missing_later, text) == []


def test_gb104_a_download_into_the_layer_satisfies_later_steps(run_rule: RunRule) -> None:
    text = df("FROM golang:1.24", CACHED_DOWNLOAD, "RUN go mod download", "RUN go build .")
    # The second download repeats the first one; the build then finds the modules.
    assert one(run_rule(cache_mount_missing_later, text)).span.line == 3


def test_gb104_fix_copies_the_mount(fix_rule: FixRule, run_rule: RunRule) -> None:
    text = df(
        "FROM golang:1.24",
        "RUN --mount=type=cache,target=/go/pkg/mod,id=gomod go mod download",
        "RUN --network=none go build .",
    )
    finding = one(run_rule(cache_mount_missing_later, text))
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE
    result, again = fix_rule(cache_mount_missing_later, text)
    assert result == df(
        "FROM golang:1.24",
        "RUN --mount=type=cache,target=/go/pkg/mod,id=gomod go mod download",
        "RUN --network=none --mount=type=cache,target=/go/pkg/mod,id=gomod go build .",
    )
    assert again == []


# ---------------------------------------------------------------------------------
# GB105


@pytest.mark.parametrize(
    ("text", "files", "expected"),
    [
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod ./", "RUN go mod download"),
            None,
            (2, 6, 12),
            id="unknown-project",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY ./go.mod ./", "RUN go mod download"),
            PROJECT,
            (2, 6, 14),
            id="dot-slash",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "COPY go.mod ./",
                "RUN go mod download",
                "COPY go.sum ./",
                "RUN go build .",
            ),
            PROJECT,
            (2, 6, 12),
            id="go-sum-after-download",
        ),
        pytest.param(
            df("FROM golang:1.24", 'COPY ["go.mod", "./"]', "RUN go mod download"),
            PROJECT,
            (2, 6, 22),
            id="json-form",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY services/api/go.mod ./", "RUN go mod download"),
            NO_SUM,
            (2, 6, 25),
            id="nested-module-unknown",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod ./", "RUN apk add git", "COPY go.sum ./"),
            PROJECT,
            (2, 6, 12),
            id="script-run-before-go-sum",
        ),
    ],
)
def test_gb105_fires(
    run_rule: RunRule, text: str, files: dict[str, str] | None, expected: tuple[int, int, int]
) -> None:
    finding = one(run_rule(go_mod_without_go_sum, text, files))
    assert where(finding) == expected


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod go.sum ./", "RUN go mod download"), None, id="good"
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.* ./", "RUN go mod download"), None, id="glob"
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod go.sum* ./", "RUN go mod download"),
            None,
            id="optional-glob",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.sum ./", "COPY go.mod ./", "RUN go mod download"),
            None,
            id="separate-copy-before",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod ./", "COPY . .", "RUN go build ."),
            None,
            id="context-copy-before-go",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod ./", "RUN go mod download"),
            NO_SUM,
            id="project-has-no-go-sum",
        ),
        pytest.param(
            df(
                "FROM golang:1.24 AS b",
                "FROM golang:1.24",
                "COPY --from=b /src/go.mod ./",
                "RUN go build .",
            ),
            None,
            id="copy-from-stage",
        ),
        pytest.param(df("FROM golang:1.24", "COPY go.mod ./"), None, id="nothing-runs"),
        pytest.param(
            df("FROM golang:1.24", "COPY services/ ./services/", "RUN go build ./services/..."),
            None,
            id="folder-copy",
        ),
    ],
)
def test_gb105_quiet(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(go_mod_without_go_sum, text, files) == []


@pytest.mark.parametrize(
    ("text", "files", "fixed", "applicability"),
    [
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod ./", "RUN go mod download"),
            PROJECT,
            df("FROM golang:1.24", "COPY go.mod go.sum ./", "RUN go mod download"),
            Applicability.SAFE,
            id="go-sum-exists",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY ./go.mod ./", "RUN go mod download"),
            None,
            df("FROM golang:1.24", "COPY ./go.mod ./go.sum ./", "RUN go mod download"),
            Applicability.UNSAFE,
            id="unknown-go-sum",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod /src/go.mod", "RUN cd /src && go mod download"),
            PROJECT,
            df("FROM golang:1.24", "COPY go.mod go.sum /src/", "RUN cd /src && go mod download"),
            Applicability.SAFE,
            id="destination-named-the-file",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY go.mod .", "RUN go mod download"),
            PROJECT,
            df("FROM golang:1.24", "COPY go.mod go.sum ./", "RUN go mod download"),
            Applicability.SAFE,
            id="destination-dot",
        ),
    ],
)
def test_gb105_fix(
    run_rule: RunRule,
    fix_rule: FixRule,
    text: str,
    files: dict[str, str] | None,
    fixed: str,
    applicability: Applicability,
) -> None:
    finding = one(run_rule(go_mod_without_go_sum, text, files))
    assert finding.fix is not None
    assert finding.fix.applicability is applicability
    result, again = fix_rule(go_mod_without_go_sum, text, files)
    assert result == fixed
    assert again == []


def test_gb105_json_form_has_no_fix(run_rule: RunRule) -> None:
    text = df("FROM golang:1.24", 'COPY ["go.mod", "./"]', "RUN go mod download")
    assert one(run_rule(go_mod_without_go_sum, text)).fix is None


# ---------------------------------------------------------------------------------
# GB106


@pytest.mark.parametrize(
    ("text", "expected", "origin"),
    [
        pytest.param(
            df("FROM golang:1.24", "ENV GOFLAGS=-mod=mod"), (2, 13, 21), "ENV on line 2", id="env"
        ),
        pytest.param(
            df("FROM golang:1.24", 'ENV GOFLAGS="-trimpath -mod=mod"'),
            (2, 24, 32),
            "ENV on line 2",
            id="env-quoted-list",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env -w GOFLAGS=-mod=mod && go build ."),
            (2, 23, 31),
            "`go env -w` on line 2",
            id="go-env-w",
        ),
        pytest.param(
            df("FROM golang:1.24", "ARG GOFLAGS=--mod=mod"), (2, 13, 22), "ARG on line 2", id="arg"
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go build -mod=mod ./..."),
            (2, 14, 22),
            "`go build`",
            id="cli",
        ),
    ],
)
def test_gb106_fires(
    run_rule: RunRule, text: str, expected: tuple[int, int, int], origin: str
) -> None:
    finding = one(run_rule(goflags_mod_mod, text))
    assert where(finding) == expected
    assert finding.message is not None
    assert origin in finding.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(df("FROM golang:1.24", "ENV GOFLAGS=-mod=readonly"), id="readonly"),
        pytest.param(df("FROM golang:1.24", "ENV GOFLAGS=-mod=vendor"), id="vendor"),
        pytest.param(df("FROM golang:1.24", "ENV GOFLAGS=-modcacherw"), id="modcacherw"),
        pytest.param(df("FROM golang:1.24", "ENV NOT_GOFLAGS=-mod=mod"), id="other-variable"),
        pytest.param(
            df("FROM golang:1.24", "RUN go mod tidy && go mod download"), id="mod-commands"
        ),
    ],
)
def test_gb106_quiet(run_rule: RunRule, text: str) -> None:
    assert run_rule(goflags_mod_mod, text) == []


@pytest.mark.parametrize(
    ("text", "files", "fixed"),
    [
        pytest.param(
            df("FROM golang:1.24", 'ENV GOFLAGS="-trimpath -mod=mod"'),
            None,
            df("FROM golang:1.24", 'ENV GOFLAGS="-trimpath -mod=readonly"'),
            id="readonly",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go build -mod=mod ."),
            VENDORED,
            df("FROM golang:1.24", "RUN go build -mod=vendor ."),
            id="vendored-project",
        ),
    ],
)
def test_gb106_fix(fix_rule: FixRule, text: str, files: dict[str, str] | None, fixed: str) -> None:
    result, again = fix_rule(goflags_mod_mod, text, files)
    assert result == fixed
    assert again == []
