"""redact(): every credential shape we know is masked, ordinary text is left alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gobuildgui.core.secrets import MASK, forget_secrets, redact, register_secret


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    forget_secrets()
    yield
    forget_secrets()


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("HTTPS_PROXY=http://alice:s3cr3t-pw@proxy.corp:3128", "s3cr3t-pw"),
        ("proxyconnect tcp: http://bob:hunter22@10.0.0.1:8080", "hunter22"),
        ("Authorization: Basic YWxpY2U6czNjcjN0", "YWxpY2U6czNjcjN0"),
        ("Proxy-Authorization: Bearer abcdef123456", "abcdef123456"),
        ("git config url.https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/", "ghp_abcdefg"),
        ("token glpat-ABCDEFGHIJKLMNOPQRST in a log", "glpat-ABCDEFGHIJ"),
        ("GITHUB_TOKEN=abc123def456", "abc123def456"),
        ("export NPM_PASSWORD='pa ss word'", "pa ss word"),
        ('"GOAUTH": "netrc; git https://x y"', "netrc; git"),
        ("aws AKIAABCDEFGHIJKLMNOP here", "AKIAABCDEFGHIJKLMNOP"),
        ("machine git.corp.example login ci password n3tRc-pw", "n3tRc-pw"),
    ],
)
def test_secret_is_masked(text: str, secret: str) -> None:
    out = redact(text)
    assert secret not in out
    assert MASK in out


@pytest.mark.parametrize(
    "text",
    [
        "go: github.com/google/uuid@v1.6.0: Get https://proxy.golang.org/x: i/o timeout",
        "GOPROXY=https://proxy.golang.org,direct",
        "GOPRIVATE=git.corp.example/*",
        "ssh://git@github.com/org/repo.git",
        "PASSWORD=$PROXY_PASSWORD",
        "the user name or password shown in the dialog",
        "",
    ],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert redact(text) == text


def test_registered_value_is_masked_everywhere() -> None:
    register_secret("corp-Pr0xy!")
    assert redact("the password corp-Pr0xy! was typed") == f"the password {MASK} was typed"


def test_short_registered_values_are_ignored() -> None:
    register_secret("ab")
    assert redact("abc") == "abc"
