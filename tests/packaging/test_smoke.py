"""The hidden GUI smoke test that packaging/build_linux.sh runs against the bundle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gui_smoke_test_opens_and_closes_the_window(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    args = ["gui", "--smoke-test"]
    dockerfile = ROOT / "resources" / "samples" / "corp-service" / "Dockerfile"
    result = subprocess.run(
        [sys.executable, "-m", "gobuildgui", *args, str(dockerfile)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: main window opened and closed (offscreen, icon sizes [16,")
    assert result.stdout.rstrip().endswith(" modules import")
