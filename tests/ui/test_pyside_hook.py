"""PySide6's import hook, made cheaper, gives PySide6 the same answers and keeps no source.

(PySide6 asks it of a module that imports something: both test modules import.)
"""

from __future__ import annotations

import importlib
import linecache
import sys

import s47desk.ui  # noqa: F401  (installs the cheaper check)


def _module(tmp_path, monkeypatch, name: str, text: str):
    (tmp_path / f"{name}.py").write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module(name)


def test_modules_imported_later_are_judged_as_pyside6_judges_them(tmp_path, monkeypatch):
    feature = sys.modules["shibokensupport.feature"]
    uses = _module(tmp_path, monkeypatch, "s47_hook_uses", "from PySide6 import QtCore\n")
    plain = _module(tmp_path, monkeypatch, "s47_hook_plain", "import json\n\nVALUE = 1\n")
    assert feature._mod_uses_pyside(uses) is True
    assert feature._mod_uses_pyside(plain) is False
    # and no module's source is kept for the answer
    assert not any(
        name.endswith(("s47_hook_uses.py", "s47_hook_plain.py")) for name in linecache.cache
    )
    import inspect

    inspect_answer = "PySide6" in inspect.getsource(uses), "PySide6" in inspect.getsource(plain)
    assert inspect_answer == (True, False)  # what PySide6's own check would have said


def test_a_module_without_a_source_file_is_left_to_pyside6(tmp_path, monkeypatch):
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside(sys) is False  # built in: PySide6's own answer
