"""The minimal-diff JSON editor: only the intended lines change, style is kept."""

from __future__ import annotations

import json

import pytest

from gobuildgui.core.fixes.jsonedit import JsonEditor, JsonSyntaxError, parse
from tests.unit.core.fixes.helpers import changed_lines

TWO_SPACES = """{
  "log-driver": "json-file",
  "log-opts": {
    "max-size": "10m",
    "max-file": "3"
  },
  "dns": ["8.8.8.8"],
  "x-unknown-key": {"nested": [1, 2, {"deep": true}]},
  "storage-driver": "overlay2"
}
"""

FOUR_SPACES = """{
    "builder": {
        "gc": {
            "defaultKeepStorage": "20GB",
            "enabled": true
        }
    },
    "experimental": false
}
"""

TABS = '{\n\t"insecure-registries": [\n\t\t"registry.local:5000"\n\t],\n\t"debug": true\n}\n'


def test_replace_inline_array_changes_only_that_line() -> None:
    ed = JsonEditor(TWO_SPACES)
    assert ed.set(("dns",), ["10.0.0.2", "10.0.0.3"])
    removed, added = changed_lines(TWO_SPACES, ed.text)
    assert removed == ['  "dns": ["8.8.8.8"],']
    assert added == ['  "dns": ["10.0.0.2", "10.0.0.3"],']
    assert json.loads(ed.text)["x-unknown-key"] == {"nested": [1, 2, {"deep": True}]}


def test_insert_after_last_member_two_spaces() -> None:
    ed = JsonEditor(TWO_SPACES)
    ed.set(("mtu",), 1400)
    removed, added = changed_lines(TWO_SPACES, ed.text)
    assert removed == ['  "storage-driver": "overlay2"']
    assert added == ['  "storage-driver": "overlay2",', '  "mtu": 1400']


def test_insert_nested_object_four_spaces() -> None:
    ed = JsonEditor(FOUR_SPACES)
    ed.set(("features", "buildkit"), True)
    removed, added = changed_lines(FOUR_SPACES, ed.text)
    assert removed == ['    "experimental": false']
    assert added == [
        '    "experimental": false,',
        '    "features": {',
        '        "buildkit": true',
        "    }",
    ]


def test_insert_into_existing_nested_object_keeps_its_indent() -> None:
    ed = JsonEditor(FOUR_SPACES)
    ed.set(("builder", "gc", "defaultReservedSpace"), "10GB")
    _, added = changed_lines(FOUR_SPACES, ed.text)
    assert added == ['            "enabled": true,', '            "defaultReservedSpace": "10GB"']


def test_tabs_and_multiline_arrays_are_kept() -> None:
    ed = JsonEditor(TABS)
    ed.set(("registry-mirrors",), ["https://mirror.example"])
    removed, added = changed_lines(TABS, ed.text)
    assert removed == ['\t"debug": true']
    assert added == [
        '\t"debug": true,',
        '\t"registry-mirrors": [',
        '\t\t"https://mirror.example"',
        "\t]",
    ]
    ed.set(("insecure-registries",), ["a.example:5000", "b.example:5000"])
    assert (
        '\t"insecure-registries": [\n\t\t"a.example:5000",\n\t\t"b.example:5000"\n\t],' in ed.text
    )


def test_crlf_is_kept() -> None:
    text = TWO_SPACES.replace("\n", "\r\n")
    ed = JsonEditor(text)
    ed.set(("mtu",), 1400)
    assert "\n" not in ed.text.replace("\r\n", "")
    assert ed.text.endswith('"mtu": 1400\r\n}\r\n')


def test_compact_file_stays_compact() -> None:
    ed = JsonEditor('{"debug":true,"dns":["1.1.1.1"]}')
    ed.set(("mtu",), 1400)
    assert ed.text == '{"debug":true,"dns":["1.1.1.1"],"mtu":1400}'


def test_remove_middle_and_last_member() -> None:
    ed = JsonEditor(TWO_SPACES)
    assert ed.remove(("dns",))
    removed, added = changed_lines(TWO_SPACES, ed.text)
    assert removed == ['  "dns": ["8.8.8.8"],']
    assert added == []
    assert ed.remove(("storage-driver",))
    assert ed.text.endswith('"x-unknown-key": {"nested": [1, 2, {"deep": true}]}\n}\n')
    json.loads(ed.text)


def test_same_value_is_no_change() -> None:
    ed = JsonEditor(TWO_SPACES)
    assert not ed.set(("dns",), ["8.8.8.8"])
    assert ed.text == TWO_SPACES


@pytest.mark.parametrize("text", ["", "  \n", "{}", "{}\n"])
def test_empty_file_gets_a_readable_object(text: str) -> None:
    ed = JsonEditor(text)
    ed.set(("dns",), ["10.0.0.2"])
    assert json.loads(ed.text) == {"dns": ["10.0.0.2"]}
    assert '\n  "dns": [\n    "10.0.0.2"\n  ]\n' in ed.text


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('{\n  "dns": ["8.8.8.8",],\n  "mtu": 1400\n}', "trailing comma", 2, 21),
        ('{\n  "dns": [],\n  "dns": ["1.1.1.1"]\n}', "duplicate key 'dns' (first at line 2)", 3, 3),
        ('{\n  // comment\n  "a": 1\n}', "comments are not allowed", 2, 3),
        ('{"a": NaN}', "unexpected 'N'", 1, 7),
        ('{"a": 1} x', "after the top-level value", 1, 10),
        ('{"a": "b', "unterminated string", 1, 7),
    ],
)
def test_invalid_json_reports_line_and_column(
    text: str, message: str, line: int, column: int
) -> None:
    with pytest.raises(JsonSyntaxError) as info:
        parse(text)
    assert message in str(info.value)
    assert (info.value.line, info.value.column) == (line, column)


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(JsonSyntaxError, match="top level is not an object"):
        JsonEditor('["dns"]')


def test_set_through_a_non_object_is_refused() -> None:
    ed = JsonEditor('{"features": true}')
    with pytest.raises(ValueError, match="features is not an object"):
        ed.set(("features", "buildkit"), True)


def test_unicode_and_escapes_survive() -> None:
    text = '{\n  "labels": ["caf\\u00e9", "naïve"],\n  "a\\"b": 1\n}\n'
    ed = JsonEditor(text)
    ed.set(("mtu",), 1400)
    assert ed.text.startswith('{\n  "labels": ["caf\\u00e9", "naïve"],\n  "a\\"b": 1,\n')
