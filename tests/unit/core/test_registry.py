"""The rule registry: every module registered, codes and names unique and documented."""

from __future__ import annotations

import pkgutil

import pytest

from gobuildgui.core.dockerfile import rules as registry
from gobuildgui.core.dockerfile.rule import CODE_RE, DOC_HEADINGS, Rule
from gobuildgui.core.dockerfile.rules import (
    ALL_RULES,
    ENGINE_RULES,
    RULES_BY_CODE,
    RULES_BY_NAME,
    find_rule,
    suggest_rules,
)


def test_every_rule_module_is_registered() -> None:
    on_disk = {m.name for m in pkgutil.iter_modules(registry.__path__)}
    registered = {m.__name__.rsplit(".", 1)[-1] for m in registry._MODULES}
    assert on_disk == registered


def test_codes_and_names_are_unique_and_indexed() -> None:
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
    assert all(RULES_BY_CODE[r.code] is r and RULES_BY_NAME[r.name] is r for r in ALL_RULES)
    assert [r.code for r in ALL_RULES] == sorted(r.code for r in ALL_RULES)
    assert set(ENGINE_RULES) <= set(ALL_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule: Rule) -> None:
    assert CODE_RE.match(rule.code)
    assert rule.summary.strip()
    positions = [rule.doc.find(h) for h in DOC_HEADINGS]
    assert all(p >= 0 for p in positions), f"{rule.code} lacks a heading of {DOC_HEADINGS}"
    assert positions == sorted(positions), f"{rule.code} headings are out of order"
    assert rule.first_paragraph


def test_find_rule_by_code_or_name() -> None:
    assert find_rule("gb003") is RULES_BY_CODE["GB003"]
    assert find_rule(" invalid-pragma ") is RULES_BY_CODE["GB003"]
    assert find_rule("GB9999") is None


def test_suggestions() -> None:
    assert suggest_rules("GB03")[0] == "GB003"
    assert suggest_rules("invalid-pragmas")[0] == "invalid-pragma"
    assert suggest_rules("gb3")[0] == "GB003"
    assert suggest_rules("zzzzzzzzzzzzzz") == []
