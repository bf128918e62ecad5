"""``python -m gobuildgui``: the same as the ``gobuildgui`` command."""

from __future__ import annotations

import sys

from gobuildgui.cli import main

if __name__ == "__main__":
    sys.exit(main())
