"""Dockerfile fixes: each changes only the lines it must, with the parser's spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from gobuildgui.core.fixes import FIXES, FixContext, FixError, FixPlan
from gobuildgui.core.fixes.write import plan_diff
from tests.unit.core.fixes.helpers import changed_lines

DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM golang:1.21-alpine AS build
WORKDIR /src
ENV HTTP_PROXY=http://bob:hunter2-pw@proxy.corp:3128 CGO_ENABLED=0
ENV https_proxy http://proxy.corp:3128
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
"""


def _build(
    tmp_path: Path,
    fix_id: str,
    settings: dict[str, str] | None = None,
    text: str = DOCKERFILE,
    go_mod: str | None = "module x.test/app\n\ngo 1.22\n",
) -> tuple[FixPlan, str]:
    df = tmp_path / "Dockerfile"
    df.write_text(text)
    if go_mod is not None:
        (tmp_path / "go.mod").write_text(go_mod)
    ctx = FixContext(platform="linux", env={}, dockerfile=df)
    plan = FIXES[fix_id].build(settings or {}, ctx)
    return plan, plan.changes[0].new_text


def test_proxy_args_removes_only_the_proxy_pairs(tmp_path: Path) -> None:
    plan, new = _build(tmp_path, "dockerfile-proxy-args")
    removed, added = changed_lines(DOCKERFILE, new)
    assert removed == [
        "ENV HTTP_PROXY=http://bob:hunter2-pw@proxy.corp:3128 CGO_ENABLED=0",
        "ENV https_proxy http://proxy.corp:3128",
    ]
    assert added == ["ENV CGO_ENABLED=0"]
    assert (
        plan.followups[0].command
        == "docker build --build-arg HTTP_PROXY=... --build-arg HTTPS_PROXY=... ."
    )
    assert "hunter2-pw" in plan.secrets
    assert "hunter2-pw" not in plan_diff(plan)


def test_goproxy_inserted_before_the_download(tmp_path: Path) -> None:
    _, new = _build(
        tmp_path,
        "dockerfile-goproxy",
        {"GOPROXY": "https://goproxy.corp.example|direct", "GONOSUMDB": "git.corp.example"},
    )
    removed, added = changed_lines(DOCKERFILE, new)
    assert removed == []
    assert added == [
        "ENV GOPROXY=https://goproxy.corp.example|direct",
        "ENV GONOSUMDB=git.corp.example",
    ]
    assert new.index("ENV GOPROXY") < new.index("RUN go mod download")
    assert new.index("COPY go.mod go.sum ./") < new.index("ENV GOPROXY")


def test_goproxy_replaces_an_existing_env_value_in_place(tmp_path: Path) -> None:
    text = DOCKERFILE.replace(
        "WORKDIR /src\n", "WORKDIR /src\nENV GOPROXY=direct GOFLAGS=-mod=mod\n"
    )
    _, new = _build(
        tmp_path, "dockerfile-goproxy", {"GOPROXY": "https://proxy.golang.org,direct"}, text
    )
    assert changed_lines(text, new) == (
        ["ENV GOPROXY=direct GOFLAGS=-mod=mod"],
        ["ENV GOPROXY=https://proxy.golang.org,direct GOFLAGS=-mod=mod"],
    )


def test_goproxy_as_build_arg_and_quoting(tmp_path: Path) -> None:
    _, new = _build(
        tmp_path,
        "dockerfile-goproxy",
        {
            "GOPROXY": "https://p.example",
            "GOSUMDB": "sum.golang.org https://sum.corp.example",
            "as-arg": "true",
        },
    )
    _, added = changed_lines(DOCKERFILE, new)
    assert added == [
        "ARG GOPROXY=https://p.example",
        "ENV GOPROXY=${GOPROXY}",
        'ENV GOSUMDB="sum.golang.org https://sum.corp.example"',
    ]


def test_ca_cert_for_alpine_golang(tmp_path: Path) -> None:
    (tmp_path / "corp-ca.crt").write_text("-----BEGIN CERTIFICATE-----\n")
    plan, new = _build(tmp_path, "dockerfile-ca-cert")
    _, added = changed_lines(DOCKERFILE, new)
    assert added == [
        "COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt",
        "RUN update-ca-certificates",
    ]
    assert new.index("RUN update-ca-certificates") < new.index("RUN go mod download")
    assert plan.warnings == ()


