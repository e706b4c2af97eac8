"""Page JSON spliced from pieces encoded once reads back as the structure encoded whole."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kg.exporters.jsontext import Encoded, assemble, encoded, json_text

LEAVES = st.none() | st.booleans() | st.integers() | st.text(alphabet='a<>"\\/\u2028中\x00', max_size=6)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


def _pre_encode(value: Any, depth: int = 0) -> Any:
    """The same value with some parts already encoded, as the site encodes facts and nodes."""
    if isinstance(value, dict):
        return {k: _pre_encode(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_pre_encode(v, depth + 1) for v in value]
    return encoded(value) if depth % 2 else value


@given(VALUES)
def test_assembled_text_is_the_encoded_structure(value: Any) -> None:
    text = assemble(_pre_encode(value))
    assert json.loads(text) == value
    assert text == json_text(value)  # byte for byte what encoding it whole gives
    assert "<" not in text  # safe inside <script>


def test_an_encoded_piece_is_spliced_not_quoted() -> None:
    assert assemble({"a": Encoded("[1,2]"), "b": "x"}) == '{"a":[1,2],"b":"x"}'
