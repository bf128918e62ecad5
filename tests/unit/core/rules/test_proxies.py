"""Tests for the proxy, certificate and verification rules (GB120–GB126)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gobuildgui.core.dockerfile.rule import Finding
from gobuildgui.core.dockerfile.rules.proxies import (
    RULES,
    broad_public_pattern,
    find_userinfo,
    go_insecure_flag,
    mask_credentials,
    no_proxy_covers,
    no_proxy_misses_internal,
    proxy_credentials,
    proxy_set_with_env,
    proxy_without_ca,
    uppercase_proxy_only,
    verification_disabled,
)
from gobuildgui.core.model import Applicability

# The shapes of the ``run_rule`` and ``fix_rule`` fixtures (conftest.py).
RunRule = Callable[..., list[Finding]]
FixRule = Callable[..., tuple[str, list[Finding]]]

FROM = "FROM golang:1.24\n"


def lines_cols(findings: list[Finding]) -> list[tuple[int, int]]:
    return [(f.span.line, f.span.column) for f in findings]


def test_module_exports_its_rules() -> None:
    assert [r.code for r in RULES] == [
        "GB120",
        "GB121",
        "GB122",
        "GB123",
        "GB124",
        "GB125",
        "GB126",
    ]
    for r in RULES:
        for heading in ("## What it does", "## Why is this bad?", "## Example"):
            assert heading in r.doc, (r.code, heading)


# ---------------------------------------------------------------------------------
# Helpers


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("http://jdoe:s3cret@proxy:3128", "http://jdoe:****@proxy:3128"),
        ("https://ghp_abcdefghijklmnopqrstuvwxyz@github.com/", "https://****@github.com/"),
        ("https://x:${GH_TOKEN}@github.com/", "https://x:${GH_TOKEN}@github.com/"),
        ("https://$TOKEN@github.com/", "https://$TOKEN@github.com/"),
        ("ssh://git@github.com/acme", "ssh://git@github.com/acme"),
        ("http://proxy:3128", "http://proxy:3128"),
        ("a http://u:p@h and https://v:q@i", "a http://u:****@h and https://v:****@i"),
        ("ghp_abcdefghijklmnopqrstu:x-oauth-basic@github.com", None),
    ],
)
def test_mask_credentials(text: str, masked: str | None) -> None:
    if masked is None:  # no scheme: only masked in ``bare`` mode
        assert mask_credentials(text, bare=True) == "****:****@github.com"
    else:
        assert mask_credentials(text) == masked


@pytest.mark.parametrize(
    ("text", "has_credential"),
    [
        ("http://u:p@proxy", True),
        ("http://u:${P}@proxy", True),
        ("https://${TOKEN}@github.com", True),
        ("https://jdoe@proxy", False),
        ("ssh://git@github.com", False),
        ("https://TOKEN_abcdefghijklmnopqrstuvwxyz@h", True),
    ],
)
def test_find_userinfo(text: str, has_credential: bool) -> None:
    infos = list(find_userinfo(text))
    assert len(infos) == 1
    assert infos[0].has_credential is has_credential


@pytest.mark.parametrize(
    ("entries", "host", "covered"),
    [
        (["localhost", ".corp.example"], "athens.corp.example", True),
        (["corp.example"], "athens.corp.example", True),
        (["*.corp.example"], "athens.corp.example", True),
        (["*"], "anything", True),
        (["athens.corp.example:443"], "athens.corp.example", True),
        (["10.0.0.0/8"], "10.1.2.3", True),
        (["localhost"], "athens.corp.example", False),
        (["example"], "athens.corp.example", True),  # as Go: a name covers its subdomains
        (["xample"], "athens.corp.example", False),
        (["corp.example"], ".corp.example", True),
        ([".example"], ".corp.example", True),
        (["other.example"], ".corp.example", False),
    ],
)
def test_no_proxy_covers(entries: list[str], host: str, covered: bool) -> None:
    assert no_proxy_covers(entries, host) is covered


@pytest.mark.parametrize(
    ("pattern", "broad"),
    [
        ("*", True),
        ("*.com", True),
        ("github.com", True),
        ("github.com/*", True),
        ("golang.org/x/*", True),
        ("github.com/acme/*", False),
        ("git.corp.example", False),
        ("*.corp.example", False),
        ("", False),
    ],
)
def test_broad_public_pattern(pattern: str, broad: bool) -> None:
    assert (broad_public_pattern(pattern) is not None) is broad


# ---------------------------------------------------------------------------------
# GB120 proxy-set-with-env


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "ENV HTTPS_PROXY=http://proxy.corp:3128\n", [(2, 5)]),
        (FROM + "ENV http_proxy http://proxy.corp:3128\n", [(2, 5)]),
        (FROM + "ENV NO_PROXY=localhost,.corp\n", [(2, 5)]),
        (FROM + "ENV All_Proxy=socks5://proxy:1080\n", [(2, 5)]),
        (FROM + "ARG HTTP_PROXY\nENV HTTP_PROXY=$HTTP_PROXY\n", [(3, 5)]),
        (FROM + "ENV A=1 HTTP_PROXY=http://p:3128 B=2\n", [(2, 9)]),
        (FROM + "ENV HTTP_PROXY=http://p:3128 HTTPS_PROXY=http://p:3128\n", [(2, 5), (2, 30)]),
        # not: build arguments, empty values, other variables, RUN-scoped values
        (FROM + "ARG HTTPS_PROXY\nARG HTTP_PROXY=http://proxy:3128\n", []),
        (FROM + "ENV HTTP_PROXY=\n", []),
        (FROM + 'ENV HTTP_PROXY=""\n', []),
        (FROM + "ENV GOPROXY=https://proxy.golang.org\nENV MY_HTTP_PROXY=x\n", []),
        (FROM + "RUN HTTPS_PROXY=http://p:3128 go mod download\n", []),
        # credentials are GB126's
        (FROM + "ENV HTTPS_PROXY=http://u:pw@proxy:3128\n", []),
    ],
)
def test_gb120_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(proxy_set_with_env, text)) == expected


def test_gb120_message_and_note(run_rule: RunRule) -> None:
    (f,) = run_rule(proxy_set_with_env, FROM + "ENV HTTPS_PROXY=http://proxy.corp:3128\n")
    assert f.message is not None
    assert "'http://proxy.corp:3128'" in f.message
    assert "predefined build argument" in f.message
    assert "docker history" in f.message
    assert f.notes == (
        "Pass it at build time instead: docker build --build-arg "
        "HTTPS_PROXY=http://proxy.corp:3128 . (or once for every build, in "
        "~/.docker/config.json under proxies.default).",
    )
    assert f.fix is not None
    assert f.fix.applicability is Applicability.UNSAFE


@pytest.mark.parametrize(
    ("text", "index", "fixed"),
    [
        (
            FROM + "ENV HTTPS_PROXY=http://p:3128\nRUN go mod download\n",
            0,
            FROM + "RUN go mod download\n",
        ),
        (
            FROM + "ENV A=1 HTTP_PROXY=http://p:3128 B=2\n",
            0,
            FROM + "ENV A=1 B=2\n",
        ),
        (
            FROM + "ENV A=1 HTTP_PROXY=http://p:3128\n",
            0,
            FROM + "ENV A=1\n",
        ),
        (
            FROM + "ENV A=1 \\\n    HTTP_PROXY=http://p:3128 \\\n    B=2\n",
            0,
            FROM + "ENV A=1 \\\n    B=2\n",
        ),
        (  # every pair is a proxy: the whole instruction goes, whichever finding
            FROM + "ENV HTTP_PROXY=http://p:3128 HTTPS_PROXY=http://p:3128\nRUN true\n",
            1,
            FROM + "RUN true\n",
        ),
        (  # last line without a line ending
            FROM + "ENV HTTP_PROXY=http://p:3128",
            0,
            "FROM golang:1.24",
        ),
        (  # CRLF stays CRLF
            "FROM golang:1.24\r\nENV HTTP_PROXY=http://p:3128\r\nRUN true\r\n",
            0,
            "FROM golang:1.24\r\nRUN true\r\n",
        ),
    ],
)
def test_gb120_fix(fix_rule: FixRule, text: str, index: int, fixed: str) -> None:
    result, after = fix_rule(proxy_set_with_env, text, index=index)
    assert result == fixed
    assert after == []


# ---------------------------------------------------------------------------------
# GB126 proxy-credentials-in-dockerfile

SECRET = "Sup3rS3cretPw"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + f"ENV HTTPS_PROXY=http://jdoe:{SECRET}@proxy.corp:3128\n", [(2, 5)]),
        (FROM + f"ARG HTTP_PROXY=http://jdoe:{SECRET}@proxy.corp:3128\n", [(2, 5)]),
        (FROM + f"ENV https_proxy jdoe:{SECRET}@proxy.corp:3128\n", [(2, 5)]),
        (FROM + "ARG PW\nENV HTTP_PROXY=http://jdoe:${PW}@proxy:3128\n", [(3, 5)]),
        (
            FROM + f"ARG P=http://jdoe:{SECRET}@proxy:3128\nENV HTTP_PROXY=$P\n",
            [(3, 5)],
        ),
        # not: no password, a bare ARG, a build-time value
        (FROM + "ENV HTTPS_PROXY=http://proxy.corp:3128\n", []),
        (FROM + "ENV HTTPS_PROXY=http://jdoe@proxy.corp:3128\n", []),
        (FROM + "ARG HTTPS_PROXY\nARG P\nENV HTTP_PROXY=$P\n", []),
        (FROM + f"ENV GOPROXY=https://jdoe:{SECRET}@athens.corp\n", []),
    ],
)
def test_gb126_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    findings = run_rule(proxy_credentials, text)
    assert lines_cols(findings) == expected
    for f in findings:
        assert SECRET not in (f.message or "")
        assert all(SECRET not in n for n in f.notes)
        assert f.fix is not None
        assert SECRET not in f.fix.title


def test_gb126_message_masks_the_password(run_rule: RunRule) -> None:
    (f,) = run_rule(proxy_credentials, FROM + f"ENV HTTPS_PROXY=http://jdoe:{SECRET}@p:3128\n")
    assert "'http://jdoe:****@p:3128'" in (f.message or "")
    assert "image config" in (f.message or "")
    assert "--build-arg HTTPS_PROXY=http://jdoe:****@p:3128" in f.notes[0]


def test_gb126_expanded_value_is_shown_masked(run_rule: RunRule) -> None:
    text = FROM + f"ARG P=http://jdoe:{SECRET}@proxy:3128\nENV HTTP_PROXY=$P\n"
    (f,) = run_rule(proxy_credentials, text)
    assert "'$P' (expands to 'http://jdoe:****@proxy:3128')" in (f.message or "")


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            FROM + f"ENV HTTPS_PROXY=http://jdoe:{SECRET}@p:3128\nRUN go mod download\n",
            FROM + "RUN go mod download\n",
        ),
        (
            FROM + f"ARG GOPROXY=x HTTP_PROXY=http://jdoe:{SECRET}@p:3128\n",
            FROM + "ARG GOPROXY=x\n",
        ),
        (  # a later ENV expands it: keep the declaration, drop the default
            FROM + f"ARG HTTP_PROXY=http://jdoe:{SECRET}@p:3128\nENV X=$HTTP_PROXY\n",
            FROM + "ARG HTTP_PROXY\nENV X=$HTTP_PROXY\n",
        ),
    ],
)
def test_gb126_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(proxy_credentials, text)
    assert result == fixed
    assert after == []


# ---------------------------------------------------------------------------------
# GB121 no-proxy-misses-internal-hosts

ATHENS = "ENV GOPROXY=https://athens.corp.example,direct\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # NO_PROXY set but incomplete: the NO_PROXY value is underlined
        (FROM + "ARG HTTPS_PROXY\nENV NO_PROXY=localhost\n" + ATHENS + "RUN go mod download\n",
         [(3, 14)]),
        # NO_PROXY not set: the internal host in GOPROXY is underlined
        (FROM + "ARG HTTPS_PROXY\n" + ATHENS + "RUN go mod download\n", [(3, 21)]),
        (FROM + "ARG http_proxy\nENV GOPRIVATE=*.git.corp.example/*\nRUN go build ./...\n",
         [(3, 17)]),
        (FROM + "ARG ALL_PROXY\nENV GONOPROXY=git.corp.example/team\nRUN go mod download\n",
         [(3, 15)]),
        (FROM + "ARG HTTPS_PROXY\nENV GOPROXY=http://10.1.2.3:3000\nRUN go mod download\n",
         [(3, 20)]),
        # not: covered, public hosts only, no proxy, unknown NO_PROXY, no download
        (FROM + "ARG HTTPS_PROXY\nENV NO_PROXY=.corp.example\n" + ATHENS
         + "RUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nENV NO_PROXY=*\n" + ATHENS + "RUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nENV GOPROXY=https://goproxy.cn,direct\n"
         "ENV GOPRIVATE=github.com/acme/*\nRUN go mod download\n", []),
        (FROM + ATHENS + "RUN go mod download\n", []),
        (FROM + "ENV HTTPS_PROXY=\n" + ATHENS + "RUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nARG NO_PROXY\n" + ATHENS + "RUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nARG NP\nENV NO_PROXY=$NP\n" + ATHENS
         + "RUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\n" + ATHENS + "RUN echo done\n", []),
    ],
)  # fmt: skip
def test_gb121_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(no_proxy_misses_internal, text)) == expected


def test_gb121_reports_once_per_setting(run_rule: RunRule) -> None:
    text = (
        FROM + "ARG HTTPS_PROXY\nENV NO_PROXY=localhost\n" + ATHENS
        + "RUN go mod download\nRUN go build ./...\n"
    )  # fmt: skip
    (f,) = run_rule(no_proxy_misses_internal, text)
    assert f.message is not None
    assert "NO_PROXY 'localhost' does not exempt" in f.message
    assert "athens.corp.example (from GOPROXY)" in f.message


def test_gb121_checks_again_after_the_settings_change(run_rule: RunRule) -> None:
    text = (
        FROM + "ARG HTTPS_PROXY\n" + ATHENS + "RUN go mod download\nRUN go vet ./...\n"
        "ENV NO_PROXY=localhost\nRUN go build ./...\n"
    )
    assert lines_cols(run_rule(no_proxy_misses_internal, text)) == [(3, 21), (6, 14)]


def test_gb121_unset_message_suggests_build_arg(run_rule: RunRule) -> None:
    text = FROM + "ARG HTTPS_PROXY\n" + ATHENS + "RUN go mod download\n"
    (f,) = run_rule(no_proxy_misses_internal, text)
    assert "--build-arg NO_PROXY=athens.corp.example" in (f.message or "")
    assert f.fix is None


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            FROM + "ARG HTTPS_PROXY\nENV NO_PROXY=localhost\n" + ATHENS + "RUN go mod download\n",
            FROM + "ARG HTTPS_PROXY\nENV NO_PROXY=localhost,athens.corp.example\n" + ATHENS
            + "RUN go mod download\n",
        ),
        (
            FROM + 'ARG HTTPS_PROXY\nENV NO_PROXY="localhost" no_proxy=localhost\n'
            "ENV GOPRIVATE=*.corp.example/*\nRUN go mod download\n",
            FROM + 'ARG HTTPS_PROXY\nENV NO_PROXY="localhost",.corp.example '
            "no_proxy=localhost,.corp.example\nENV GOPRIVATE=*.corp.example/*\n"
            "RUN go mod download\n",
        ),
    ],
)  # fmt: skip
def test_gb121_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(no_proxy_misses_internal, text)
    assert result == fixed
    assert after == []


# ---------------------------------------------------------------------------------
# GB122 uppercase-proxy-only


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "ENV HTTP_PROXY=http://p:3128\n", [(2, 5)]),
        (FROM + "ARG HTTP_PROXY=http://p:3128\n", [(2, 5)]),
        (FROM + "ARG A=1 HTTPS_PROXY=http://p:3128\n", [(2, 9)]),
        # not: a bare ARG (BuildKit sets both spellings), both spellings, lower case only,
        # a value forwarded from the build argument
        (FROM + "ARG HTTP_PROXY\nARG HTTPS_PROXY\n", []),
        (FROM + "ARG HTTP_PROXY=http://p:3128\nARG http_proxy=http://p:3128\n", []),
        (FROM + "ENV http_proxy=http://p:3128\n", []),
        (FROM + "ARG HTTP_PROXY\nENV HTTP_PROXY=${HTTP_PROXY}\n", []),
        (FROM + "ENV HTTP_PROXY=\n", []),
        ("FROM golang:1.24 AS base\nENV http_proxy=x\nFROM base\nENV HTTP_PROXY=x\n", []),
    ],
)
def test_gb122_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(uppercase_proxy_only, text)) == expected


def test_gb122_messages_differ_for_http_and_https(run_rule: RunRule) -> None:
    (h,) = run_rule(uppercase_proxy_only, FROM + "ENV HTTP_PROXY=http://p:3128\n")
    (s,) = run_rule(uppercase_proxy_only, FROM + "ENV HTTPS_PROXY=http://p:3128\n")
    assert "curl" in (h.message or "")
    assert "http_proxy" in (h.message or "")
    assert "wget" in (s.message or "")
    assert "https_proxy" in (s.message or "")


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            FROM + "ARG HTTP_PROXY=http://p:3128\nRUN go mod download\n",
            FROM + "ARG HTTP_PROXY=http://p:3128\nARG http_proxy=${HTTP_PROXY}\n"
            "RUN go mod download\n",
        ),
        (
            "FROM golang:1.24\r\n  ENV HTTPS_PROXY=http://p:3128\r\n",
            "FROM golang:1.24\r\n  ENV HTTPS_PROXY=http://p:3128\r\n"
            "  ENV https_proxy=${HTTPS_PROXY}\r\n",
        ),
        (
            FROM + "ENV HTTP_PROXY=http://p:3128",
            FROM + "ENV HTTP_PROXY=http://p:3128\nENV http_proxy=${HTTP_PROXY}",
        ),
    ],
)
def test_gb122_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(uppercase_proxy_only, text)
    assert result == fixed
    assert after == []


# ---------------------------------------------------------------------------------
# GB123 proxy-without-ca


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "ARG HTTPS_PROXY\nRUN go mod download\n", [(3, 5)]),
        (FROM + "ENV HTTP_PROXY=http://p:3128\nCOPY . .\nRUN go build ./...\n", [(4, 5)]),
        # one finding per stage chain
        (FROM[:-1] + " AS b\nARG HTTPS_PROXY\nRUN go mod download\nRUN go build ./...\n"
         "FROM b\nRUN go build ./...\n", [(3, 5)]),
        # not: a CA is installed, configured or mounted; no proxy; no download
        (FROM + "ARG HTTPS_PROXY\nCOPY corp-ca.crt /usr/local/share/ca-certificates/\n"
         "RUN update-ca-certificates\nRUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nCOPY certs/ /usr/local/share/ca-certificates/\n"
         "RUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nENV SSL_CERT_FILE=/certs/corp.pem\nRUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nRUN --mount=type=secret,id=ca,target=/etc/ssl/certs/ca.pem "
         "go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nRUN update-ca-certificates && go mod download\n", []),
        (FROM + "RUN go mod download\n", []),
        (FROM + "ARG HTTPS_PROXY\nRUN echo hi\n", []),
    ],
)  # fmt: skip
def test_gb123_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(proxy_without_ca, text)) == expected


def test_gb123_fix_is_shown_above_the_comments_of_the_step(fix_rule: FixRule) -> None:
    text = FROM + "ARG HTTPS_PROXY\n# gobuildgui ignore=GB102\nRUN go mod download\n"
    result, after = fix_rule(proxy_without_ca, text)
    assert result == (
        FROM + "ARG HTTPS_PROXY\nCOPY corp-root-ca.crt /usr/local/share/ca-certificates/\n"
        "RUN update-ca-certificates\n# gobuildgui ignore=GB102\nRUN go mod download\n"
    )
    assert after == []


def test_gb123_fix_is_display_only(run_rule: RunRule) -> None:
    (f,) = run_rule(proxy_without_ca, FROM + "ARG HTTPS_PROXY\nRUN go mod download\n")
    assert f.fix is not None
    assert f.fix.applicability is Applicability.DISPLAY_ONLY
    assert "x509: certificate signed by unknown authority" in (f.message or "")


# ---------------------------------------------------------------------------------
# GB124 verification-disabled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "ENV GOINSECURE=*\n", [(2, 16)]),
        (FROM + "ENV GOINSECURE=git.corp.example,github.com/*\n", [(2, 33)]),
        (FROM + "ENV GOINSECURE=*.com\n", [(2, 16)]),
        (FROM + "ENV GONOSUMDB=github.com\n", [(2, 15)]),
        (FROM + "ENV GOPRIVATE=*\n", [(2, 15)]),
        (FROM + "RUN go env -w GOINSECURE=golang.org/x/*\n", [(2, 26)]),
        (FROM + "ENV GIT_SSL_NO_VERIFY=1\n", [(2, 5)]),
        (FROM + "ENV GIT_SSL_NO_VERIFY=false\n", [(2, 5)]),
        (FROM + "ARG GIT_SSL_NO_VERIFY=true\n", [(2, 5)]),
        (FROM + "RUN export GIT_SSL_NO_VERIFY=1 && go mod download\n", [(2, 12)]),
        (FROM + "RUN git config --global http.sslVerify false\n", [(2, 25)]),
        (FROM + 'RUN git config --global http."https://git.corp/".sslVerify "false"\n', [(2, 25)]),
        (FROM + "RUN git -c http.sslverify=0 clone x\n", [(2, 12)]),
        (FROM + 'ENV GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=no"\n', [(2, 29)]),
        (FROM + "RUN echo 'StrictHostKeyChecking accept-new' >> ~/.ssh/config\n", [(2, 11)]),
        (FROM + "RUN GIT_SSH_COMMAND='ssh -o UserKnownHostsFile=/dev/null' go mod download\n",
         [(2, 29)]),
        # not: internal hosts only, a specific organisation, verification on, no value
        (FROM + "ENV GOINSECURE=git.corp.example\n", []),
        (FROM + "ENV GOPRIVATE=github.com/acme/* GONOSUMDB=*.corp.example\n", []),
        (FROM + "ARG GIT_SSL_NO_VERIFY\n", []),
        (FROM + "RUN git config --global http.sslVerify true\n", []),
        (FROM + 'ENV GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=yes"\n', []),
        (FROM + "RUN ssh -o StrictHostKeyChecking=no deploy@host uptime\n", []),
        (FROM + "ENV GOFLAGS=-insecure GOSUMDB=off\n", []),
    ],
)  # fmt: skip
def test_gb124_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(verification_disabled, text)) == expected


def test_gb124_messages(run_rule: RunRule) -> None:
    text = FROM + "ENV GOINSECURE=* GIT_SSL_NO_VERIFY=0\n"
    insecure, ssl = run_rule(verification_disabled, text)
    assert "GOINSECURE pattern '*' matches every module path" in (insecure.message or "")
    assert "even '0'" in (ssl.message or "")
    (tofu,) = run_rule(verification_disabled, FROM + "ENV X=StrictHostKeyChecking=accept-new\n")
    assert "first contact" in (tofu.message or "")
    (empty,) = run_rule(verification_disabled, FROM + "ENV GIT_SSL_NO_VERIFY=\n")
    assert "even empty" in (empty.message or "")


# ---------------------------------------------------------------------------------
# GB125 go-insecure-flag


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "ENV GOFLAGS=-insecure\n", [(2, 13)]),
        (FROM + 'ENV GOFLAGS="-mod=mod -insecure"\n', [(2, 23)]),
        (FROM + "ARG GOFLAGS=--insecure\n", [(2, 13)]),
        (FROM + "RUN go env -w GOFLAGS=-insecure\n", [(2, 23)]),
        (FROM + "RUN go get -insecure example.com/m@v1.0.0\n", [(2, 12)]),
        (FROM + "RUN GOFLAGS=-insecure go install example.com/m@latest\n", [(2, 13)]),
        (FROM + 'RUN ["go", "get", "-insecure", "example.com/m"]\n', [(2, 19)]),
        # not: other flags, explicitly false, GOINSECURE, other tools
        (FROM + "ENV GOFLAGS=-mod=mod\n", []),
        (FROM + "RUN go get -insecure=false example.com/m\n", []),
        (FROM + "ENV GOINSECURE=git.corp.example\n", []),
        (FROM + "RUN curl --insecure https://example.com\n", []),
        (FROM + "ENV GOFLAGS=-insecurex\n", []),
    ],
)
def test_gb125_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(go_insecure_flag, text)) == expected


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (FROM + "ENV GOFLAGS=-insecure\nRUN go get x\n", FROM + "RUN go get x\n"),
        (FROM + "ENV CGO_ENABLED=0 GOFLAGS=-insecure\n", FROM + "ENV CGO_ENABLED=0\n"),
        (FROM + 'ENV GOFLAGS="-mod=mod -insecure"\n', FROM + 'ENV GOFLAGS="-mod=mod"\n'),
        (FROM + 'ENV GOFLAGS="-insecure -mod=mod"\n', FROM + 'ENV GOFLAGS="-mod=mod"\n'),
        (FROM + "RUN go get -insecure example.com/m\n", FROM + "RUN go get example.com/m\n"),
        (
            FROM + "RUN go get \\\n    -insecure example.com/m\n",
            FROM + "RUN go get example.com/m\n",
        ),
        (FROM + "RUN go env -w GOFLAGS=-insecure\n", FROM + "RUN go env -w GOFLAGS=\n"),
        (FROM + 'RUN ["go", "get", "-insecure", "x"]\n', FROM + 'RUN ["go", "get", "x"]\n'),
        (FROM + 'RUN ["go", "get", "-insecure"]\n', FROM + 'RUN ["go", "get"]\n'),
    ],
)
def test_gb125_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(go_insecure_flag, text)
    assert result == fixed
    assert after == []


# ---------------------------------------------------------------------------------
# Audit additions: the other proxy variables and the near misses of GB120-GB126.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(FROM + "ENV FTP_PROXY=http://p:21\n", [(2, 5)], id="ftp-proxy"),
        pytest.param(FROM + "ENV no_proxy=localhost,.corp\n", [(2, 5)], id="lower-case-no-proxy"),
        pytest.param(FROM + "ENV HTTPS_PROXY_HOST=proxy.corp\n", [], id="longer-name"),
        pytest.param(
            FROM + f"ENV ALL_PROXY=socks5://jdoe:{SECRET}@proxy:1080\n", [], id="password-is-gb126"
        ),
    ],
)
def test_gb120_more_names(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(proxy_set_with_env, text)) == expected


def test_gb126_all_proxy_with_password(run_rule: RunRule) -> None:
    text = FROM + f"ENV ALL_PROXY=socks5://jdoe:{SECRET}@proxy:1080\n"
    (f,) = run_rule(proxy_credentials, text)
    assert (f.span.line, f.span.column) == (2, 5)
    assert "'socks5://jdoe:****@proxy:1080' carries a proxy password" in (f.message or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            FROM + "ARG HTTPS_PROXY\nENV no_proxy=athens.corp.example\n" + ATHENS
            + "RUN go mod download\n",
            [],
            id="lower-case-no-proxy-covers",
        ),
        pytest.param(
            FROM + "ARG HTTPS_PROXY\nENV GOPROXY=https://proxy.golang.org,https://goproxy.io,direct\n"
            "RUN go mod download\n",
            [],
            id="public-proxies-only",
        ),
        pytest.param(
            FROM + "ARG HTTPS_PROXY\nENV NO_PROXY=athens.corp.example.evil\n" + ATHENS
            + "RUN go mod download\n",
            [(3, 14)],
            id="longer-host-does-not-cover",
        ),
    ],
)  # fmt: skip
def test_gb121_near_misses(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(no_proxy_misses_internal, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(FROM + "ARG ALL_PROXY\nRUN go mod download\n", [(3, 5)], id="all-proxy"),
        pytest.param(
            FROM + "ARG HTTPS_PROXY\nCOPY config.json /etc/app/\nRUN go mod download\n",
            [(4, 5)],
            id="copy-of-another-file",
        ),
        pytest.param(
            FROM + "ARG HTTPS_PROXY\nRUN go mod download\nRUN update-ca-certificates\n",
            [(3, 5)],
            id="ca-installed-too-late",
        ),
        pytest.param(
            "FROM fedora:40\nARG HTTPS_PROXY\nCOPY corp.pem /etc/pki/ca-trust/source/anchors/\n"
            "RUN update-ca-trust && go mod download\n",
            [],
            id="update-ca-trust",
        ),
        pytest.param(
            FROM + "ARG HTTPS_PROXY\nENV SSL_CERT_DIR=/certs\nRUN go mod download\n",
            [],
            id="ssl-cert-dir",
        ),
        pytest.param(
            FROM + "ARG HTTPS_PROXY\nRUN --mount=type=bind,source=corp.crt,"
            "target=/usr/local/share/ca-certificates/corp.crt update-ca-certificates "
            "&& go mod download\n",
            [],
            id="ca-bind-mount",
        ),
    ],
)
def test_gb123_more_ca_sources(
    run_rule: RunRule, text: str, expected: list[tuple[int, int]]
) -> None:
    assert lines_cols(run_rule(proxy_without_ca, text)) == expected


def test_gb125_exported_goflags(run_rule: RunRule, fix_rule: FixRule) -> None:
    text = FROM + "RUN export GOFLAGS=-insecure && go get example.com/m\n"
    (f,) = run_rule(go_insecure_flag, text)
    assert (f.span.line, f.span.column) == (2, 20)
    assert "-insecure" in (f.message or "")
    fixed, after = fix_rule(go_insecure_flag, text)
    assert fixed == FROM + "RUN export GOFLAGS= && go get example.com/m\n"
    assert after == []
