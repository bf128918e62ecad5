"""Tests for the final-stage rules (GB140-GB143)."""

from __future__ import annotations

import pytest

from gobuildgui.core.dockerfile.rules.final_stage import (
    build_settings_in_final_stage,
    cgo_binary_in_static_image,
    golang_final_image,
    scratch_without_ca_certificates,
)
from gobuildgui.core.model import Applicability
from tests.unit.core.rules.conftest import FixRule, RunRule


def df(*lines: str) -> str:
    return "\n".join(lines) + "\n"


BUILD = ("FROM golang:1.24 AS build", "WORKDIR /src", "COPY . .")
SCRATCH_APP = ("FROM scratch", "COPY --from=build /out/app /app", 'ENTRYPOINT ["/app"]')

# ---------------------------------------------------------------------------------
# GB140


@pytest.mark.parametrize(
    ("text", "line", "column", "end_column"),
    [
        pytest.param(
            df(*BUILD, "RUN go build -o /out/app ./cmd/app", *SCRATCH_APP),
            4,
            5,
            35,
            id="debian-to-scratch",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o /out/app .",
                "FROM gcr.io/distroless/static-debian12",
                "COPY --from=build /out/app /app",
            ),
            4,
            5,
            27,
            id="distroless-static-needs-no-cmd",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o server .",
                "FROM alpine:3.20",
                "COPY --from=build /src/server /server",
            ),
            4,
            5,
            25,
            id="relative-output-in-workdir-to-alpine",
        ),
        pytest.param(
            df(
                "FROM golang:1.24-bookworm AS build",
                "RUN go install ./cmd/app",
                "FROM gcr.io/distroless/static",
                "COPY --from=build /go/bin/app /app",
            ),
            2,
            5,
            25,
            id="go-install-into-gopath-bin",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build .",
                "FROM gcr.io/distroless/static",
                "COPY --from=build /src/app /app",
            ),
            4,
            5,
            15,
            id="no-output-flag-binary-in-workdir",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN cd cmd/app && go build -o ../../bin/app",
                "FROM scratch",
                "COPY --from=build /src/bin/app /app",
                'CMD ["/app"]',
            ),
            4,
            19,
            44,
            id="cd-before-build",
        ),
        pytest.param(
            df(*BUILD, "ARG OUT=/out", "RUN go build -o ${OUT}/app .", *SCRATCH_APP),
            5,
            5,
            29,
            id="output-through-arg-default",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o /out/app .",
                "FROM scratch AS runtime",
                "COPY --from=build /out/ /",
                "FROM runtime",
                'CMD ["/app"]',
            ),
            4,
            5,
            27,
            id="final-stage-built-on-a-scratch-stage",
        ),
        pytest.param(
            df(
                "FROM golang:1.24-alpine AS build",
                "RUN apk add --no-cache gcc musl-dev",
                "RUN go build -o /out/app .",
                *SCRATCH_APP,
            ),
            3,
            5,
            27,
            id="alpine-builder-with-gcc-to-scratch",
        ),
        pytest.param(
            df(*BUILD, "ENV CGO_ENABLED=1", "RUN go build -o /out/app .", *SCRATCH_APP),
            5,
            5,
            27,
            id="explicit-cgo-on",
        ),
        pytest.param(
            df(*BUILD, "RUN go build -tags netgo -o /out/app .", *SCRATCH_APP),
            4,
            5,
            39,
            id="netgo-without-osusergo",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o /out/app ./cmd/app",
                "FROM scratch",
                "COPY --from=0 /out/app /app",
                'CMD ["/app"]',
            ),
            4,
            5,
            35,
            id="copy-from-stage-index",
        ),
    ],
)
def test_gb140_fires(run_rule: RunRule, text: str, line: int, column: int, end_column: int) -> None:
    findings = run_rule(cgo_binary_in_static_image, text)
    assert len(findings) == 1
    span = findings[0].span
    assert (span.line, span.column, span.end_column) == (line, column, end_column)
    assert "CGO" in (findings[0].message or "")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df(*BUILD, "ENV CGO_ENABLED=0", "RUN go build -o /out/app .", *SCRATCH_APP),
            id="env-off",
        ),
        pytest.param(
            df(*BUILD, "ARG CGO_ENABLED=0", "RUN go build -o /out/app .", *SCRATCH_APP),
            id="arg-default-off",
        ),
        pytest.param(
            df(*BUILD, "ARG CGO_ENABLED", "RUN go build -o /out/app .", *SCRATCH_APP),
            id="arg-given-at-build-time",
        ),
        pytest.param(
            df(*BUILD, "RUN CGO_ENABLED=0 go build -o /out/app .", *SCRATCH_APP), id="inline-off"
        ),
        pytest.param(
            df(*BUILD, "RUN go env -w CGO_ENABLED=0", "RUN go build -o /out/app .", *SCRATCH_APP),
            id="go-env-w-off",
        ),
        pytest.param(
            df(*BUILD, "RUN export CGO_ENABLED=0 && go build -o /out/app .", *SCRATCH_APP),
            id="export-off",
        ),
        pytest.param(
            df(
                "FROM golang:1.24 AS base",
                "ENV CGO_ENABLED=0",
                "FROM base AS build",
                "RUN go build -o /out/app .",
                *SCRATCH_APP,
            ),
            id="off-in-parent-stage",
        ),
        pytest.param(
            df("FROM golang:1.24-alpine AS build", "RUN go build -o /out/app .", *SCRATCH_APP),
            id="alpine-builder-has-no-gcc",
        ),
        pytest.param(
            df(
                "FROM golang:1.24-alpine AS build",
                "RUN apk add gcc musl-dev",
                "RUN go build -o /out/app .",
                "FROM alpine:3.20",
                "COPY --from=build /out/app /app",
            ),
            id="musl-to-musl",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -ldflags '-linkmode external -extldflags \"-static\"' -o /out/app .",
                *SCRATCH_APP,
            ),
            id="static-external-link",
        ),
        pytest.param(
            df(*BUILD, "RUN go build -ldflags=-extldflags=-static -o /out/app .", *SCRATCH_APP),
            id="static-ldflags-equals",
        ),
        pytest.param(
            df(*BUILD, "RUN go build -tags netgo,osusergo -o /out/app .", *SCRATCH_APP),
            id="netgo-osusergo",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o /out/app .",
                "FROM gcr.io/distroless/base-debian12",
                "COPY --from=build /out/app /app",
            ),
            id="glibc-runtime",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o /out/app .",
                "FROM debian:bookworm-slim",
                "COPY --from=build /out/app /app",
            ),
            id="debian-runtime",
        ),
        pytest.param(
            df(
                *BUILD, "RUN go build -o /out/app .", "FROM scratch", "COPY --from=build /out/app /"
            ),
            id="export-stage-without-cmd",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o /out/app .",
                "FROM alpine:3.20",
                "RUN apk add --no-cache gcompat",
                "COPY --from=build /out/app /app",
            ),
            id="alpine-with-gcompat",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o /out/app .",
                "FROM scratch",
                "COPY --from=build /src/config.yaml /config.yaml",
                'CMD ["/x"]',
            ),
            id="copies-something-else",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN GOOS=windows go build -o /out/app.exe .",
                "FROM scratch",
                "COPY --from=build /out/app.exe /app.exe",
                'CMD ["/app.exe"]',
            ),
            id="not-a-linux-binary",
        ),
        pytest.param(
            df("FROM ubuntu:24.04 AS build", "RUN go build -o /out/app .", *SCRATCH_APP),
            id="builder-not-golang",
        ),
        pytest.param(
            df(
                "ARG TAG", "FROM golang:${TAG} AS build", "RUN go build -o /out/app .", *SCRATCH_APP
            ),
            id="tag-unknown-until-build-time",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build -o /out/app .",
                "FROM scratch",
                "COPY --from=golang:1.24 /usr/local/go /go",
                'CMD ["/x"]',
            ),
            id="copy-from-external-image",
        ),
        pytest.param(
            df(
                *BUILD,
                "RUN go build ./...",
                "FROM scratch",
                "COPY --from=build /src/app /app",
                'CMD ["/app"]',
            ),
            id="several-packages-keep-no-binary",
        ),
    ],
)
def test_gb140_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(cgo_binary_in_static_image, text) == []


