"""Entry script of the PyInstaller bundle: the same ``main`` as the ``gobuildgui`` command."""

import sys

from gobuildgui.cli import main

if __name__ == "__main__":
    sys.exit(main())
