"""The fast indented JSON is json.dumps(indent=2, ensure_ascii=False), character for character."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from s47desk.jsontext import dumps_indented

leaves = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(values)
def test_same_text_as_json(value: object) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_keys_that_are_not_text_follow_json() -> None:
    value = [{"a": {1: "x", None: [True]}}, {"é": "\u2028 \x00 ☃"}]
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
