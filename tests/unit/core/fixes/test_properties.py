"""Property tests: the JSON parser agrees with ``json`` and edits touch only their member."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gobuildgui.core.fixes.files import split_lines
from gobuildgui.core.fixes.goenv import read_go_env
from gobuildgui.core.fixes.jsonedit import JsonEditor, JsonSyntaxError, parse

keys = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=6)
indents = st.sampled_from([None, 2, 4, "\t"])


def _dump(doc: dict[str, Any], indent: int | str | None) -> str:
    return json.dumps(doc, indent=indent, ensure_ascii=False) + "\n"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and math.isclose(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@settings(max_examples=200, deadline=None)
@given(documents, indents)
def test_parse_agrees_with_json(doc: dict[str, Any], indent: int | str | None) -> None:
    text = _dump(doc, indent)
    assert _same(parse(text).value, json.loads(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='{}[]":,. \n\t0123456789-+eEtruefalsn\\', max_size=30))
def test_parser_accepts_exactly_what_json_accepts(text: str) -> None:
    try:
        expected: Any = json.loads(text)
        ok = True
    except ValueError:
        ok = False
    try:
        got = parse(text).value
    except JsonSyntaxError:
        # stricter than Python's json only for duplicate keys
        assert not ok or "duplicate key" in str(_error(text))
        return
    assert ok
    assert _same(got, expected)


def _error(text: str) -> JsonSyntaxError:
    try:
        parse(text)
    except JsonSyntaxError as exc:
        return exc
    raise AssertionError("no error")


@settings(max_examples=200, deadline=None)
@given(documents, indents, keys, values)
def test_set_changes_only_that_member(doc: dict[str, Any], indent: int | str | None,
                                      key: str, value: Any) -> None:  # fmt: skip
    text = _dump(doc, indent)
    ed = JsonEditor(text)
    ed.set((key,), value)
    after = json.loads(ed.text)
    expected = dict(doc)
    expected[key] = value
    assert _same(after, json.loads(json.dumps(expected)))
    # setting the same again is a no-op, and every other member keeps its text
    again = JsonEditor(ed.text)
    assert not again.set((key,), value)
    for other in doc:
        if other != key:
            before = ed_member_text(text, other)
            assert before == ed_member_text(ed.text, other)


def ed_member_text(text: str, key: str) -> str:
    node = JsonEditor(text).get((key,))
    assert node is not None
    return text[node.start : node.end]


@settings(max_examples=200, deadline=None)
@given(documents, indents, st.data())
def test_remove_drops_exactly_one_member(doc: dict[str, Any], indent: int | str | None,
                                         data: st.DataObject) -> None:  # fmt: skip
    if not doc:
        return
    key = data.draw(st.sampled_from(sorted(doc)))
    ed = JsonEditor(_dump(doc, indent))
    assert ed.remove((key,))
    expected = {k: v for k, v in doc.items() if k != key}
    assert _same(json.loads(ed.text), json.loads(json.dumps(expected)))


env_lines = st.lists(
    st.one_of(
        st.from_regex(r"[A-Z][A-Z0-9_]{0,6}=[^\n\r]{0,12}", fullmatch=True),
        st.from_regex(r"#[^\n\r]{0,12}", fullmatch=True),
        st.just(""),
        st.from_regex(r"[a-z][^\n\r=]{0,8}", fullmatch=True),
    ),
    max_size=10,
)


@settings(max_examples=200, deadline=None)
@given(env_lines, st.sampled_from(["GOPROXY", "GOFLAGS", "GOPRIVATE"]),
       st.from_regex(r"[^\n\r\x00\v]{0,12}", fullmatch=True))  # fmt: skip
def test_go_env_edit_keeps_other_lines(lines: list[str], name: str, value: str) -> None:
    import tempfile
    from pathlib import Path

    from gobuildgui.core.fixes.goenv import edit_go_env

    text = "".join(line + "\n" for line in lines)
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "env"
        f.write_text(text)
        new = edit_go_env(f, {name: value}).new_text
    before, after = read_go_env(text), read_go_env(new)
    expected = {k: v for k, v in before.items() if k != name}
    if value:
        expected[name] = value
    assert after == expected
    kept = [line for line in lines if not line.startswith(name + "=")]
    assert [line for line in split_lines(new) if not line.startswith(name + "=")] == kept
