"""README says what the code does: its rule table and its two set-up commands."""

from __future__ import annotations

import re
from pathlib import Path

from gobuildgui.core.dockerfile.rules import ALL_RULES
from gobuildgui.core.report import format_rules_markdown

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- rules-table -->", "<!-- /rules-table -->"


def test_rule_table_matches_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    assert START in text
    assert END in text
    table = text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"
    assert table == format_rules_markdown(ALL_RULES), (
        "README's rule table is stale: replace it with `gobuildgui rules --format markdown`"
    )


def test_rule_table_lists_every_rule_once() -> None:
    table = format_rules_markdown(ALL_RULES)
    codes = re.findall(r"^\| ((?:GB|DL)\d+) \|", table, flags=re.MULTILINE)
    assert sorted(codes) == sorted(r.code for r in ALL_RULES)
    assert codes.index("GB101") < codes.index("DL3000")  # Go rules first


def test_readme_gives_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text.split("## Set up", 1)[1], flags=re.DOTALL)
    commands = [b.strip() for b in blocks[:2]]
    assert commands[0].endswith("pip install . && gobuildgui")
    assert commands[1].endswith("pip install -e '.[test]' && python -m pytest")
