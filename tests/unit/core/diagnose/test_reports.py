"""Markdown and HTML reports: content, escaping, and no secret surviving into either file."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gobuildgui.core.diagnose import diagnose_text
from gobuildgui.core.reports import (
    EnvEntry,
    FixEntry,
    ProbeEntry,
    ReportData,
    build_html,
    build_markdown,
    build_report,
    lint_section,
    write_report,
)
from gobuildgui.core.secrets import forget_secrets, register_secret

PROXY_PW = "Pr0xy-Passw0rd-77"
GH_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
PLAIN_TOKEN = "plain-opaque-value-991"  # no recognisable shape: masked by its name
NETRC_PW = "Netrc-S3cret-4242"
BASIC = "YWxpY2U6c3VwZXJzZWNyZXQ="  # base64("alice:supersecret")
BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl"
LOG_TOKEN = "glpat-" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt"
TYPED = "typed-by-user-5150"
SECRETS = (PROXY_PW, GH_TOKEN, PLAIN_TOKEN, NETRC_PW, BASIC, BEARER, LOG_TOKEN, TYPED)


@pytest.fixture
def typed_secret() -> Iterator[str]:
    register_secret(TYPED)
    yield TYPED
    forget_secrets()


def seeded(tmp_path: Path) -> ReportData:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM golang:1.22\n"
        f"ENV HTTPS_PROXY=http://alice:{PROXY_PW}@proxy.corp.example:3128\n"
        f"ARG GITHUB_TOKEN={GH_TOKEN}\n"
        "RUN go mod download\n"
    )
    path, lint = lint_section(dockerfile)
    log = (
        "#8 [builder 4/6] RUN go mod download\n"
        f'#8 0.5 go: git.corp.example/lib@v1.0.0: Get "https://oauth2:{LOG_TOKEN}@git.corp.example'
        '/lib?go-get=1": proxyconnect tcp: dial tcp 127.0.0.1:3128: connect: connection refused\n'
        f"#8 0.6 fatal: could not read Username for 'https://{GH_TOKEN}@github.com': terminal "
        "prompts disabled\n"
        '#8 ERROR: process "/bin/sh -c go mod download" did not complete successfully: '
        "exit code: 1\n"
    )
    findings = diagnose_text(log)
    assert findings
    return ReportData(
        title="Build of corp-service <script>alert(1)</script>",
        dockerfile=str(path),
        log="build.log",
        environment=(
            EnvEntry("HTTPS_PROXY", f"http://alice:{PROXY_PW}@proxy.corp.example:3128", "env"),
            EnvEntry("GITHUB_TOKEN", GH_TOKEN, "env"),
            EnvEntry("CORP_API_TOKEN", PLAIN_TOKEN, "~/.config/go/env"),
            EnvEntry("GOPROXY", "https://goproxy.corp.example,direct", "Dockerfile line 3"),
        ),
        lint=lint,
        probes=(
            ProbeEntry(
                "HTTP proxy",
                "failed",
                f"CONNECT via proxy.corp.example refused; user typed {TYPED}",
                (
                    (
                        "request",
                        f"CONNECT proxy.golang.org:443\nProxy-Authorization: Basic {BASIC}",
                    ),
                    ("Authorization", f"Bearer {BEARER}"),
                    ("netrc", f"machine git.corp.example login bob password {NETRC_PW}"),
                ),
            ),
            ProbeEntry("DNS", "ok", "proxy.golang.org resolves to 142.250.1.1"),
        ),
        findings=tuple(findings),
        fixes=(FixEntry("Pass the proxy to builds", ("~/.docker/config.json",), "client-proxy"),),
        generated=datetime(2026, 12, 6, 3, 0, tzinfo=UTC),
    )


def test_no_secret_survives_into_either_file(tmp_path: Path, typed_secret: str) -> None:
    data = seeded(tmp_path)
    md_path, html_path = tmp_path / "report.md", tmp_path / "report.html"
    write_report(md_path, build_markdown(data))
    write_report(html_path, build_html(data))
    for path in (md_path, html_path):
        text = path.read_text(encoding="utf-8")
        for secret in SECRETS:
            for form in (secret, html.escape(secret), secret.replace("_", "\\_")):
                assert form not in text, f"{secret!r} leaked into {path.name}"
        assert "****" in text
    # The report still says what matters.
    md = md_path.read_text()
    assert "proxy.corp.example" in md
    assert "GB220" in md  # the loopback proxy finding
    assert "| `GOPROXY` |" in md


def test_markdown_sections(tmp_path: Path) -> None:
    md = build_markdown(seeded(tmp_path))
    for heading in (
        "## Diagnosis of the build log",
        "## Dockerfile lint",
        "## Probe results",
        "## Environment in force",
        "## Fixes applied",
    ):
        assert heading in md
    assert "Generated 2026-12-06 03:00 UTC" in md
    # Markdown special characters in free text are escaped, not interpreted.
    assert "\\<script\\>" in md
    assert build_report(seeded(tmp_path), "md") == md


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    page = build_html(seeded(tmp_path))
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)  # nothing external
    assert "<style>" in page
    assert page.count("<h2>") == 5


def test_empty_report() -> None:
    data = ReportData(generated=datetime(2026, 1, 1, tzinfo=UTC))
    md = build_markdown(data)
    assert "No probes were run." in md
    assert "Not collected." in md
    assert "<p>None.</p>" in build_html(data)
    with pytest.raises(ValueError, match="unknown report format"):
        build_report(data, "pdf")


def test_probe_protocol_conversion() -> None:
    class Result:
        title = "TLS to proxy.golang.org"
        status = "failed"
        summary = "x509: certificate signed by unknown authority"
        evidence = (("issuer", "CN=Zscaler Root CA"),)

    entry = ProbeEntry.of(Result())
    assert entry.evidence == (("issuer", "CN=Zscaler Root CA"),)


def test_write_report_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old")
    write_report(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]
    with pytest.raises(FileNotFoundError):
        write_report(tmp_path / "missing-dir" / "r.md", "x")
