"""The files beside a Dockerfile that rules may consult: go.mod, go.sum, .dockerignore, vendor/.

Rules never open files themselves; they ask a :class:`ProjectContext`, which reads
each file at most once, caps what it reads, and answers ``None`` for "unknown" (no
folder, e.g. a Dockerfile read from stdin) so rules can stay silent instead of guessing.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

MAX_SIDE_FILE_BYTES = 4 * 1024 * 1024

_GO_VERSION_RE = re.compile(r"^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:rc|beta)\d+)?$")


@dataclass(frozen=True, slots=True, order=True)
class GoVersion:
    """A Go language or release version such as 1.22, 1.22.3 or 1.23rc1."""

    major: int
    minor: int
    patch: int = 0
    pre: str = ""  # "rc1", "beta2" or ""; compared only as a tie-breaker

    @classmethod
    def parse(cls, text: str) -> GoVersion | None:
        """Parse ``1.22``, ``1.22.3``, ``go1.22.3`` or ``1.23rc1``; None when it is not one."""
        m = _GO_VERSION_RE.match(text.strip())
        if not m:
            return None
        return cls(int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0), m.group(4) or "")

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}"
        if self.patch:
            base += f".{self.patch}"
        return base + self.pre


@dataclass(frozen=True, slots=True)
class GoMod:
    """The facts of go.mod that rules use."""

    module: str | None
    go: GoVersion | None  # the ``go`` directive
    go_text: str | None
    go_line: int | None
    toolchain: GoVersion | None  # the ``toolchain`` directive (``go1.22.3``)
    toolchain_text: str | None
    requires: tuple[str, ...]  # required module paths

    @property
    def required_version(self) -> GoVersion | None:
        """The newest Go version the module asks for (go line or toolchain line)."""
        versions = [v for v in (self.go, self.toolchain) if v is not None]
        return max(versions) if versions else None


def parse_go_mod(text: str) -> GoMod:
    """Extract module, go, toolchain and require paths from go.mod text (lenient)."""
    module = go_text = toolchain_text = None
    go_line = None
    requires: list[str] = []
    in_require = False
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if in_require:
            if line.startswith(")"):
                in_require = False
            else:
                requires.append(line.split()[0])
            continue
        parts = line.split()
        head = parts[0]
        if head == "module" and len(parts) >= 2:
            module = parts[1].strip('"')
        elif head == "go" and len(parts) >= 2:
            go_text, go_line = parts[1], lineno
        elif head == "toolchain" and len(parts) >= 2:
            toolchain_text = parts[1]
        elif head == "require":
            if len(parts) >= 2 and parts[1] == "(":
                in_require = True
            elif len(parts) >= 2:
                requires.append(parts[1])
    return GoMod(
        module=module,
        go=GoVersion.parse(go_text) if go_text else None,
        go_text=go_text,
        go_line=go_line,
        toolchain=GoVersion.parse(toolchain_text) if toolchain_text else None,
        toolchain_text=toolchain_text,
        requires=tuple(requires),
    )


class DockerIgnore:
    """``.dockerignore`` patterns with BuildKit's matching (``**``, ``!`` exceptions).

    A path is excluded when the last pattern that matches it, or one of its parent
    folders, is not an exception.
    """

    def __init__(self, text: str) -> None:
        self.patterns: list[tuple[bool, str, re.Pattern[str]]] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:].strip()
            pattern = _clean_path(line)
            if not pattern:
                continue
            self.patterns.append((negate, pattern, re.compile(_pattern_regex(pattern))))

    def is_excluded(self, path: str) -> bool:
        """Whether ``path`` (relative to the context root) is left out of the build context."""
        path = _clean_path(path)
        if not path:
            return False
        parents = _parents(path)
        excluded = False
        for negate, _pattern, regex in self.patterns:
            hit = regex.match(path) is not None or any(regex.match(p) for p in parents)
            if hit:
                excluded = not negate
        return excluded


def _clean_path(p: str) -> str:
    p = p.replace("\\", "/").strip()
    p = os.path.normpath(p).replace("\\", "/") if p else p
    p = p.lstrip("/")
    return "" if p == "." else p


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _pattern_regex(pattern: str) -> str:
    out = ["^"]
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            # "**/" matches zero or more folders; a trailing "**" matches everything.
            if pattern.startswith("**/", i):
                out.append("(?:.*/)?")
                i += 3
            else:
                out.append(".*")
                i += 2
            continue
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                out.append(fnmatch.translate(pattern[i : j + 1])[4:-3])
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    out.append("$")
    return "".join(out)


class ProjectContext:
    """Lazy, read-once access to the files beside a Dockerfile.

    Args:
        root: the build context folder, or None when unknown (stdin, an unsaved buffer).
    """

    def __init__(self, root: Path | None) -> None:
        self.root = root

    @classmethod
    def empty(cls) -> ProjectContext:
        """A context that knows nothing (rules that need files stay silent)."""
        return cls(None)

    @classmethod
    def for_dockerfile(cls, dockerfile: Path) -> ProjectContext:
        """The context of a Dockerfile on disk: its folder."""
        return cls(dockerfile.resolve().parent)

    def _read(self, name: str) -> str | None:
        if self.root is None:
            return None
        path = self.root / name
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_SIDE_FILE_BYTES)
        except OSError:
            return None
        return data.decode("utf-8", errors="replace")

    def _exists(self, name: str) -> bool | None:
        if self.root is None:
            return None
        return (self.root / name).exists()

    @property
    def known(self) -> bool:
        """Whether there is a folder to look in at all."""
        return self.root is not None

    @cached_property
    def go_mod(self) -> GoMod | None:
        """go.mod, parsed; None when absent or unknown."""
        text = self._read("go.mod")
        return parse_go_mod(text) if text is not None else None

    @cached_property
    def has_go_mod(self) -> bool | None:
        """Whether go.mod exists (None when unknown)."""
        return self._exists("go.mod")

    @cached_property
    def has_go_sum(self) -> bool | None:
        """Whether go.sum exists (None when unknown)."""
        return self._exists("go.sum")

    @cached_property
    def has_vendor(self) -> bool | None:
        """Whether a vendor/modules.txt exists (None when unknown)."""
        return self._exists("vendor/modules.txt")

    @cached_property
    def has_dockerignore(self) -> bool | None:
        """Whether .dockerignore exists (None when unknown)."""
        return self._exists(".dockerignore")

    @cached_property
    def dockerignore(self) -> DockerIgnore | None:
        """The parsed .dockerignore, or None when absent or unknown."""
        text = self._read(".dockerignore")
        return DockerIgnore(text) if text is not None else None
