"""Page JSON spliced from pieces encoded once reads back as the structure encoded whole."""

from __future__ import annotations

import base64
import json
import random
import zlib
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kg.exporters.jsontext import (
    Encoded,
    assemble,
    data_script,
    deflate_piece,
    encoded,
    json_text,
    pieces_script,
    read_piece,
    write_data_script,
)

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


def test_a_data_script_written_in_pieces_is_the_one_written_whole(tmp_path: Path) -> None:
    # Long enough that deflate emits blocks before the end, and pieces cut anywhere: across
    # characters' bytes, mid-batch and in batches larger than one deflate call takes.
    rng = random.Random(7)
    words = ["院长", "会议", '"id":"person/3f2a"', "，", "2024-05-06", "\\u003c", "党委书记王某某"]
    text = "".join(rng.choice(words) for _ in range(200_000))
    whole = data_script("kgRows", text)
    for pieces in (3, 1000, 40_000):
        cuts = sorted(rng.sample(range(1, len(text)), pieces - 1))
        parts = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        path = tmp_path / f"{pieces}.js"
        write_data_script(path, "kgRows", parts)
        assert path.read_text(encoding="ascii") == whole
    write_data_script(tmp_path / "empty.js", "kgRows", [])
    assert (tmp_path / "empty.js").read_text(encoding="ascii") == data_script("kgRows", "")


@given(st.lists(st.text(alphabet='a{}",:中\u2028\x00', max_size=3000), max_size=6))
def test_pieces_deflated_apart_join_into_one_stream_of_their_texts(texts: list[str]) -> None:
    """The stream's checksum is combined from the pieces' own, and each piece's base64 joins:
    zlib (which checks the Adler-32) inflates the script to the texts joined."""
    script = pieces_script("kgRows", [deflate_piece(text) for text in texts])
    packed = script.removeprefix('kgRows("').removesuffix('");\n')
    assert zlib.decompress(base64.b64decode(packed)) == "".join(texts).encode("utf-8")
    for text in texts:
        piece = deflate_piece(text)
        assert read_piece(piece.stored()) == piece


def test_a_stored_piece_is_read_back_only_in_the_shape_written() -> None:
    stored = deflate_piece('{"a":1}').stored()
    assert read_piece(stored) is not None
    check, size, packed = stored.split(" ")
    for damaged in (
        "",
        "x",
        f"{check} {size}",
        f"{check} {size} {packed}=",
        f"{1 << 32} {size} {packed}",
        f"{check} -1 {packed}",
        f"{check} {size} {packed[:-1]}",
        f"{check} {size} 中{packed[1:]}",
    ):
        assert read_piece(damaged) is None, damaged