def test_gb140_fix_prefixes_cgo_off(fix_rule: FixRule) -> None:
    text = df(*BUILD, "RUN go build -o /out/app ./cmd/app", *SCRATCH_APP)
    fixed, after = fix_rule(cgo_binary_in_static_image, text)
    assert fixed == text.replace("RUN go build", "RUN CGO_ENABLED=0 go build")
    assert after == []


def test_gb140_fix_keeps_other_inline_settings(fix_rule: FixRule) -> None:
    text = df(*BUILD, "RUN GOOS=linux GOARCH=arm64 go build -o /out/app .", *SCRATCH_APP)
    fixed, after = fix_rule(cgo_binary_in_static_image, text)
    assert "RUN GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -o /out/app ." in fixed
    assert after == []


def test_gb140_fix_is_unsafe_and_notes_name_the_copy(run_rule: RunRule) -> None:
    text = df(*BUILD, "RUN go build -o /out/app ./cmd/app", *SCRATCH_APP)
    (finding,) = run_rule(cgo_binary_in_static_image, text)
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert finding.notes == (
        "final stage: FROM scratch (line 5)",
        "binary copied by COPY --from=build on line 6",
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df(*BUILD, "ENV CGO_ENABLED=1", "RUN go build -o /out/app .", *SCRATCH_APP),
            id="explicit-cgo-on",
        ),
        pytest.param(
            df(*BUILD, 'RUN ["go", "build", "-o", "/out/app", "."]', *SCRATCH_APP), id="exec-form"
        ),
    ],
)
def test_gb140_no_automatic_fix(run_rule: RunRule, text: str) -> None:
    (finding,) = run_rule(cgo_binary_in_static_image, text)
    assert finding.fix is None


