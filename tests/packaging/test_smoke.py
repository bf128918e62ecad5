"""The hidden GUI smoke test that packaging/build_linux.sh runs against the bundle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("args", "extra_env"),
    [(["gui", "--smoke-test"], {}), (["gui"], {"GOBUILDGUI_SMOKE_TEST": "1"})],
)
def test_gui_smoke_test_opens_and_closes_the_window(
    tmp_path: Path, args: list[str], extra_env: dict[str, str]
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", **extra_env}
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
