"""Fix tests register typed passwords as secrets; forget them after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gobuildgui.core.secrets import forget_secrets


@pytest.fixture(autouse=True)
def _forget_registered_secrets() -> Iterator[None]:
    yield
    forget_secrets()
