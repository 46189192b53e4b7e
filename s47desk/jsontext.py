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
    _write(value, out, 0, indent)
    return "".join(out)


def _write(value: Any, out: list[str], level: int, indent: int) -> None:
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
            out.append(_fallback(value, level, indent))
            return
        inner = "\n" + " " * (indent * (level + 1))
        first = True
        out.append("{")
        for key, item in value.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(encode_basestring(key))
            out.append(": ")
            # The common leaves written here, not by a call each (most of a list's values).
            item_kind = type(item)
            if item_kind is str:
                out.append(encode_basestring(item))
            elif item is None:
                out.append("null")
            elif item is True:
                out.append("true")
            elif item is False:
                out.append("false")
            elif item_kind is int:
                out.append(int.__repr__(item))
            else:
                _write(item, out, level + 1, indent)
        out.append("\n" + " " * (indent * level) + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (indent * (level + 1))
        out.append("[")
        for index, item in enumerate(value):
            out.append(inner if index == 0 else "," + inner)
            _write(item, out, level + 1, indent)
        out.append("\n" + " " * (indent * level) + "]")
    else:
        out.append(_fallback(value, level, indent))


def _fallback(value: Any, level: int, indent: int) -> str:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * (indent * level))
