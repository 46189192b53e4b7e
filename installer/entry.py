"""The bundle's entry point: the same as the ``s47desk`` console script (s47desk.cli:main)."""

import sys

# Alembic imports the migration scripts from files inside the bundle; writing their bytecode
# there would leave files in the program folder that the installer did not put there.
sys.dont_write_bytecode = True

from s47desk.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
