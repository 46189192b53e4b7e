"""A self-test step that fails says which and why, the rest are skipped, the exit is 1, and the
process's environment is as it was."""

from __future__ import annotations

import os

import pytest

from s47desk.ui import selftest


def test_a_failing_step_stops_the_run_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(_journey: selftest.Journey) -> str:
        raise AssertionError("the mail server refused the recipient")

    steps = (selftest.STEPS[0], ("Circulate it", refused), selftest.STEPS[1])
    monkeypatch.setattr(selftest, "STEPS", steps)
    before = {name: os.environ.get(name) for name in selftest.ISOLATED}
    lines: list[str] = []
    assert selftest.run_self_test(lines.append) == 1
    assert lines[1].startswith("  ok    Open the window offscreen")
    assert lines[2] == "  FAIL  Circulate it: the mail server refused the recipient"
    assert lines[3] == "  skip  Create a meeting"
    assert lines[-1] == "Self-test FAILED at: Circulate it"
    assert {name: os.environ.get(name) for name in selftest.ISOLATED} == before
