"""``python -m s47desk.cli``."""

import sys

from s47desk.cli import main

sys.exit(main())
