"""The bundle's entry point: the same as the ``s47desk`` console script (s47desk.cli:main)."""

import sys

from s47desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
