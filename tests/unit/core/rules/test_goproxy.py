"""Tests for the GOPROXY, network and toolchain rules (GB110-GB118)."""

from __future__ import annotations

import pytest

from gobuildgui.core.dockerfile.rule import Finding
from gobuildgui.core.dockerfile.rules.goproxy import (
    check_entry,
    go_build_under_emulation,
    golang_image_older_than_go_mod,
    goproxy_comma_after_proxy,
    goproxy_off_without_vendor,
    goproxy_without_fallback,
    invalid_goproxy,
    misspelled_go_variable,
    network_none_download,
    parse_go_version,
    proxy_entries,
    suggest_go_variable,
    toolchain_download_goproxy_off,
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


def go_mod(version: str, *, toolchain: str | None = None, requires: bool = True) -> dict[str, str]:
    text = f"module example.com/app\n\ngo {version}\n"
    if toolchain:
        text += f"\ntoolchain {toolchain}\n"
    if requires:
        text += "\nrequire github.com/pkg/errors v0.9.1\n"
    return {"go.mod": text, "go.sum": ""}


PROJECT = go_mod("1.24")
VENDORED = {**PROJECT, "vendor/modules.txt": "# github.com/pkg/errors v0.9.1\n"}

# ---------------------------------------------------------------------------------
# GOPROXY parsing helpers


def test_proxy_entries_keep_offsets_and_separators() -> None:
    entries = proxy_entries(" https://a , https://b|direct")
    assert [(e.text, e.sep) for e in entries] == [
        ("https://a", ","),
        ("https://b", "|"),
        ("direct", ""),
    ]
    assert [" https://a , https://b|direct"[e.start : e.end] for e in entries] == [
        "https://a",
        "https://b",
        "direct",
    ]


@pytest.mark.parametrize(
    ("entry", "accepted"),
    [
        ("https://proxy.golang.org", True),
        ("proxy.corp.example:3128", True),  # go adds https://
        ("HTTP://PROXY.EXAMPLE", True),  # the scheme is case-insensitive
        ("file:///srv/mods", True),
        ("https://[::1]:8080", True),
        ("socks5://proxy:1080", False),
        ("athens", False),
        ("Off", False),
        ("/srv/mods", False),
        ("file://host/mods", False),
        ("file:mods", False),
        ("https://proxy:port", False),
        ("https:proxy", False),
        ("://proxy", False),
    ],
)
def test_check_entry_follows_go(entry: str, accepted: bool) -> None:
    assert (check_entry(entry) is None) is accepted


@pytest.mark.parametrize(
    ("lower", "higher"),
    [("1.22", "1.22rc1"), ("1.22rc1", "1.22rc2"), ("1.22beta1", "1.22rc1"), ("1.22rc2", "1.22.0"),
     ("1.22.0", "1.22.1"), ("1.9.9", "1.10")],
)  # fmt: skip
def test_go_versions_order_like_gover(lower: str, higher: str) -> None:
    a, b = parse_go_version(lower), parse_go_version(higher)
    assert a is not None
    assert b is not None
    assert a.key < b.key


# ---------------------------------------------------------------------------------
# GB110


@pytest.mark.parametrize(
    ("text", "files", "expected", "origin"),
    [
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=off", "RUN go mod download"),
            None,
            (3, 5, 20),
            "set by ENV on line 2",
            id="env",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env -w GOPROXY=off", "RUN go build ."),
            PROJECT,
            (3, 5, 15),
            "set by `go env -w` on line 2",
            id="go-env-w",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN export GOPROXY=off && go build ."),
            None,
            (2, 27, 37),
            "exported on line 2",
            id="export-same-run",
        ),
        pytest.param(
            df("ARG GOPROXY=off", "FROM golang:1.24", "ARG GOPROXY", "RUN go mod download"),
            None,
            (4, 5, 20),
            "build argument declared on line 3, default on line 1",
            id="global-arg",
        ),
        pytest.param(
            df("FROM golang:1.24 AS base", "ENV GOPROXY=off", "FROM base", "RUN go test ./..."),
            None,
            (4, 5, 18),
            "set by ENV on line 2",
            id="parent-stage",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "ENV GOPROXY=off,https://proxy.golang.org",
                "RUN go mod download",
            ),
            None,
            (3, 5, 20),
            "set by ENV on line 2",
            id="off-first-ends-the-list",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN go mod download",
                "ENV GOPROXY=off",
                "RUN go install example.com/tool@v1.2.3",
            ),
            None,
            (4, 5, 39),
            "set by ENV on line 3",
            id="versioned-install-needs-its-own-modules",
        ),
    ],
)
def test_gb110_fires(
    run_rule: RunRule,
    text: str,
    files: dict[str, str] | None,
    expected: tuple[int, int, int],
    origin: str,
) -> None:
    finding = one(run_rule(goproxy_off_without_vendor, text, files))
    assert where(finding) == expected
    assert finding.message is not None
    assert f"GOPROXY=off ({origin})" in finding.message.replace(",https://proxy.golang.org", "")


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(
            df("FROM golang:1.24", "RUN go mod download", "ENV GOPROXY=off", "RUN go build ."),
            None,
            id="offline-after-download",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
                "ENV GOPROXY=off",
                "RUN --mount=type=cache,target=/go/pkg/mod go build .",
            ),
            None,
            id="offline-with-shared-cache-mount",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=off", "RUN go build -mod=vendor ."),
            None,
            id="vendor-flag",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=off", "RUN go build ."), VENDORED, id="vendor-dir"
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=https://proxy.golang.org,off", "RUN go build ."),
            None,
            id="off-last",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=off", "RUN go build ."),
            go_mod("1.24", requires=False),
            id="no-requirements",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=off GOPRIVATE=github.com/pkg/*", "RUN go build ."),
            PROJECT,
            id="every-requirement-private",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "ENV GOPROXY=off",
                "RUN GOPROXY=https://proxy.golang.org go build .",
            ),
            None,
            id="inline-override",
        ),
        pytest.param(
            df("FROM golang:1.24", "ARG GOPROXY", "RUN go build ."), None, id="build-time-value"
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=off", "RUN go version"), None, id="no-download"
        ),
    ],
)
def test_gb110_quiet(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(goproxy_off_without_vendor, text, files) == []


def test_gb110_reports_once_per_stage(run_rule: RunRule) -> None:
    text = df("FROM golang:1.24", "ENV GOPROXY=off", "RUN go mod download", "RUN go build .")
    assert one(run_rule(goproxy_off_without_vendor, text)).span.line == 3


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        pytest.param(
            df("FROM golang:1.24", 'ENV GOPROXY="off"', "RUN go mod download"),
            df(
                "FROM golang:1.24",
                'ENV GOPROXY="https://proxy.golang.org,direct"',
                "RUN go mod download",
            ),
            id="env-quoted",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN GOPROXY=off go mod download"),
            df("FROM golang:1.24", "RUN GOPROXY=https://proxy.golang.org,direct go mod download"),
            id="inline",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env -w GOPROXY=off", "RUN go mod download"),
            df(
                "FROM golang:1.24",
                "RUN go env -w GOPROXY=https://proxy.golang.org,direct",
                "RUN go mod download",
            ),
            id="go-env-w",
        ),
    ],
)
def test_gb110_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, again = fix_rule(goproxy_off_without_vendor, text)
    assert result == fixed
    assert again == []


# ---------------------------------------------------------------------------------
# GB111


@pytest.mark.parametrize(
    ("text", "expected", "says"),
    [
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=socks5://proxy.corp:1080"),
            (2, 13, 37),
            "invalid proxy URL scheme (must be https, http, file)",
            id="socks5",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=https://proxy.golang.org,Direct"),
            (2, 38, 44),
            "must be lower case",
            id="keyword-case",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env -w GOPROXY=athens,direct"),
            (2, 23, 29),
            "invalid proxy URL missing scheme: athens",
            id="bare-word",
        ),
        pytest.param(
            df("FROM golang:1.24", 'ENV GOPROXY "/srv/goproxy|off"'),
            (2, 14, 26),
            "write file:///srv/goproxy",
            id="absolute-path-legacy-env",
        ),
        pytest.param(
            df("FROM golang:1.24", "ARG GOPROXY=file://mirror/mods"),
            (2, 13, 31),
            "non-path elements",
            id="file-with-host",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=https://proxy.corp:port"),
            (2, 13, 36),
            "invalid port",
            id="bad-port",
        ),
        pytest.param(
            df("FROM golang:1.24", 'ENV GOPROXY=","'),
            (2, 13, 16),
            "contains no entries",
            id="empty-list",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN GOPROXY='https://ok.example|ftp://mirror' go mod download"),
            (2, 33, 45),
            "scheme 'ftp'",
            id="second-entry-inline",
        ),
    ],
)
def test_gb111_fires(
    run_rule: RunRule, text: str, expected: tuple[int, int, int], says: str
) -> None:
    finding = one(run_rule(invalid_goproxy, text))
    assert where(finding) == expected
    assert finding.message is not None
    assert says in finding.message


def test_gb111_hides_passwords(run_rule: RunRule) -> None:
    finding = one(
        run_rule(invalid_goproxy, df("FROM golang:1.24", "ENV GOPROXY=ftp://me:s3cret@m"))
    )
    assert finding.message is not None
    assert "s3cret" not in finding.message
    assert "ftp://me:xxxxx@m" in finding.message


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("https://proxy.golang.org,direct", id="default"),
        pytest.param("proxy.corp.example:3128,direct", id="bare-host"),
        pytest.param('"https://a.example|http://b.example|off"', id="pipes"),
        pytest.param("file:///srv/mods,off", id="file"),
        pytest.param("direct,socks5://never-read", id="after-direct"),
        pytest.param('""', id="empty-means-default"),
        pytest.param("https://user:token@proxy.corp", id="credentials-are-gb132"),
        pytest.param("$CORP_PROXY", id="unknown"),
        pytest.param("HTTPS://PROXY.EXAMPLE", id="upper-case-scheme"),
    ],
)
def test_gb111_quiet(run_rule: RunRule, value: str) -> None:
    assert run_rule(invalid_goproxy, df("FROM golang:1.24", f"ENV GOPROXY={value}")) == []


@pytest.mark.parametrize(
    ("line", "fixed", "applicability"),
    [
        pytest.param(
            "ENV GOPROXY=https://proxy.golang.org,Direct",
            "ENV GOPROXY=https://proxy.golang.org,direct",
            Applicability.SAFE,
            id="keyword-case",
        ),
        pytest.param(
            'ENV GOPROXY "/srv/goproxy|off"',
            'ENV GOPROXY "file:///srv/goproxy|off"',
            Applicability.SAFE,
            id="path",
        ),
        pytest.param(
            "RUN GOPROXY=athens go mod download",
            "RUN GOPROXY=https://athens go mod download",
            Applicability.UNSAFE,
            id="bare-word",
        ),
    ],
)
def test_gb111_fix(
    run_rule: RunRule, fix_rule: FixRule, line: str, fixed: str, applicability: Applicability
) -> None:
    text = df("FROM golang:1.24", line)
    fix = one(run_rule(invalid_goproxy, text)).fix
    assert fix is not None
    assert fix.applicability is applicability
    result, again = fix_rule(invalid_goproxy, text)
    assert result == df("FROM golang:1.24", fixed)
    assert again == []


def test_gb111_socks_has_no_fix(run_rule: RunRule) -> None:
    text = df("FROM golang:1.24", "ENV GOPROXY=socks5://proxy:1080")
    assert one(run_rule(invalid_goproxy, text)).fix is None


# ---------------------------------------------------------------------------------
# GB112


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=https://goproxy.io"), (2, 13, 31), id="env"
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN GOPROXY='https://a.example|https://b.example' go build ."),
            (2, 13, 50),
            id="inline-quoted",
        ),
        pytest.param(
            df("ARG GOPROXY=https://athens.corp", "FROM golang:1.24"), (1, 13, 32), id="global-arg"
        ),
    ],
)
def test_gb112_fires(run_rule: RunRule, text: str, expected: tuple[int, int, int]) -> None:
    assert where(one(run_rule(goproxy_without_fallback, text))) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(df("FROM golang:1.24", "ENV GOPROXY=https://goproxy.io,direct"), id="direct"),
        pytest.param(df("FROM golang:1.24", "ENV GOPROXY=https://athens.corp,off"), id="off"),
        pytest.param(df("FROM golang:1.24", "ENV GOPROXY=direct"), id="direct-only"),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=https://athens.corp GOPRIVATE=git.corp/*"),
            id="goprivate-set",
        ),
        pytest.param(
            df("FROM golang:1.24", "ARG GONOPROXY", "ENV GOPROXY=https://athens.corp"),
            id="gonoproxy-build-arg",
        ),
        pytest.param(df("FROM golang:1.24", "ENV GOPROXY=file:///srv/mods"), id="offline-folder"),
        pytest.param(df("FROM golang:1.24", "ENV GOPROXY=socks5://p:1"), id="invalid-is-gb111"),
        pytest.param(df("FROM golang:1.24", 'ENV GOPROXY=""'), id="empty"),
    ],
)
def test_gb112_quiet(run_rule: RunRule, text: str) -> None:
    assert run_rule(goproxy_without_fallback, text) == []


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        pytest.param(
            "ENV GOPROXY=https://goproxy.io", "ENV GOPROXY=https://goproxy.io,direct", id="plain"
        ),
        pytest.param(
            'ENV GOPROXY="https://a.example|https://b.example"',
            'ENV GOPROXY="https://a.example|https://b.example,direct"',
            id="quoted",
        ),
    ],
)
def test_gb112_fix(fix_rule: FixRule, line: str, fixed: str) -> None:
    result, again = fix_rule(goproxy_without_fallback, df("FROM golang:1.24", line))
    assert result == df("FROM golang:1.24", fixed)
    assert again == []


# ---------------------------------------------------------------------------------
# GB113


@pytest.mark.parametrize(
    ("text", "expected", "names"),
    [
        pytest.param(
            df(
                "FROM golang:1.24", "ENV GOPROXY=https://proxy.golang.org,https://goproxy.cn,direct"
            ),
            (2, 13, 38),
            "https://proxy.golang.org, https://goproxy.cn",
            id="catalogue",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=https://a.example|https://b.example,direct"),
            (2, 31, 49),
            "follows https://b.example:",
            id="comma-after-second",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env -w GOPROXY=goproxy.cn,proxy.golang.org"),
            (2, 23, 34),
            "follows goproxy.cn:",
            id="bare-hosts",
        ),
    ],
)
def test_gb113_fires(
    run_rule: RunRule, text: str, expected: tuple[int, int, int], names: str
) -> None:
    finding = one(run_rule(goproxy_comma_after_proxy, text))
    assert where(finding) == expected
    assert finding.message is not None
    assert names in finding.message


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("https://proxy.golang.org,direct", id="default"),
        pytest.param("https://a.example|https://b.example|direct", id="pipes"),
        pytest.param("https://a.example,file:///srv/mods,direct", id="one-network-proxy"),
        pytest.param("https://a.example,direct,https://b.example", id="after-direct"),
        pytest.param("https://a.example|https://b.example", id="no-keyword"),
    ],
)
def test_gb113_quiet(run_rule: RunRule, value: str) -> None:
    assert run_rule(goproxy_comma_after_proxy, df("FROM golang:1.24", f"ENV GOPROXY={value}")) == []


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        pytest.param(
            "ENV GOPROXY=https://proxy.golang.org,https://goproxy.cn,direct",
            "ENV GOPROXY=https://proxy.golang.org|https://goproxy.cn|direct",
            id="env",
        ),
        pytest.param(
            "RUN GOPROXY=https://a.example,https://b.example,direct go mod download",
            "RUN GOPROXY='https://a.example|https://b.example|direct' go mod download",
            id="shell-needs-quotes",
        ),
    ],
)
def test_gb113_fix(fix_rule: FixRule, line: str, fixed: str) -> None:
    result, again = fix_rule(goproxy_comma_after_proxy, df("FROM golang:1.24", line))
    assert result == df("FROM golang:1.24", fixed)
    assert again == []


# ---------------------------------------------------------------------------------
# GB114


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN --network=none go build ./..."), 3, id="build"
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --network=none go mod download"), 2, id="download"
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go/pkg/mod,id=a go mod download",
                "RUN --network=none --mount=type=cache,target=/go/pkg/mod,id=b go build .",
            ),
            3,
            id="other-cache-id",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN go mod download",
                "RUN --network=none go install example.com/tool@v1.0.0",
            ),
            3,
            id="versioned-install",
        ),
    ],
)
def test_gb114_fires(run_rule: RunRule, text: str, line: int) -> None:
    finding = one(run_rule(network_none_download, text))
    assert finding.span.line == line
    assert finding.span.column == 5
    assert finding.span.end_column == 19  # the --network=none flag


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(
            df(
                "FROM golang:1.24",
                "COPY go.mod go.sum ./",
                "RUN go mod download",
                "COPY . .",
                "RUN --network=none go build ./...",
            ),
            None,
            id="downloaded-before",
        ),
        pytest.param(
            df(
                "FROM golang:1.24",
                "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
                "RUN --network=none --mount=type=cache,target=/go/pkg/mod go build .",
            ),
            None,
            id="same-cache-mount",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --network=none go build -mod=vendor ."), None, id="vendor"
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --network=none go build ."), VENDORED, id="vendor-dir"
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --network=host go build ."), None, id="host-network"
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN --network=none go version"), None, id="no-download"
        ),
    ],
)
def test_gb114_quiet(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(network_none_download, text, files) == []


# ---------------------------------------------------------------------------------
# GB115

GO_1225 = go_mod("1.22.5")


@pytest.mark.parametrize(
    ("text", "files", "expected", "says"),
    [
        pytest.param(
            df("FROM golang:1.21-alpine AS build", "RUN go build ."),
            GO_1225,
            (1, 13, 17),
            "runs Go 1.21.x but go.mod line 3 requires go 1.22.5",
            id="older-line",
        ),
        pytest.param(
            df("FROM golang:1.22.1", "RUN go build ."),
            GO_1225,
            (1, 13, 19),
            "runs Go 1.22.1 but",
            id="older-patch",
        ),
        pytest.param(
            df("ARG GO_VERSION=1.21", "FROM golang:${GO_VERSION}-bookworm", "RUN go build ."),
            GO_1225,
            (2, 6, 35),
            "GO_VERSION=1.21 is the default of the ARG on line 1",
            id="build-arg-default",
        ),
        pytest.param(
            df("FROM docker.io/library/golang:1.20", "ENV GOTOOLCHAIN=local", "RUN go build ."),
            GO_1225,
            (1, 31, 35),
            "GOTOOLCHAIN=local (set by ENV on line 2)",
            id="explicit-local",
        ),
        pytest.param(
            df("FROM golang:1.21rc2", "RUN go build ."),
            go_mod("1.21.0"),
            (1, 13, 20),
            "requires go 1.21.0",
            id="release-candidate",
        ),
        pytest.param(
            df("FROM golang:1.21@sha256:" + "a" * 64, "RUN go build ."),
            GO_1225,
            (1, 13, 17),
            "update the digest",
            id="digest",
        ),
        pytest.param(
            df("FROM golang:1.21"), GO_1225, (1, 13, 17), "(set by the golang image)", id="no-run"
        ),
    ],
)
def test_gb115_fires(
    run_rule: RunRule, text: str, files: dict[str, str], expected: tuple[int, int, int], says: str
) -> None:
    finding = one(run_rule(golang_image_older_than_go_mod, text, files))
    assert where(finding) == expected
    assert finding.message is not None
    assert says in finding.message


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(df("FROM golang:1.22", "RUN go build ."), GO_1225, id="floating-line"),
        pytest.param(df("FROM golang:1.23.0-alpine", "RUN go build ."), GO_1225, id="newer"),
        pytest.param(df("FROM golang:1.22.5", "RUN go build ."), GO_1225, id="equal"),
        pytest.param(df("FROM golang:latest"), GO_1225, id="latest"),
        pytest.param(df("FROM golang:1"), GO_1225, id="major-only"),
        pytest.param(df("FROM golang:alpine"), GO_1225, id="variant-only"),
        pytest.param(df("ARG V", "FROM golang:${V}"), GO_1225, id="build-arg-without-default"),
        pytest.param(df("FROM golang:1.21", "ENV GOTOOLCHAIN=auto"), GO_1225, id="auto"),
        pytest.param(df("FROM golang:1.21", "RUN go build ."), None, id="no-project"),
        pytest.param(
            df("FROM golang:1.21", "RUN go install golang.org/x/tools/gopls@v0.15.0"),
            GO_1225,
            id="tool-install-only",
        ),
        pytest.param(
            df("FROM golang:1.21rc2", "RUN go build ."),
            go_mod("1.21"),
            id="rc-runs-language-version",
        ),
        pytest.param(df("FROM alpine:3.20", "RUN go build ."), GO_1225, id="not-golang"),
    ],
)
def test_gb115_quiet(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(golang_image_older_than_go_mod, text, files) == []


def test_gb115_ignores_the_toolchain_line(run_rule: RunRule) -> None:
    # GOTOOLCHAIN=local does not enforce the toolchain line, only the go line.
    files = go_mod("1.22.0", toolchain="go1.23.4")
    assert (
        run_rule(golang_image_older_than_go_mod, df("FROM golang:1.22", "RUN go build ."), files)
        == []
    )


def test_gb115_reports_a_stage_chain_once(run_rule: RunRule) -> None:
    text = df("FROM golang:1.21 AS base", "FROM base AS build", "RUN go build .")
    assert one(run_rule(golang_image_older_than_go_mod, text, GO_1225)).span.line == 1


@pytest.mark.parametrize(
    ("text", "files", "fixed"),
    [
        pytest.param(
            df("FROM golang:1.21-alpine AS build", "RUN go build ."),
            GO_1225,
            df("FROM golang:1.22-alpine AS build", "RUN go build ."),
            id="floating-stays-floating",
        ),
        pytest.param(
            df("FROM golang:1.22.1", "RUN go build ."),
            GO_1225,
            df("FROM golang:1.22.5", "RUN go build ."),
            id="patch",
        ),
        pytest.param(
            df("FROM golang:1.22.9-bookworm", "RUN go build ."),
            go_mod("1.23"),
            df("FROM golang:1.23.0-bookworm", "RUN go build ."),
            id="language-version-becomes-release",
        ),
        pytest.param(
            df("ARG GO_VERSION=1.21", "FROM golang:${GO_VERSION}-alpine", "RUN go build ."),
            GO_1225,
            df("ARG GO_VERSION=1.22", "FROM golang:${GO_VERSION}-alpine", "RUN go build ."),
            id="build-arg",
        ),
    ],
)
def test_gb115_fix(fix_rule: FixRule, text: str, files: dict[str, str], fixed: str) -> None:
    result, again = fix_rule(golang_image_older_than_go_mod, text, files)
    assert result == fixed
    assert again == []


def test_gb115_digest_has_no_fix(run_rule: RunRule) -> None:
    text = df("FROM golang:1.21@sha256:" + "a" * 64, "RUN go build .")
    assert one(run_rule(golang_image_older_than_go_mod, text, GO_1225)).fix is None


# ---------------------------------------------------------------------------------
# GB116


@pytest.mark.parametrize(
    ("text", "files", "expected"),
    [
        pytest.param(
            df("FROM golang:1.22", "ENV GOTOOLCHAIN=auto GOPROXY=off", "RUN go build ."),
            None,
            (2, 17, 21),
            id="auto-unknown-go-mod",
        ),
        pytest.param(
            df("FROM golang:1.21", "ENV GOTOOLCHAIN=local+auto GOPROXY=off", "RUN go build ."),
            GO_1225,
            (2, 17, 27),
            id="auto-needs-newer",
        ),
        pytest.param(
            df("FROM golang:1.22", "ENV GOPROXY=off", "RUN GOTOOLCHAIN=go1.23.0 go build ."),
            GO_1225,
            (3, 17, 25),
            id="pinned-inline",
        ),
        pytest.param(
            df("FROM golang:1.22.1", "ENV GOTOOLCHAIN=go1.22.5+auto GOPROXY=off", "RUN go version"),
            go_mod("1.22"),
            (2, 17, 30),
            id="minimum-above-image",
        ),
    ],
)
def test_gb116_fires(
    run_rule: RunRule, text: str, files: dict[str, str] | None, expected: tuple[int, int, int]
) -> None:
    finding = one(run_rule(toolchain_download_goproxy_off, text, files))
    assert where(finding) == expected
    assert finding.message is not None
    assert "GOPROXY=off (set by ENV on line 2)" in finding.message


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(df("FROM golang:1.22", "ENV GOPROXY=off", "RUN go build ."), None, id="local"),
        pytest.param(
            df("FROM golang:1.22", "ENV GOTOOLCHAIN=auto", "RUN go build ."), None, id="proxy-on"
        ),
        pytest.param(
            df("FROM golang:1.22.5", "ENV GOTOOLCHAIN=auto GOPROXY=off", "RUN go build ."),
            GO_1225,
            id="auto-not-needed",
        ),
        pytest.param(
            df("FROM golang:1.22.5", "ENV GOTOOLCHAIN=go1.22.5 GOPROXY=off", "RUN go build ."),
            None,
            id="pinned-equals-image",
        ),
        pytest.param(
            df("FROM golang:1.22", "ENV GOTOOLCHAIN=path GOPROXY=off", "RUN go build ."),
            None,
            id="path",
        ),
    ],
)
def test_gb116_quiet(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(toolchain_download_goproxy_off, text, files) == []


def test_gb116_reports_a_setting_once(run_rule: RunRule) -> None:
    text = df(
        "FROM golang:1.22",
        "ENV GOTOOLCHAIN=auto GOPROXY=off",
        "RUN go mod download",
        "RUN go build .",
    )
    assert len(run_rule(toolchain_download_goproxy_off, text)) == 1


# ---------------------------------------------------------------------------------
# GB117

CROSS_BUILD = "RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ."


@pytest.mark.parametrize(
    ("text", "expected", "fixable"),
    [
        pytest.param(
            df("FROM golang:1.24 AS build", "ARG TARGETOS TARGETARCH", CROSS_BUILD),
            (1, 6, 17),
            True,
            id="catalogue",
        ),
        pytest.param(
            df(
                "FROM --platform=$TARGETPLATFORM golang:1.24 AS build",
                "ARG TARGETARCH",
                CROSS_BUILD,
            ),
            (1, 6, 32),
            True,
            id="target-platform",
        ),
        pytest.param(
            df(
                "FROM golang:1.24 AS build",
                "RUN go build -o /out/app .",
                "FROM --platform=$TARGETPLATFORM alpine",
                "COPY --from=build /out/app /app",
            ),
            (1, 6, 17),
            False,
            id="intent-elsewhere-no-fix",
        ),
    ],
)
def test_gb117_fires(
    run_rule: RunRule, text: str, expected: tuple[int, int, int], fixable: bool
) -> None:
    finding = one(run_rule(go_build_under_emulation, text))
    assert where(finding) == expected
    assert (finding.fix is not None) is fixable


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df("FROM golang:1.24 AS build", "RUN go build -o /out/app ."), id="single-platform"
        ),
        pytest.param(
            df(
                "FROM --platform=$BUILDPLATFORM golang:1.24 AS build", "ARG TARGETARCH", CROSS_BUILD
            ),
            id="build-platform",
        ),
        pytest.param(
            df("FROM --platform=${BUILDPLATFORM} golang:1.24", "ARG TARGETARCH", CROSS_BUILD),
            id="build-platform-braces",
        ),
        pytest.param(
            df("FROM --platform=linux/amd64 golang:1.24", "ARG TARGETARCH", CROSS_BUILD),
            id="explicit-platform",
        ),
        pytest.param(
            df("FROM golang:1.24 AS tools", "ARG TARGETARCH", "RUN echo $TARGETARCH"),
            id="no-go-commands",
        ),
        pytest.param(
            df(
                "FROM --platform=$BUILDPLATFORM golang:1.24 AS base",
                "FROM base AS build",
                "ARG TARGETARCH",
                CROSS_BUILD,
            ),
            id="child-of-native-stage",
        ),
        pytest.param(df("FROM alpine", "ARG TARGETARCH", "RUN go build ."), id="not-golang"),
    ],
)
def test_gb117_quiet(run_rule: RunRule, text: str) -> None:
    assert run_rule(go_build_under_emulation, text) == []


@pytest.mark.parametrize(
    ("first", "fixed"),
    [
        pytest.param(
            "FROM golang:1.24 AS build",
            "FROM --platform=$BUILDPLATFORM golang:1.24 AS build",
            id="insert",
        ),
        pytest.param(
            "FROM --platform=$TARGETPLATFORM golang:1.24 AS build",
            "FROM --platform=$BUILDPLATFORM golang:1.24 AS build",
            id="replace",
        ),
    ],
)
def test_gb117_fix(fix_rule: FixRule, first: str, fixed: str) -> None:
    result, again = fix_rule(go_build_under_emulation, df(first, "ARG TARGETARCH", CROSS_BUILD))
    assert result == df(fixed, "ARG TARGETARCH", CROSS_BUILD)
    assert again == []


# ---------------------------------------------------------------------------------
# GB118


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("GO_PROXY", "GOPROXY"),
        ("GOPRIVATES", "GOPRIVATE"),
        ("GONOSUMBD", "GONOSUMDB"),
        ("goproxy", "GOPROXY"),
        ("CGO_ENABLE", "CGO_ENABLED"),
        ("GOFLAG", "GOFLAGS"),
        ("GONOSUMCHECK", "GONOSUMDB"),
        ("GOLANG_VERSION", None),
        ("GO_VERSION", None),
        ("GO_ENV", None),
        ("GOOGLE_APPLICATION_CREDENTIALS", None),
        ("GOSS_FILE", None),
        ("GORELEASER_KEY", None),
        ("GO_LDFLAGS", None),
        ("GOPROXY", None),
        ("GOVERSION", None),
        ("HTTPS_PROXY", None),
    ],
)
def test_suggest_go_variable(name: str, suggestion: str | None) -> None:
    assert suggest_go_variable(name) == suggestion


@pytest.mark.parametrize(
    ("text", "expected", "says"),
    [
        pytest.param(
            df("FROM golang:1.24", "ENV GO_PROXY=https://goproxy.corp,direct"),
            (2, 5, 13),
            "go does not read GO_PROXY (set by ENV on line 2), so this setting has no effect;"
            " did you mean GOPROXY?",
            id="env",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV goproxy https://goproxy.corp"),
            (2, 5, 12),
            "did you mean GOPROXY?",
            id="lower-case-legacy-env",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env -w GOPRIVATES=git.corp/*"),
            (2, 15, 25),
            "'go: unknown go command variable GOPRIVATES'; did you mean GOPRIVATE?",
            id="go-env-w",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env -w HTTPS_PROXY=http://proxy:3128"),
            (2, 15, 26),
            "set it with ENV or pass it as a build argument instead",
            id="go-env-w-unknown",
        ),
        pytest.param(
            df("FROM golang:1.24", "ARG GONOSUMBD"),
            (2, 5, 14),
            "build argument declared on line 2",
            id="bare-build-arg",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN CGO_ENABLE=0 go build ."),
            (2, 5, 15),
            "an inline assignment on line 2",
            id="inline",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN export GOFLAG=-trimpath && go build ."),
            (2, 12, 18),
            "`export` on line 2",
            id="export",
        ),
    ],
)
def test_gb118_fires(
    run_rule: RunRule, text: str, expected: tuple[int, int, int], says: str
) -> None:
    finding = one(run_rule(misspelled_go_variable, text))
    assert where(finding) == expected
    assert finding.message is not None
    assert says in finding.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=https://x GOLANG_VERSION=1.24"), id="known"
        ),
        pytest.param(
            df("ARG GO_VERSION=1.24", "FROM golang:${GO_VERSION}"), id="image-version-arg"
        ),
        pytest.param(
            df("FROM golang:1.24", "ARG GO_PROXY", "ENV GOPROXY=$GO_PROXY"), id="used-build-arg"
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOOGLE_APPLICATION_CREDENTIALS=/k.json GORELEASER_KEY=x"),
            id="other-tools",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go env -w CC=clang GOPROXY=direct"), id="go-env-w-known"
        ),
        pytest.param(df("FROM golang:1.24", "ENV GO_LDFLAGS=-s"), id="user-variable"),
    ],
)
def test_gb118_quiet(run_rule: RunRule, text: str) -> None:
    assert run_rule(misspelled_go_variable, text) == []


def test_gb118_fix(fix_rule: FixRule) -> None:
    result, again = fix_rule(
        misspelled_go_variable, df("FROM golang:1.24", "ENV GONOSUMBD=git.corp/*")
    )
    assert result == df("FROM golang:1.24", "ENV GONOSUMDB=git.corp/*")
    assert again == []


def test_gb118_no_fix_when_the_right_name_is_set_too(run_rule: RunRule) -> None:
    text = df("FROM golang:1.24", "ENV GO_PROXY=https://a GOPROXY=https://b")
    finding = one(run_rule(misspelled_go_variable, text))
    assert finding.fix is None
