"""A minimal-diff JSON editor: change one member and leave every other byte alone.

``json.loads`` + ``json.dumps`` would reorder nothing but re-indent everything, drop
the user's spacing and turn one changed key into a whole-file diff. This module parses
strict JSON (RFC 8259, as Go's ``encoding/json`` reads it) keeping the offset of every
member, and edits the text: a changed value is replaced in place, a new member is
inserted after the last one of its object in the file's own style (indent unit, ``": "``
or ``":"``, inline or one-per-line arrays, CRLF), a removed member takes its comma with it.

Duplicate keys are a parse error here (``encoding/json`` keeps the last silently, so the
user's file probably does not mean what they think), as are NaN, comments and trailing
commas.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_WS = " \t\r\n"
_WS_RE = re.compile(r"[ \t\r\n]*")
# A whole string token in one C-speed match; escapes are decoded only when present.
_PLAIN_STRING_RE = re.compile(r'"[^"\\\x00-\x1f]*"')
_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class JsonSyntaxError(ValueError):
    """Text that is not one strict JSON value; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, text: str, offset: int) -> None:
        self.offset = offset
        self.line = text.count("\n", 0, offset) + 1
        self.column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        self.message = message
        super().__init__(f"{message} at line {self.line}, column {self.column}")


@dataclass
class JNode:
    """A parsed value with its ``[start, end)`` offsets in the text."""

    start: int
    end: int
    value: Any
    members: list[JMember] | None = None  # objects
    items: list[JNode] | None = None  # arrays

    def member(self, key: str) -> JMember | None:
        """The member named ``key`` of an object node."""
        for m in self.members or ():
            if m.key == key:
                return m
        return None


@dataclass
class JMember:
    """``"key": value`` inside an object."""

    key: str
    key_start: int
    key_end: int
    node: JNode = field(repr=False)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str, offset: int | None = None) -> JsonSyntaxError:
        return JsonSyntaxError(message, self.text, self.pos if offset is None else offset)

    def skip(self) -> None:
        text = self.text
        m = _WS_RE.match(text, self.pos)
        pos = self.pos = m.end() if m else self.pos
        if text.startswith(("//", "/*"), pos):
            raise self.fail("comments are not allowed in JSON")

    def document(self) -> JNode:
        self.skip()
        node = self.value()
        self.skip()
        if self.pos != len(self.text):
            raise self.fail(f"unexpected {self.text[self.pos]!r} after the top-level value")
        return node

    def value(self) -> JNode:
        text = self.text
        if self.pos >= len(text):
            raise self.fail("unexpected end of file, expected a value")
        c = text[self.pos]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if c == '"':
            start = self.pos
            s = self.string()
            return JNode(start, self.pos, s)
        m = _NUMBER_RE.match(text, self.pos)
        if m and m.end() > self.pos:
            start = self.pos
            self.pos = m.end()
            token = m.group(0)
            number = float(token) if any(c in token for c in ".eE") else int(token)
            return JNode(start, self.pos, number)
        for word, val in _LITERALS.items():
            if text.startswith(word, self.pos):
                start = self.pos
                self.pos += len(word)
                return JNode(start, self.pos, val)
        if text.startswith(("//", "/*"), self.pos):
            raise self.fail("comments are not allowed in JSON")
        raise self.fail(f"unexpected {c!r}, expected a value")

    def string(self) -> str:
        text, start = self.text, self.pos
        plain = _PLAIN_STRING_RE.match(text, start)
        if plain is not None:
            self.pos = plain.end()
            return text[start + 1 : self.pos - 1]
        pos = start + 1
        while True:
            if pos >= len(text):
                raise self.fail("unterminated string", start)
            c = text[pos]
            if c == '"':
                break
            if c == "\\":
                pos += 2
                continue
            if c < " ":
                raise self.fail("control character inside a string", pos)
            pos += 1
        self.pos = pos + 1
        try:
            out = json.loads(text[start : pos + 1])
        except json.JSONDecodeError as exc:
            raise self.fail(f"invalid string: {exc.msg}", start + exc.pos) from None
        assert isinstance(out, str)
        return out

    def obj(self) -> JNode:
        start = self.pos
        self.pos += 1
        members: list[JMember] = []
        seen: dict[str, int] = {}
        self.skip()
        if self.text.startswith("}", self.pos):
            self.pos += 1
            return JNode(start, self.pos, {}, members=members)
        while True:
            self.skip()
            if not self.text.startswith('"', self.pos):
                if self.text.startswith("}", self.pos) and members:
                    raise self.fail("trailing comma before '}'")
                raise self.fail("expected a quoted key")
            key_start = self.pos
            key = self.string()
            key_end = self.pos
            if key in seen:
                first = self.text.count("\n", 0, seen[key]) + 1
                raise self.fail(f"duplicate key {key!r} (first at line {first})", key_start)
            seen[key] = key_start
            self.skip()
            if not self.text.startswith(":", self.pos):
                raise self.fail("expected ':' after the key")
            self.pos += 1
            self.skip()
            node = self.value()
            members.append(JMember(key, key_start, key_end, node))
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith("}", self.pos):
                self.pos += 1
                break
            raise self.fail("expected ',' or '}' after a member")
        value = {m.key: m.node.value for m in members}
        return JNode(start, self.pos, value, members=members)

    def arr(self) -> JNode:
        start = self.pos
        self.pos += 1
        items: list[JNode] = []
        self.skip()
        if self.text.startswith("]", self.pos):
            self.pos += 1
            return JNode(start, self.pos, [], items=items)
        while True:
            self.skip()
            if self.text.startswith("]", self.pos) and items:
                raise self.fail("trailing comma before ']'")
            items.append(self.value())
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith("]", self.pos):
                self.pos += 1
                break
            raise self.fail("expected ',' or ']' after an array item")
        return JNode(start, self.pos, [i.value for i in items], items=items)