def test_ca_cert_for_plain_alpine_installs_the_package_and_warns_missing_file(
    tmp_path: Path,
) -> None:
    text = "FROM alpine:3.20\nRUN apk add go\nRUN go mod download\n"
    plan, new = _build(tmp_path, "dockerfile-ca-cert", {"cert": "certs/ca.pem"}, text)
    _, added = changed_lines(text, new)
    assert added == [
        "COPY certs/ca.pem /usr/local/share/ca-certificates/ca.crt",
        "RUN apk add --no-cache ca-certificates && update-ca-certificates",
    ]
    assert "does not exist yet" in plan.warnings[0]


def test_cache_mounts(tmp_path: Path) -> None:
    _, new = _build(tmp_path, "dockerfile-cache-mount")
    assert changed_lines(DOCKERFILE, new) == (
        ["RUN go mod download", "RUN go build -o /out/app ./cmd/app"],
        [
            "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
            "RUN --mount=type=cache,target=/go/pkg/mod"
            " --mount=type=cache,target=/root/.cache/go-build"
            " go build -o /out/app ./cmd/app",
        ],
    )
    with pytest.raises(FixError, match="already has its cache mounts"):
        _build(tmp_path, "dockerfile-cache-mount", text=new)


def test_private_auth_netrc_and_ssh(tmp_path: Path) -> None:
    plan, new = _build(tmp_path, "dockerfile-private-auth", {"GOPRIVATE": "github.com/org/*"})
    removed, added = changed_lines(DOCKERFILE, new)
    assert removed == ["RUN go mod download"]
    assert added == [
        "ENV GOPRIVATE=github.com/org/*",
        "RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download",
    ]
    assert plan.followups[0].command == "docker build --secret id=netrc,src=$HOME/.netrc ."
    plan, new = _build(
        tmp_path, "dockerfile-private-auth", {"method": "ssh", "git-host": "git.corp.example"}
    )
    _, added = changed_lines(DOCKERFILE, new)
    assert added == [
        "RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan git.corp.example >> ~/.ssh/known_hosts",
        'RUN git config --global url."ssh://git@git.corp.example/".insteadOf'
        ' "https://git.corp.example/"',
        "RUN --mount=type=ssh go mod download",
    ]


def test_go_version_from_go_mod_keeps_the_variant(tmp_path: Path) -> None:
    _plan, new = _build(tmp_path, "dockerfile-go-version")
    assert changed_lines(DOCKERFILE, new) == (
        ["FROM golang:1.21-alpine AS build"],
        ["FROM golang:1.22-alpine AS build"],
    )
    _, new = _build(
        tmp_path, "dockerfile-go-version", go_mod="module x\n\ngo 1.22.3\ntoolchain go1.23.1\n"
    )
    assert "FROM golang:1.23.1-alpine AS build" in new
    with pytest.raises(FixError, match=r"no golang image older than Go 1\.21"):
        _build(tmp_path, "dockerfile-go-version", {"version": "1.21"})
    (tmp_path / "go.mod").unlink()
    with pytest.raises(FixError, match=r"no go\.mod"):
        _build(tmp_path, "dockerfile-go-version", go_mod=None)


def test_lint_fix_applies_safe_fixes_of_the_chosen_codes(tmp_path: Path) -> None:
    text = "from golang:1.22 AS build\nENV GOFLAGS -mod=mod\nrun go mod download\n"
    plan, new = _build(tmp_path, "dockerfile-lint-fix", {"codes": "GB004"}, text)
    assert new == "FROM golang:1.22 AS build\nENV GOFLAGS -mod=mod\nRUN go mod download\n"
    plan, new = _build(tmp_path, "dockerfile-lint-fix", {}, text)
    assert new == "FROM golang:1.22 AS build\nENV GOFLAGS=-mod=mod\nRUN go mod download\n"
    assert any("GB106" in w and "unsafe" in w for w in plan.warnings)
    with pytest.raises(FixError, match="no applicable lint fix for GB999"):
        _build(tmp_path, "dockerfile-lint-fix", {"codes": "GB999"}, text)


def test_nothing_to_do_is_an_error_not_an_empty_plan(tmp_path: Path) -> None:
    with pytest.raises(FixError, match="no ENV instruction sets a proxy"):
        _build(tmp_path, "dockerfile-proxy-args", text="FROM golang:1.22\nRUN go build .\n")
    with pytest.raises(FixError, match="no RUN step runs go mod download"):
        _build(
            tmp_path, "dockerfile-goproxy", {"GOPROXY": "off"}, text="FROM alpine\nRUN echo hi\n"
        )