def test_gb140_explicit_cgo_message_points_at_static_link(run_rule: RunRule) -> None:
    text = df(*BUILD, "ENV CGO_ENABLED=1", "RUN go build -o /out/app .", *SCRATCH_APP)
    (finding,) = run_rule(cgo_binary_in_static_image, text)
    assert "CGO_ENABLED=1 is set (line 4)" in (finding.message or "")
    assert "extldflags" in (finding.message or "")


# ---------------------------------------------------------------------------------
# GB141

GOOD_BUILD = ("FROM golang:1.24 AS build", "RUN CGO_ENABLED=0 go build -o /out/app .")


@pytest.mark.parametrize(
    ("text", "files", "line", "column"),
    [
        pytest.param(df(*GOOD_BUILD, *SCRATCH_APP), None, 3, 6, id="scratch-with-entrypoint"),
        pytest.param(
            df(*GOOD_BUILD, *SCRATCH_APP),
            {"go.mod": "module x\n\ngo 1.24\n"},
            3,
            6,
            id="go-mod-without-fallback",
        ),
        pytest.param(
            df(
                *GOOD_BUILD,
                "FROM scratch AS base",
                "FROM base",
                "COPY --from=build /out/app /app",
                'CMD ["/app"]',
            ),
            None,
            4,
            6,
            id="final-built-on-scratch-stage",
        ),
        pytest.param(
            df("FROM debian:12 AS build", "RUN make", *SCRATCH_APP),
            None,
            3,
            6,
            id="source-stage-without-bundle",
        ),
    ],
)
def test_gb141_fires(
    run_rule: RunRule, text: str, files: dict[str, str] | None, line: int, column: int
) -> None:
    findings = run_rule(scratch_without_ca_certificates, text, files)
    assert len(findings) == 1
    assert (findings[0].span.line, findings[0].span.column) == (line, column)


@pytest.mark.parametrize(
    ("text", "files"),
    [
        pytest.param(
            df(
                *GOOD_BUILD,
                "FROM scratch",
                "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
                "COPY --from=build /out/app /app",
                'CMD ["/app"]',
            ),
            None,
            id="bundle-file",
        ),
        pytest.param(
            df(
                *GOOD_BUILD,
                "FROM scratch",
                "COPY --from=build /etc/ssl/certs /etc/ssl/certs",
                "COPY --from=build /out/app /app",
                'CMD ["/app"]',
            ),
            None,
            id="certs-folder",
        ),
        pytest.param(
            df(
                *GOOD_BUILD,
                "FROM scratch",
                "COPY corp-root.pem /certs/",
                "ENV SSL_CERT_FILE=/certs/corp-root.pem",
                "COPY --from=build /out/app /app",
                'CMD ["/app"]',
            ),
            None,
            id="own-bundle-and-ssl-cert-file",
        ),
        pytest.param(
            df(*GOOD_BUILD, *SCRATCH_APP),
            {
                "go.mod": "module x\n\nrequire golang.org/x/crypto/x509roots/fallback"
                " v0.0.0-20240604170348-d4e7c9cb6cb8\n"
            },
            id="embedded-fallback-roots",
        ),
        pytest.param(
            df(*GOOD_BUILD, "FROM scratch", "COPY --from=build /out/app /"), None, id="export-stage"
        ),
        pytest.param(
            df(*GOOD_BUILD, "FROM alpine:3.20", "COPY --from=build /out/app /app", 'CMD ["/app"]'),
            None,
            id="not-scratch",
        ),
        pytest.param(
            df("FROM scratch", "ADD rootfs.tar.gz /", 'CMD ["/bin/sh"]'), None, id="rootfs-tarball"
        ),
        pytest.param(
            df(*GOOD_BUILD, "FROM scratch", "COPY --from=build / /", 'CMD ["/app"]'),
            None,
            id="whole-filesystem",
        ),
    ],
)
def test_gb141_silent(run_rule: RunRule, text: str, files: dict[str, str] | None) -> None:
    assert run_rule(scratch_without_ca_certificates, text, files) == []


