"""The lru_cache'd pure helpers of the rules: bounded, and equal to the uncached code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

from gobuildgui.core.dockerfile import golang
from gobuildgui.core.dockerfile.golang import ImageRef
from gobuildgui.core.dockerfile.rules import hygiene, modcache, private, proxies

CACHED: list[tuple[Callable[..., Any], list[str]]] = [
    (golang._parse_image_ref, ["golang:1.24-alpine", " gcr.io/x/y:1@sha256:ab ", "localhost/a"]),
    (hygiene._basename, ["apt-get", "/usr/bin/env", "C:\\bin\\go.exe", ""]),
    (private._classify, ["id_rsa", "~/.ssh/", "key.pub", "*.netrc", "go.mod"]),
    (modcache._normpath, ["/go/pkg/mod/", "/root/../go", "//x"]),
    (proxies.broad_public_pattern, ["*", "github.com/*", "*.corp.example", "git.corp/x", ""]),
]


@pytest.mark.parametrize(("fn", "inputs"), CACHED)
def test_cache_is_bounded_and_matches_uncached(
    fn: functools._lru_cache_wrapper[Any], inputs: list[str]
) -> None:
    maxsize = fn.cache_parameters()["maxsize"]
    assert maxsize is not None
    assert maxsize <= 4096
    for value in inputs:
        assert fn(value) == fn.__wrapped__(value)
        assert fn(value) == fn.__wrapped__(value)  # a cache hit gives the same


def test_image_ref_parse_is_shared_per_reference() -> None:
    a = ImageRef.parse("golang:1.24-alpine")
    assert a is ImageRef.parse("golang:1.24-alpine")
    assert (a.repository, a.tag, a.is_golang, a.is_alpine) == ("golang", "1.24-alpine", True, True)