def parse(text: str) -> JNode:
    """Parse strict JSON keeping offsets; raise :class:`JsonSyntaxError`."""
    return _Parser(text).document()


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class JsonEditor:
    """Edits one JSON document's text member by member (see the module docstring).

    An empty or blank text counts as ``{}``. The top level must be an object.
    """

    def __init__(self, text: str) -> None:
        self._blank = not text.strip()
        self.text = text if not self._blank else "{}\n"
        self.root = parse(self.text)
        if self.root.members is None:
            raise JsonSyntaxError("the top level is not an object", self.text, self.root.start)
        self.newline = "\r\n" if "\r\n" in self.text else "\n"
        self.unit = self._detect_unit()
        self.separator = self._detect_separator()
        self.inline_arrays = self._detect_inline_arrays()
        self.comma = self._detect_comma()

    # -- style detection ----------------------------------------------------------

    def _line_indent(self, offset: int) -> str:
        line_start = self.text.rfind("\n", 0, offset) + 1
        m = re.match(r"[ \t]*", self.text[line_start:])
        return m.group(0) if m else ""

    def _starts_line(self, offset: int) -> bool:
        line_start = self.text.rfind("\n", 0, offset) + 1
        return not self.text[line_start:offset].strip()

    def _detect_unit(self) -> str:
        def walk(node: JNode, depth: int) -> str | None:
            children: list[tuple[int, JNode]] = []
            if node.members:
                children = [(m.key_start, m.node) for m in node.members]
            elif node.items:
                children = [(i.start, i) for i in node.items]
            for offset, child in children:
                if self._starts_line(offset) and depth >= 0:
                    indent = self._line_indent(offset)
                    if indent:
                        level = depth + 1
                        if indent[0] == "\t":
                            return "\t"
                        return " " * max(1, len(indent) // level)
                found = walk(child, depth + 1)
                if found:
                    return found
            return None

        return walk(self.root, 0) or "  "

    def _detect_separator(self) -> str:
        def walk(node: JNode) -> str | None:
            for m in node.members or ():
                return self.text[m.key_end : m.node.start]
            for i in node.items or ():
                found = walk(i)
                if found:
                    return found
            return None

        sep = walk(self.root) or ": "
        return sep if sep.strip() == ":" and "\n" not in sep else ": "

    def _detect_inline_arrays(self) -> bool:
        def arrays(node: JNode) -> list[JNode]:
            out: list[JNode] = []
            if node.items and all(i.items is None and i.members is None for i in node.items):
                out.append(node)  # arrays of scalars show the file's list style
            for m in node.members or ():
                out.extend(arrays(m.node))
            for i in node.items or ():
                out.extend(arrays(i))
            return out

        found = arrays(self.root)
        if not found:
            return False
        return "\n" not in self.text[found[0].start : found[0].end]

    def _detect_comma(self) -> str:
        members = self.root.members or []
        if len(members) >= 2:
            between = self.text[members[0].node.end : members[1].key_start]
            if "\n" not in between:
                return between
        return ", "

    @property
    def multiline(self) -> bool:
        """Whether the top-level object puts its members on their own lines.

        An empty object counts as multi-line (the style Docker's own docs use).
        """
        if self._blank or not self.root.members:
            return True
        return "\n" in self.text[self.root.start : self.root.end]

    # -- reading ------------------------------------------------------------------

    def get(self, path: tuple[str, ...]) -> JNode | None:
        """The node at ``path`` (object keys from the top), None when absent."""
        node: JNode | None = self.root
        for key in path:
            if node is None or node.members is None:
                return None
            m = node.member(key)
            node = m.node if m else None
        return node

    @property
    def value(self) -> Any:
        """The whole document as Python data."""
        return self.root.value

    # -- serialising --------------------------------------------------------------

    def dump(self, value: Any, indent: str, *, inline: bool | None = None) -> str:
        """``value`` as JSON text for a line indented by ``indent`` in this file's style."""
        nl = self.newline
        if inline is None:
            inline = not self.multiline
        if isinstance(value, dict):
            if not value:
                return "{}"
            if inline:
                inner = ", ".join(
                    f"{json.dumps(k, ensure_ascii=False)}{self.separator}"
                    f"{self.dump(v, indent, inline=True)}"
                    for k, v in value.items()
                )
                return "{" + inner + "}"
            inner_indent = indent + self.unit
            lines = [
                f"{inner_indent}{json.dumps(k, ensure_ascii=False)}{self.separator}"
                f"{self.dump(v, inner_indent)}"
                for k, v in value.items()
            ]
            return "{" + nl + ("," + nl).join(lines) + nl + indent + "}"
        if isinstance(value, list):
            if not value:
                return "[]"
            scalars = all(not isinstance(v, dict | list) for v in value)
            if inline or (scalars and self.inline_arrays):
                return "[" + ", ".join(self.dump(v, indent, inline=True) for v in value) + "]"
            inner_indent = indent + self.unit
            lines = [inner_indent + self.dump(v, inner_indent) for v in value]
            return "[" + nl + ("," + nl).join(lines) + nl + indent + "]"
        return json.dumps(value, ensure_ascii=False)

    # -- editing ------------------------------------------------------------------

    def _replace(self, start: int, end: int, text: str) -> None:
        new = self.text[:start] + text + self.text[end:]
        self.text = new
        self.root = parse(new)
        self._blank = False

    def _member_indent(self, obj: JNode) -> str:
        if obj.members and self._starts_line(obj.members[0].key_start):
            return self._line_indent(obj.members[0].key_start)
        return self._line_indent(obj.start) + self.unit

    def set(self, path: tuple[str, ...], value: Any) -> bool:
        """Set the member at ``path`` to ``value``; return whether the text changed.

        Missing objects on the way are created. Raises ValueError when something on
        the way exists but is not an object.
        """
        if not path:
            raise ValueError("empty path")
        obj = self.root
        for depth, key in enumerate(path[:-1]):
            m = obj.member(key)
            if m is None:
                nested: Any = value
                for k in reversed(path[depth + 1 :]):
                    nested = {k: nested}
                return self._insert(obj, key, nested)
            if m.node.members is None:
                raise ValueError(f"{'.'.join(path[: depth + 1])} is not an object")
            obj = m.node
        key = path[-1]
        m = obj.member(key)
        if m is None:
            return self._insert(obj, key, value)
        if _same(m.node.value, value):
            return False
        old = self.text[m.node.start : m.node.end]
        inline = "\n" not in old
        if not inline and not isinstance(value, dict | list):
            inline = True
        self._replace(
            m.node.start,
            m.node.end,
            self.dump(value, self._line_indent(m.key_start), inline=inline),
        )
        return True

    def _insert(self, obj: JNode, key: str, value: Any) -> bool:
        assert obj.members is not None
        k = json.dumps(key, ensure_ascii=False)
        multi = "\n" in self.text[obj.start : obj.end] or (obj is self.root and self.multiline)
        if not obj.members and obj is not self.root and self.multiline:
            multi = True
        if multi:
            indent = self._member_indent(obj)
            member = f"{indent}{k}{self.separator}{self.dump(value, indent, inline=False)}"
            if obj.members:
                last = obj.members[-1].node
                self._replace(last.end, last.end, "," + self.newline + member)
            else:
                close = self._line_indent(obj.start) if obj is not self.root else ""
                if obj is not self.root and not self._starts_line(obj.start):
                    close = self._line_indent(obj.start)
                body = "{" + self.newline + member + self.newline + close + "}"
                self._replace(obj.start, obj.end, body)
            return True
        member = f"{k}{self.separator}{self.dump(value, '', inline=True)}"
        if obj.members:
            last = obj.members[-1].node
            self._replace(last.end, last.end, self.comma + member)
        else:
            inner = self.text[obj.start + 1 : obj.end - 1]
            pad = " " if inner else ""
            self._replace(obj.start, obj.end, "{" + pad + member + pad + "}")
        return True

    def remove(self, path: tuple[str, ...]) -> bool:
        """Remove the member at ``path``; return whether it existed."""
        parent = self.get(path[:-1])
        if parent is None or parent.members is None:
            return False
        members = parent.members
        for i, m in enumerate(members):
            if m.key != path[-1]:
                continue
            if len(members) == 1:
                self._replace(parent.start + 1, parent.end - 1, "")
            elif i + 1 < len(members):
                self._replace(m.key_start, members[i + 1].key_start, "")
            else:
                self._replace(members[i - 1].node.end, m.node.end, "")
            return True
        return False