def test_crlf_dockerfile_keeps_crlf(tmp_path: Path) -> None:
    text = DOCKERFILE.replace("\n", "\r\n")
    _, new = _build(tmp_path, "dockerfile-goproxy", {"GOPROXY": "https://p.example"}, text)
    assert "ENV GOPROXY=https://p.example\r\nRUN go mod download\r\n" in new
    assert "\n" not in new.replace("\r\n", "")


def test_cache_mount_on_an_unknown_image_warns_and_takes_an_override(tmp_path: Path) -> None:
    text = "FROM corp/go-builder:1\nRUN go mod download\n"
    plan, new = _build(tmp_path, "dockerfile-cache-mount", text=text)
    assert "RUN --mount=type=cache,target=/root/go/pkg/mod go mod download" in new
    assert any("corp/go-builder:1 is not an official golang image" in w for w in plan.warnings)
    plan, new = _build(tmp_path, "dockerfile-cache-mount", {"modcache": "/go/pkg/mod"}, text)
    assert "RUN --mount=type=cache,target=/go/pkg/mod go mod download" in new
    text = "FROM corp/go-builder:1\nENV GOPATH=/work\nRUN go mod download\n"
    plan, new = _build(tmp_path, "dockerfile-cache-mount", text=text)
    assert "target=/work/pkg/mod" in new
    assert not any("not an official golang image" in w for w in plan.warnings)


def test_lint_fix_for_one_diagnostic(tmp_path: Path) -> None:
    from gobuildgui.core.dockerfile.lint import lint
    from gobuildgui.core.fixes import fixes_for_diagnostic, lint_fix_settings

    text = "from golang:1.22 AS build\nENV GOFLAGS -mod=mod\nrun go mod download\n"
    diag = next(d for d in lint(text).diagnostics if d.code == "GB004" and d.span.line == 3)
    assert fixes_for_diagnostic(diag)[0] == "dockerfile-lint-fix"
    settings = lint_fix_settings(diag)
    assert settings == {"codes": "GB004", "line": "3"}
    _, new = _build(tmp_path, "dockerfile-lint-fix", settings, text)
    assert new == "from golang:1.22 AS build\nENV GOFLAGS -mod=mod\nRUN go mod download\n"
    unsafe = next(d for d in lint(text).diagnostics if d.code == "GB106")
    assert lint_fix_settings(unsafe)["unsafe"] == "true"


def test_proxy_pair_removed_from_a_continued_env(tmp_path: Path) -> None:
    from gobuildgui.core.dockerfile.parser import parse

    text = (
        "FROM golang:1.22\n"
        "ENV CGO_ENABLED=0 \\\n    HTTPS_PROXY=http://p:1 \\\n    GOFLAGS=-mod=mod\n"
        "RUN go mod download\n"
    )
    _, new = _build(tmp_path, "dockerfile-proxy-args", text=text)
    (env,) = parse(new).by_keyword("ENV")
    assert [(kv.key, kv.value) for kv in env.key_values] == [
        ("CGO_ENABLED", "0"),
        ("GOFLAGS", "-mod=mod"),
    ]
    assert not parse(new).problems


def test_go_version_by_toolchain_switching(tmp_path: Path) -> None:
    text = DOCKERFILE.replace("golang:1.21-alpine", "golang:1.21.5-alpine")
    _, new = _build(tmp_path, "dockerfile-go-version", {"method": "toolchain"}, text)
    assert changed_lines(text, new) == ([], ["ENV GOTOOLCHAIN=auto"])
    assert new.index("ENV GOTOOLCHAIN=auto") < new.index("RUN go mod download")
    old = DOCKERFILE.replace("golang:1.21-alpine", "golang:1.20")
    with pytest.raises(FixError, match=r"cannot switch toolchains"):
        _build(tmp_path, "dockerfile-go-version", {"method": "toolchain"}, old)


def test_every_option_does_something() -> None:
    from gobuildgui.core.fixes import FIXES

    for spec in FIXES.values():
        for option in spec.options:
            if option.recommended:
                continue  # the fix as it is
            assert option.settings or option.fix_id or option.manual, (spec.fix_id, option)