def test_gb141_fix_copies_bundle_from_binary_stage(fix_rule: FixRule) -> None:
    text = df(*GOOD_BUILD, *SCRATCH_APP)
    fixed, after = fix_rule(scratch_without_ca_certificates, text)
    assert fixed == df(
        *GOOD_BUILD,
        "FROM scratch",
        "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
        "COPY --from=build /out/app /app",
        'ENTRYPOINT ["/app"]',
    )
    assert after == []


def test_gb141_fix_keeps_crlf_and_uses_stage_index(fix_rule: FixRule) -> None:
    text = "FROM golang:1.24-alpine\r\nRUN go build -o /app .\r\nFROM scratch\r\n"
    text += 'COPY --from=0 /app /app\r\nCMD ["/app"]\r\n'
    fixed, after = fix_rule(scratch_without_ca_certificates, text)
    assert fixed == text.replace(
        "FROM scratch\r\n",
        "FROM scratch\r\nCOPY --from=0 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\r\n",
    )
    assert after == []


def test_gb141_fix_at_end_of_file_without_newline(fix_rule: FixRule) -> None:
    text = 'FROM golang:1.24 AS b\nFROM scratch AS base\nCOPY --from=b /app /app\nCMD ["/app"]\n'
    text += "FROM base"
    fixed, after = fix_rule(scratch_without_ca_certificates, text)
    assert fixed == text + "\nCOPY --from=b /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"
    assert after == []


def test_gb141_no_fix_when_source_has_no_bundle(run_rule: RunRule) -> None:
    (finding,) = run_rule(
        scratch_without_ca_certificates, df("FROM debian:12 AS build", "RUN make", *SCRATCH_APP)
    )
    assert finding.fix is None
    assert "x509" in (finding.message or "")


# ---------------------------------------------------------------------------------
# GB142

RUNTIME = ("FROM gcr.io/distroless/static-debian12",)


@pytest.mark.parametrize(
    ("text", "line", "column", "key"),
    [
        pytest.param(
            df(*GOOD_BUILD, *RUNTIME, "ENV GOPROXY=https://athens.corp"),
            4,
            5,
            "GOPROXY",
            id="goproxy",
        ),
        pytest.param(
            df(*GOOD_BUILD, *RUNTIME, "ENV GOFLAGS -mod=mod"), 4, 5, "GOFLAGS", id="legacy-form"
        ),
        pytest.param(
            df(*GOOD_BUILD, *RUNTIME, "ENV TZ=UTC https_proxy=http://p:3128"),
            4,
            12,
            "https_proxy",
            id="lowercase-proxy",
        ),
        pytest.param(
            df(
                "FROM alpine:3.20", "ENV GOPRIVATE=github.com/acme/*", "RUN apk add --no-cache curl"
            ),
            2,
            5,
            "GOPRIVATE",
            id="single-stage-without-go",
        ),
        pytest.param(df(*GOOD_BUILD, *RUNTIME, "ENV GOSUMDB=off"), 4, 5, "GOSUMDB", id="gosumdb"),
    ],
)
def test_gb142_fires(run_rule: RunRule, text: str, line: int, column: int, key: str) -> None:
    findings = run_rule(build_settings_in_final_stage, text)
    assert len(findings) == 1
    assert (findings[0].span.line, findings[0].span.column) == (line, column)
    assert f"ENV {key}" in (findings[0].message or "")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df("FROM golang:1.24", "ENV GOPROXY=https://athens.corp", "RUN go build -o /app ."),
            id="final-stage-runs-go",
        ),
        pytest.param(
            df("FROM golang:1.24", "ENV GOFLAGS=-mod=vendor", "RUN make build"),
            id="golang-final-runs-make",
        ),
        pytest.param(
            df(
                "FROM golang:1.24 AS build",
                "ENV GOPROXY=https://athens.corp",
                "RUN go build -o /app .",
                *RUNTIME,
                "COPY --from=build /app /app",
            ),
            id="only-in-build-stage",
        ),
        pytest.param(
            df(*GOOD_BUILD, *RUNTIME, "ARG GOPROXY=https://athens.corp"), id="arg-not-env"
        ),
        pytest.param(
            df(*GOOD_BUILD, *RUNTIME, "ENV GOMAXPROCS=4 GODEBUG=http2client=0"),
            id="runtime-variables",
        ),
        pytest.param(df(*GOOD_BUILD, *RUNTIME, "ENV GOPROXYS=x"), id="not-a-go-setting"),
    ],
)
def test_gb142_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(build_settings_in_final_stage, text) == []


