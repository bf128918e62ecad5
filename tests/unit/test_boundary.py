"""The house rule: ``gobuildgui.core`` never imports Qt or the UI layer.

Two independent checks, because each misses what the other catches:

* a dynamic one imports every core module in a fresh interpreter and looks at
  ``sys.modules`` (catches indirect imports through third-party code);
* a static one reads every core source file with :mod:`ast` (catches imports hidden
  in functions that an import alone never runs).

Ruff's TID251 ban says the same at lint time; these tests keep the rule even if the
lint configuration is loosened.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import gobuildgui
import gobuildgui.core

PACKAGE_DIR = Path(gobuildgui.__file__).resolve().parent
CORE_DIR = Path(gobuildgui.core.__file__).resolve().parent

# Top-level names (or dotted prefixes) that core must never import.
FORBIDDEN = ("PySide6", "shiboken6", "gobuildgui.ui")


def _is_forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


def core_module_names() -> list[str]:
    """Every module of ``gobuildgui.core``, found with :func:`pkgutil.walk_packages`."""
    names = ["gobuildgui.core"]
    names += [
        info.name
        for info in pkgutil.walk_packages(gobuildgui.core.__path__, prefix="gobuildgui.core.")
    ]
    return sorted(names)


def core_source_files() -> list[Path]:
    """Every ``*.py`` file under ``gobuildgui/core``, package or not."""
    return sorted(p for p in CORE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def forbidden_imports(source: str, *, package: str) -> list[tuple[int, str]]:
    """Return ``(line, imported name)`` for each forbidden import in ``source``.

    ``package`` is the file's ``__package__`` (``gobuildgui.core`` for both
    ``core/__init__.py`` and ``core/model.py``), needed to resolve relative imports
    such as ``from ..ui import x``.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _is_forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, package=package)
            # ``from gobuildgui import ui`` imports gobuildgui.ui too.
            targets = [base] + [f"{base}.{a.name}" for a in node.names if a.name != "*"]
            hit = next((t for t in targets if _is_forbidden(t)), None)
            if hit is not None:
                found.append((node.lineno, hit))
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            arg = node.args[0]
            name = arg.value if isinstance(arg, ast.Constant) else None
            if isinstance(name, str) and _is_forbidden(name):
                found.append((node.lineno, name))
    return found


def _resolve_from(node: ast.ImportFrom, *, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    # One dot is the package itself; each further dot goes up one level.
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )
    return name in {"__import__", "import_module"} and bool(node.args)


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_name(path: Path) -> str:
    return ".".join(path.parent.relative_to(PACKAGE_DIR.parent).parts)


# -- the scanner itself must be able to fail -------------------------------------


@pytest.mark.parametrize(
    ("source", "package", "expected"),
    [
        ("import PySide6\n", "gobuildgui.core", "PySide6"),
        ("from PySide6.QtCore import QObject\n", "gobuildgui.core", "PySide6.QtCore"),
        ("import shiboken6\n", "gobuildgui.core", "shiboken6"),
        ("import gobuildgui.ui.app\n", "gobuildgui.core", "gobuildgui.ui.app"),
        ("from gobuildgui import ui\n", "gobuildgui.core", "gobuildgui.ui"),
        ("from gobuildgui.ui import app\n", "gobuildgui.core", "gobuildgui.ui"),
        ("from ..ui import mainwindow\n", "gobuildgui.core", "gobuildgui.ui"),
        ("from ...ui import app\n", "gobuildgui.core.dockerfile", "gobuildgui.ui"),
        ("def f():\n    import PySide6.QtWidgets\n", "gobuildgui.core", "PySide6.QtWidgets"),
        ("importlib.import_module('PySide6.QtGui')\n", "gobuildgui.core", "PySide6.QtGui"),
        ("__import__('shiboken6')\n", "gobuildgui.core", "shiboken6"),
    ],
)
def test_scanner_finds_forbidden_import(source: str, package: str, expected: str) -> None:
    found = forbidden_imports(source, package=package)
    assert [name for _line, name in found] == [expected]


@pytest.mark.parametrize(
    "source",
    [
        "import os\nfrom gobuildgui.core.model import Severity\n",
        "from . import model\nfrom .. import core\n",
        "import PySide6_helpers_that_do_not_exist\n",  # a prefix, not the package
        "from gobuildgui import uikit\n",
        "text = 'import PySide6'\n",
    ],
)
def test_scanner_accepts_clean_source(source: str) -> None:
    assert forbidden_imports(source, package="gobuildgui.core.dockerfile") == []


def test_scanner_reports_line_numbers() -> None:
    source = textwrap.dedent(
        """\
        import os

        from PySide6.QtCore import Qt
        """
    )
    assert forbidden_imports(source, package="gobuildgui.core") == [(3, "PySide6.QtCore")]


# -- the real checks ---------------------------------------------------------------


def test_core_sources_import_no_qt() -> None:
    files = core_source_files()
    assert files, f"no Python files under {CORE_DIR}"
    problems = [
        f"{path.relative_to(PACKAGE_DIR.parent)}:{line}: imports {name}"
        for path in files
        for line, name in forbidden_imports(
            path.read_text(encoding="utf-8"), package=_package_name(path)
        )
    ]
    assert not problems, "gobuildgui.core must stay Qt-free:\n" + "\n".join(problems)


def test_every_core_folder_is_a_package() -> None:
    """pkgutil (and setuptools' package discovery) skip folders without ``__init__.py``."""
    missing = sorted(
        str(folder.relative_to(PACKAGE_DIR.parent))
        for folder in {p.parent for p in core_source_files()}
        if not (folder / "__init__.py").is_file()
    )
    assert not missing, f"folders without __init__.py (invisible to pkgutil): {missing}"


_PROBE = textwrap.dedent(
    """\
    import importlib, json, sys
    failed = {}
    for name in json.loads(sys.argv[1]):
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed[name] = f"{type(exc).__name__}: {exc}"
    json.dump({"modules": sorted(sys.modules), "failed": failed}, sys.stdout)
    """
)


def test_importing_core_loads_no_qt() -> None:
    names = sorted(set(core_module_names()) | {_module_name(p) for p in core_source_files()})
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(names)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=PACKAGE_DIR.parent,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["failed"] == {}, f"core modules that fail to import: {result['failed']}"
    loaded = [m for m in result["modules"] if _is_forbidden(m)]
    assert loaded == [], f"importing gobuildgui.core loaded {loaded}"
    assert "gobuildgui.core" in result["modules"]


def test_every_catalogue_uses_exactly_the_shared_ids() -> None:
    # The parts link up through these strings; a fix, family or category that one part
    # names and another lacks would be a dead link in the window.
    from gobuildgui.core import ids
    from gobuildgui.core.diagnose import patterns
    from gobuildgui.core.fixes import FIXES
    from gobuildgui.core.probes import FAMILIES, GROUP_OF

    assert set(FIXES) == set(ids.FIX_IDS)
    assert FAMILIES == ids.PROBE_FAMILIES
    assert set(GROUP_OF) >= set(ids.PROBE_FAMILIES)
    assert {p.category for p in patterns.PATTERNS} == set(ids.LOG_CATEGORIES)
    referenced = {f for spec in FIXES.values() for f in spec.verify_probes}
    referenced |= {f for p in patterns.PATTERNS for f in p.probes}
    assert referenced <= set(ids.PROBE_FAMILIES)
    assert {f for p in patterns.PATTERNS for f in p.fixes} <= set(ids.FIX_IDS)
