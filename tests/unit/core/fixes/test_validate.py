"""Value checks that have no real tool to compare with here (the rest are checked against
dockerd and go in test_daemon.py and test_goenv.py)."""

from __future__ import annotations

import pytest

from gobuildgui.core.fixes import validate

SUM_GOLANG_KEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("sum.golang.org", None),
        ("off", None),
        ("sum.golang.google.cn", None),
        (SUM_GOLANG_KEY, None),
        (f"{SUM_GOLANG_KEY} https://sum.corp.example", None),
        ("sum.corp.example", "needs its public key"),
        ("sum.golang.org+033de0ae+notbase64!", "the key is not base64"),
        (
            "sum.golang.org+33de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
            "malformed verifier id",
        ),
        ("a b c", "too many fields"),
        (f"{SUM_GOLANG_KEY} ftp://x", "is not an http(s) URL"),
    ],
)
def test_gosumdb(value: str, error: str | None) -> None:
    got = validate.gosumdb(value)
    assert got is None if error is None else (got is not None and error in got)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("git.corp.example,github.com/org/*", None),
        ("none", None),
        ("https://git.corp.example", "is a URL"),
        ("git.corp.example github.com/x", "contains a space"),
        ("git.corp.example/[a-", "unbalanced"),
        ("/git.corp.example", "leading or trailing slash"),
    ],
)
def test_module_patterns(value: str, error: str | None) -> None:
    got = validate.module_patterns(value)
    assert got is None if error is None else (got is not None and error in got)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("http://proxy.corp:3128", None),
        ("http://user:p%40ss@proxy.corp:3128", None),
        ("socks5://127.0.0.1:1080", None),
        ("proxy.corp:3128", "has no scheme"),
        ("ftp://proxy.corp:21", "unsupported proxy scheme"),
        ("http://proxy.corp:99999", "invalid port"),
        ("http://proxy.corp:3128/path", "without a path"),
    ],
)
def test_proxy_url(value: str, error: str | None) -> None:
    got = validate.proxy_url(value)
    assert got is None if error is None else (got is not None and error in got)


def test_lists_split_on_commas_and_newlines() -> None:
    assert validate.split_list(" a, b\nc ,, ") == ["a", "b", "c"]
    assert validate.registry_list("reg.local:5000, 10.0.0.0/8, [::1]:5000") is None
    assert validate.no_proxy_list("localhost,.corp,*,10.0.0.0/8") is None
    assert validate.dns_search_list("corp.example.com, .") is None
