"""``json.dumps(value, indent=2, ensure_ascii=False)``, character for character, but fast.

With an indent, the standard library falls back from its C encoder to the pure-Python one:
printing the list of 10,000 meetings took longer than reading them. Here the layout is written
directly and every string goes through the C string encoder; anything other than dicts, lists,
strings, integers, booleans and None is left to ``json.dumps`` itself.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C encoder behind ensure_ascii=False
from typing import Any

_TEXT_ONLY = {str}


def dumps_indented(value: Any, indent: int = 2) -> str:
    out: list[str] = []
    _write(value, out, 0, _Indents(indent))
    return "".join(out)


class _Indents(dict[int, tuple[str, str, str]]):
    """Per level: the text before a first item, before each later one, and before the
    closing bracket (made once per level, not once per item)."""

    def __init__(self, indent: int) -> None:
        super().__init__()
        self.indent = indent

    def __missing__(self, level: int) -> tuple[str, str, str]:
        inner = "\n" + " " * (self.indent * (level + 1))
        found = self[level] = (inner, "," + inner, "\n" + " " * (self.indent * level))
        return found


def _write(value: Any, out: list[str], level: int, indents: _Indents) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        if set(map(type, value)) != _TEXT_ONLY:  # json's own rules for other keys
            out.append(_fallback(value, level, indents.indent))
            return
        first, later, close = indents[level]
        append = out.append
        separator = "{" + first
        for key, item in value.items():
            append(separator)
            separator = later
            append(_key(key))
            # The common leaves written here, not by a call each (most of a list's values).
            item_kind = type(item)
            if item_kind is str:
                append(encode_basestring(item))
            elif item is None:
                append("null")
            elif item is True:
                append("true")
            elif item is False:
                append("false")
            elif item_kind is int:
                append(int.__repr__(item))
            else:
                _write(item, out, level + 1, indents)
        append(close + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        first, later, close = indents[level]
        separator = "[" + first
        for item in value:
            out.append(separator)
            separator = later
            _write(item, out, level + 1, indents)
        out.append(close + "]")
    else:
        out.append(_fallback(value, level, indents.indent))


_KEYS: dict[str, str] = {}


def _key(key: str) -> str:
    """A key's text and the colon after it; a list of rows repeats the same few keys."""
    found = _KEYS.get(key)
    if found is None:
        found = encode_basestring(key) + ": "
        if len(_KEYS) < 1024:
            _KEYS[key] = found
    return found


def _fallback(value: Any, level: int, indent: int) -> str:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * (indent * level))