@pytest.mark.parametrize(
    ("env_lines", "index", "expected"),
    [
        pytest.param(["ENV GOPROXY=https://athens.corp"], 0, [], id="only-pair-deletes-line"),
        pytest.param(["ENV GOPROXY=x TZ=UTC"], 0, ["ENV TZ=UTC"], id="first-pair"),
        pytest.param(["ENV TZ=UTC GOPROXY=x"], 0, ["ENV TZ=UTC"], id="last-pair"),
        pytest.param(["ENV TZ=UTC GOPROXY=x LANG=C"], 0, ["ENV TZ=UTC LANG=C"], id="middle-pair"),
        pytest.param(
            ["ENV TZ=UTC \\", "    GOPROXY=x"], 0, ["ENV TZ=UTC"], id="pair-on-continuation-line"
        ),
        pytest.param(
            ["ENV GOPROXY=x \\", "    TZ=UTC"], 0, ["ENV TZ=UTC"], id="pair-before-continuation"
        ),
        pytest.param(["ENV GOFLAGS -mod=mod"], 0, [], id="legacy"),
    ],
)
def test_gb142_fix_removes_setting(
    fix_rule: FixRule, env_lines: list[str], index: int, expected: list[str]
) -> None:
    text = df(*GOOD_BUILD, *RUNTIME, *env_lines, "COPY --from=build /out/app /app")
    fixed, after = fix_rule(build_settings_in_final_stage, text, index=index)
    assert fixed == df(*GOOD_BUILD, *RUNTIME, *expected, "COPY --from=build /out/app /app")
    assert after == []


def test_gb142_fix_is_unsafe(run_rule: RunRule) -> None:
    (finding,) = run_rule(build_settings_in_final_stage, df(*RUNTIME, "ENV HTTP_PROXY=http://p"))
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert "--build-arg HTTP_PROXY" in (finding.message or "")


# ---------------------------------------------------------------------------------
# GB143


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param(
            df(
                "FROM golang:1.24",
                "WORKDIR /src",
                "COPY . .",
                "RUN go build -o /app .",
                'CMD ["/app"]',
            ),
            1,
            6,
            id="single-stage-build",
        ),
        pytest.param(
            df(
                "FROM golang:1.24 AS build",
                "COPY . .",
                "RUN go build -o /app .",
                "FROM build",
                'CMD ["/app"]',
            ),
            4,
            6,
            id="final-stage-on-build-stage",
        ),
        pytest.param(
            df("FROM golang:1.24-alpine", "COPY . .", 'CMD ["go", "run", "."]'),
            1,
            6,
            id="sources-and-cmd",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go install ./cmd/app"),
            1,
            6,
            id="install-of-local-package",
        ),
    ],
)
def test_gb143_fires(run_rule: RunRule, text: str, line: int, column: int) -> None:
    findings = run_rule(golang_final_image, text)
    assert len(findings) == 1
    assert (findings[0].span.line, findings[0].span.column) == (line, column)
    assert findings[0].fix is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            df(*GOOD_BUILD, *RUNTIME, "COPY --from=build /out/app /app"), id="multi-stage"
        ),
        pytest.param(
            df("FROM golang:1.24 AS test", "COPY . .", "RUN go build ./... && go test ./..."),
            id="test-stage-name",
        ),
        pytest.param(
            df("FROM golang:1.24", "RUN go install golang.org/x/tools/cmd/goimports@v0.24.0"),
            id="tool-image",
        ),
        pytest.param(
            df("FROM golang:1.24", "COPY . .", "RUN go vet ./..."),
            id="sources-but-no-start-command",
        ),
        pytest.param(df("FROM alpine:3.20", "COPY app /app", 'CMD ["/app"]'), id="not-golang"),
    ],
)
def test_gb143_silent(run_rule: RunRule, text: str) -> None:
    assert run_rule(golang_final_image, text) == []
