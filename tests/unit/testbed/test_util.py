"""Clean-up of the test bed's temp dirs never touches anything outside them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.testbed._util import _remove_tree, make_tempdir, name


def test_removing_a_vanished_dir_leaves_the_parent_alone(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir(mode=0o755)
    gone = parent / "gone"
    before = stat.S_IMODE(os.stat(parent).st_mode)
    _remove_tree(gone)  # FileNotFoundError goes to the error handler: no chmod of parent
    assert stat.S_IMODE(os.stat(parent).st_mode) == before


def test_read_only_trees_are_removed(tmp_path: Path) -> None:
    root = make_tempdir("util")
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "f").write_text("x")
    os.chmod(root / "a" / "b", 0o500)
    os.chmod(root / "a", 0o500)
    _remove_tree(root)
    assert not root.exists()
    assert root.name.startswith(name("util"))
