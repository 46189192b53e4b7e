"""The window (PySide6). Nothing outside this package imports Qt."""

from s47desk.ui.pyside_hook import install as _cheaper_import_hook

_cheaper_import_hook()
