"""``s47desk --self-test``, run as IT would run it: a fresh process, the window offscreen, one
line per step, exit 0 only when every step passed, and none of the user's folders touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

STEPS = 8


def test_the_self_test_passes_and_touches_nothing_of_the_users(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "s47desk.cli", "--self-test"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    steps = [line.strip() for line in lines if line.startswith("  ")]
    assert len(steps) == STEPS and all(s.startswith("ok ") for s in steps), steps
    assert "Circulate it to a mail server" in steps[-1] and "received over STARTTLS" in steps[-1]
    assert lines[-1] == "Self-test passed."
    assert result.stderr == ""  # no Qt noise, no warnings
    for folder in ("S47DESK_DATA", "S47DESK_CONFIG"):
        assert not Path(os.environ[folder]).exists()  # the user's folders were never made
    assert list(tmp_path.iterdir()) == []  # nothing left behind where it ran
