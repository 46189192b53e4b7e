"""The core knows nothing of Qt: with PySide6 unimportable, every non-window module and command works."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SCRIPT = r"""
import importlib, importlib.abc, json, pkgutil, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is blocked: the core must not need Qt")
        return None

sys.meta_path.insert(0, NoQt())

import s47desk
from s47desk.cli import main

modules = [
    m.name for m in pkgutil.walk_packages(s47desk.__path__, "s47desk.")
    # the window, the scripts only Alembic runs, and `python -m` entry points
    if not m.name.startswith(("s47desk.ui", "s47desk.migrations."))
    and not m.name.endswith(".__main__")
]
for name in modules:
    importlib.import_module(name)

db, out = sys.argv[1], sys.argv[2]
codes = {
    "demo": main(["--db", db, "demo"]),
    "list": main(["--db", db, "list", "--json"]),
    "check": main(["--db", db, "check", "1", "--json"]),
    "export": main(["--db", db, "export-json", "3", "-o", out]),
    "check-file": main(["check", out]),
    "deadlines": main(["deadlines", "--referral", "2026-12-24", "--json"]),
}
print(json.dumps({"codes": codes, "modules": modules,
                  "qt": sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))}))
"""


def test_core_and_commands_work_without_pyside6(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            f"sqlite:///{tmp_path / 'db.sqlite3'}",
            str(tmp_path / "m.json"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["qt"] == []
    assert report["codes"] == {
        "demo": 0, "list": 0, "check": 0, "export": 0, "check-file": 1, "deadlines": 0,
    }  # fmt: skip
    assert (
        "s47desk.storage" in report["modules"] and "s47desk.checks.attendance" in report["modules"]
    )
