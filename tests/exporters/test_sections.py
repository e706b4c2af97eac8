"""The section writer: what it copies from the last file, and what it refuses to trust."""

from __future__ import annotations

import os
import struct
from functools import partial
from pathlib import Path

import pytest

from kg.build import build
from kg.errors import KgError
from kg.exporters.jsontext import json_text, read_data_script
from kg.exporters.sections import (
    Unchanged,
    digest,
    record_memo,
    release_keys,
    sectioned_write,
    shed_section_keys,
    store_keys,
)
from kg.exporters.shards import write_shard
from kg.exporting import write_exports
from tests.conftest import CORPUS

TEXTS = {b"a": "甲的一节\n", b"b": "乙的一节\n", b"c": "丙的一节\n"}


def _write(path: Path, memo: Path, keys: list[bytes], rendered: list[bytes]) -> tuple[int, int]:
    def render(key: bytes) -> tuple[str, int]:
        rendered.append(key)
        return TEXTS[key], 1

    with sectioned_write(path, memo, "test") as writer:
        writer.raw("head\n")
        for key in keys:
            writer.section(digest(key), partial(render, key))
        writer.raw("tail\n")
    return writer.reuse


def test_unchanged_sections_are_copied_and_the_bytes_are_the_same(tmp_path: Path) -> None:
    path, memo = tmp_path / "out.txt", tmp_path / "memo"
    rendered: list[bytes] = []
    assert _write(path, memo, [b"a", b"b"], rendered) == (0, 2)
    assert _write(path, memo, [b"a", b"c", b"b"], rendered) == (2, 3)
    assert rendered == [b"a", b"b", b"c"]  # c alone rendered the second time
    assert path.read_text(encoding="utf-8") == "head\n甲的一节\n丙的一节\n乙的一节\ntail\n"


def test_a_section_written_twice_is_copied_from_its_index(tmp_path: Path) -> None:
    # The index keeps rows as written (a key twice: two rows); read back, a key is its last row.
    path, memo = tmp_path / "out.txt", tmp_path / "memo"
    rendered: list[bytes] = []
    assert _write(path, memo, [b"a", b"b", b"a"], rendered) == (0, 3)
    rendered.clear()
    assert _write(path, memo, [b"b", b"a", b"a"], rendered) == (3, 3)
    assert rendered == []
    assert path.read_text(encoding="utf-8") == "head\n乙的一节\n甲的一节\n甲的一节\ntail\n"


def test_an_index_that_does_not_describe_the_file_is_ignored(tmp_path: Path) -> None:
    path, memo = tmp_path / "out.txt", tmp_path / "memo"
    rendered: list[bytes] = []
    _write(path, memo, [b"a", b"b"], rendered)
    index = memo / "out.txt.sections"
    good = index.read_bytes()
    for bad in (b"", b"garbage", good[:-5], good[:20] + bytes(40) + good[60:]):
        index.write_bytes(bad)
        rendered.clear()
        assert _write(path, memo, [b"a", b"b"], rendered)[0] == 0
        assert rendered == [b"a", b"b"]
        assert path.read_text(encoding="utf-8") == "head\n甲的一节\n乙的一节\ntail\n"
    # The file shortened behind the index's back (its size no longer what the index says).
    _write(path, memo, [b"a", b"b"], rendered)
    path.write_bytes(path.read_bytes()[:10])
    rendered.clear()
    assert _write(path, memo, [b"a", b"b"], rendered)[0] == 0


def test_a_record_memo_gives_back_what_it_kept(tmp_path: Path) -> None:
    calls: list[str] = []

    def render(text: str) -> str:
        calls.append(text)
        return text

    for _ in range(2):
        with record_memo(tmp_path, "records") as memo:
            got = [memo.text(digest(k), partial(render, t)) for k, t in TEXTS.items()]
        assert got == list(TEXTS.values())
    assert calls == list(TEXTS.values())  # rendered once, kept after
    with record_memo(None, "records") as memo:  # no cache folder: rendered every time
        assert memo.text(digest(b"a"), lambda: render("x")) == "x"


def test_a_compound_section_keeps_its_inner_sections_through_a_copy(tmp_path: Path) -> None:
    """A node's section copied whole still knows its statements: when the node changes a build
    later, the statements it kept are copied one by one."""
    path, memo = tmp_path / "out.txt", tmp_path / "memo"
    rendered: list[bytes] = []

    def render(key: bytes) -> tuple[str, int]:
        rendered.append(key)
        return TEXTS[key], 1

    def write(node: bytes, inner: list[bytes]) -> None:
        with sectioned_write(path, memo, "test") as writer:
            writer.raw("head\n")
            if writer.copy(digest(node)) is None:
                with writer.compound(digest(node)):
                    writer.raw("node\n", 1)
                    for key in inner:
                        writer.section(digest(key), partial(render, key))
            writer.raw("tail\n")
        assert writer.triples == 1 + len(inner)

    write(b"n1", [b"a", b"b"])
    write(b"n1", [b"a", b"b"])  # copied whole
    assert rendered == [b"a", b"b"]
    write(b"n2", [b"a", b"c"])  # the node changed: a copied on its own, c rendered
    assert rendered == [b"a", b"b", b"c"]
    assert path.read_text(encoding="utf-8") == "head\nnode\n甲的一节\n丙的一节\ntail\n"


def _unchanged_run(memo: Path, digests: dict[str, bytes], reads: dict[str, list[str]]) -> dict[str, bool]:
    """One build's pass over records: which were taken by their old key (True) and which keyed afresh."""
    taken = {}
    with record_memo(memo, "pages") as pages:
        unchanged = Unchanged(pages, digests)
        for record, read in reads.items():
            key = unchanged.key(record)
            taken[record] = key is not None
            if key is None:
                key = digest(record.encode() + b"".join(digests[n] for n in read))
                pages.text(key, partial(str.format, "page {}", record))
            else:
                assert unchanged.reads(record) == sorted(read)
                assert pages.text(key, lambda: "never rendered") == f"page {record}"
            unchanged.remember(record, key, read)
        unchanged.save()
    return taken


def test_records_that_read_no_changed_node_keep_their_keys(tmp_path: Path) -> None:
    memo = tmp_path / "memo"
    digests = {n: digest(n.encode()) for n in ("org", "post", "person", "meeting")}
    reads = {"org": ["org", "post", "meeting"], "person": ["person", "post"], "meeting": ["meeting"]}
    assert not any(_unchanged_run(memo, digests, reads).values())  # nothing kept yet
    assert all(_unchanged_run(memo, digests, reads).values())
    changed = {**digests, "post": digest(b"post, with a new holder")}
    assert _unchanged_run(memo, changed, reads) == {"org": False, "person": False, "meeting": True}
    gone = {n: d for n, d in changed.items() if n != "meeting"} | {"meeting2": digest(b"m2")}
    reads2 = {"org": ["org", "post"], "person": ["person", "post"], "meeting2": ["meeting2"]}
    assert _unchanged_run(memo, gone, reads2) == {"org": False, "person": True, "meeting2": False}


def test_a_record_taken_as_it_was_keeps_what_it_read_as_nodes_come_and_go(tmp_path: Path) -> None:
    """``keyed`` keeps what an unchanged record read by its old numbers, renumbered when saved:
    after nodes come before it in name order, or go, a change to what it read still finds it."""
    memo = tmp_path / "memo"
    worked: list[str] = []

    def run(digests: dict[str, bytes], reads: dict[str, list[str]]) -> list[str]:
        worked.clear()
        with record_memo(memo, "pages") as pages:
            unchanged = Unchanged(pages, digests)
            for record, read in reads.items():

                def work_out(record: str = record, read: list[str] = read) -> tuple[bytes, list[str]]:
                    worked.append(record)
                    return digest(record.encode() + b"".join(digests[n] for n in read)), read

                key = unchanged.keyed(record, work_out)
                pages.text(key, partial(str.format, "page {}", record))
            unchanged.save()
        return sorted(worked)

    digests = {n: digest(n.encode()) for n in ("b", "d")}
    assert run(digests, {"b": ["b", "d"], "d": ["d"]}) == ["b", "d"]
    assert run(digests, {"b": ["b", "d"], "d": ["d"]}) == []
    digests |= {"a": digest(b"a"), "c": digest(b"c")}  # numbered before b and d
    assert run(digests, {"a": ["a"], "b": ["b", "d"], "c": ["c"], "d": ["d"]}) == ["a", "c"]
    del digests["a"]
    assert run(digests, {"b": ["b", "d"], "c": ["c"], "d": ["d"]}) == []
    digests["d"] = digest(b"d, changed")
    assert run(digests, {"b": ["b", "d"], "c": ["c"], "d": ["d"]}) == ["b", "d"]
    digests["b"] = digest(b"b, changed")
    assert run(digests, {"b": ["b", "d"], "c": ["c"], "d": ["d"]}) == ["b"]


def test_a_record_remembered_twice_is_kept_as_the_last_and_one_that_read_a_stranger_not_at_all(
    tmp_path: Path,
) -> None:
    memo = tmp_path / "memo"
    digests = {"a": digest(b"a"), "b": digest(b"b")}
    first, last = digest(b"page a, first"), digest(b"page a, last")
    with record_memo(memo, "pages") as pages:
        unchanged = Unchanged(pages, digests)
        for key in (first, last):
            pages.put(key, b"page a")
        unchanged.remember("a", first, ["a", "b"])
        unchanged.remember("a", last, ["a"])
        unchanged.remember("b", digest(b"page b"), ["b", "not a node"])
        unchanged.save()
    with record_memo(memo, "pages") as pages:
        again = Unchanged(pages, {**digests, "b": digest(b"b, changed")})
        assert again.key("a") == last  # it read only a, which did not change
        assert again.reads("a") == ["a"]
        assert again.key("b") is None


def test_unreadable_reads_count_as_nothing_kept(tmp_path: Path) -> None:
    memo = tmp_path / "memo"
    key = digest(b"page a")
    digests = {"a": digest(b"a"), "b": digest(b"b")}
    with record_memo(memo, "pages") as pages:
        unchanged = Unchanged(pages, digests)
        unchanged.remember("a", key, ["a", "b"])
        unchanged.save()
    with record_memo(memo, "pages") as pages:
        good = pages.previous(Unchanged._STATE)
    assert good is not None
    head = struct.pack("<QQQQ", 2, 3, 1, 2)  # two nodes, "a\0b", one record, two nodes read
    assert good.startswith(head)
    # It ends with the record's number, how many nodes it read, and theirs.
    assert good.endswith(struct.pack("<4I", 0, 2, 0, 1))
    bad = (
        b"",
        b"garbage",
        good[:-4],  # the last number cut off
        good + bytes(4),  # a number too many
        good[:-4] + struct.pack("<I", 2),  # a node number past the nodes
        good[:-16] + struct.pack("<4I", 2, 2, 0, 1),  # a record named by a node past the nodes
        good[:-16] + struct.pack("<4I", 0, 1, 0, 1),  # fewer nodes read than there are
        struct.pack("<QQQQ", 3, 3, 1, 2) + good[len(head) :],  # more nodes than names
        head + b"\xff\xfe\0" + good[len(head) + 3 :],  # names that are not UTF-8
    )
    for kept in (good, *bad):
        with record_memo(memo, "pages") as pages:
            pages.put(key, b"page a")
            pages.put(Unchanged._STATE, kept)
        with record_memo(memo, "pages") as pages:
            assert Unchanged(pages, digests).key("a") == (key if kept == good else None), kept


def test_a_file_cut_short_while_it_is_copied_from_is_an_error_not_a_short_export(tmp_path: Path) -> None:
    path, memo = tmp_path / "out.txt", tmp_path / "memo"
    _write(path, memo, [b"a", b"b", b"c"], [])
    cut_short = pytest.raises(KgError, match="changed while it was copied from")
    with cut_short, sectioned_write(path, memo, "test") as writer:
        writer.section(digest(b"a"), lambda: ("never", 0))
        writer.section(digest(b"b"), lambda: ("never", 0))
        os.truncate(path, 3)  # another hand, between the check of the index and the copy
        writer.raw("tail\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memo", "out.txt"]  # no temporary left


def test_section_keys_let_go_are_worked_out_again_when_asked(tmp_path: Path) -> None:
    """After the RDF formats the section keys are shed (the explorer does not read them): a
    Turtle export of the same store afterwards works them out again and writes the same bytes."""
    store = build(CORPUS).store
    write_exports(store, tmp_path / "first", ["ttl"], memo=tmp_path / "memo")
    keys = store_keys(store, sections=False)
    before = dict(store_keys(store).sections)
    shed_section_keys()
    assert keys.shed and not keys.sections and keys.digests  # digests kept, sections gone
    assert store_keys(store).sections == before
    shed_section_keys()
    (tmp_path / "second").mkdir()
    write_exports(store, tmp_path / "second", ["ttl"])
    assert (tmp_path / "second" / "graph.ttl").read_bytes() == (tmp_path / "first" / "graph.ttl").read_bytes()
    release_keys()


def _shard_of(
    memo: Path,
    out: Path,
    keys: list[bytes],
    previous: Path | None,
    rendered: list[bytes],
    deflated: bool = False,
) -> bytes:
    def render(key: bytes) -> str:
        rendered.append(key)
        return json_text(TEXTS[key])

    out.parent.mkdir(parents=True, exist_ok=True)
    with record_memo(memo, "shards") as writer:
        records = [(k.decode(), digest(k), partial(render, k)) for k in keys]
        write_shard(out, "kgTest", records, writer, previous, deflated=deflated)
    return out.read_bytes()


@pytest.mark.parametrize("deflated", [False, True])
def test_a_shard_file_is_copied_only_when_made_of_the_same_records_and_left_as_written(
    tmp_path: Path, deflated: bool
) -> None:
    """The last build's shard file is copied when the memo says it was written from the same
    records (names, keys, order) and the file still holds those bytes; every record is carried
    over for the build after. Otherwise the records are assembled again (from the memo), kept as
    JSON or each deflated on its own."""
    memo = tmp_path / "memo"
    rendered: list[bytes] = []
    _shard = partial(_shard_of, deflated=deflated)
    first = _shard(memo, tmp_path / "1" / "s.js", [b"a", b"b"], None, rendered)
    assert rendered == [b"a", b"b"]
    assert read_data_script(first.decode("ascii"))[1] == {"a": TEXTS[b"a"], "b": TEXTS[b"b"]}
    rendered.clear()
    assert _shard(memo, tmp_path / "2" / "s.js", [b"a", b"b"], tmp_path / "1" / "s.js", rendered) == first
    assert rendered == []
    # The copy carried every record over: a shard that differs still finds them in the memo.
    second = _shard(memo, tmp_path / "3" / "s.js", [b"b", b"a", b"c"], tmp_path / "2" / "s.js", rendered)
    assert rendered == [b"c"]
    assert read_data_script(second.decode("ascii"))[1] == {
        "b": TEXTS[b"b"],
        "a": TEXTS[b"a"],
        "c": TEXTS[b"c"],
    }
    # Edited since it was written: not copied, whatever the memo says.
    edited = tmp_path / "3" / "s.js"
    edited.write_bytes(second.replace(b'");', b'A");'))
    rendered.clear()
    assert _shard(memo, tmp_path / "4" / "s.js", [b"b", b"a", b"c"], edited, rendered) == second
    assert rendered == []  # its records were still in the memo


def test_a_deflated_shard_is_the_one_a_cold_build_writes_and_takes_no_damaged_piece(tmp_path: Path) -> None:
    """Joined from pieces kept over builds, a deflated shard has the bytes of one written with no
    memo; a kept piece that is not in the shape written is rendered again."""
    rendered: list[bytes] = []
    memo = tmp_path / "memo"
    _shard_of(memo, tmp_path / "1" / "s.js", [b"a", b"b"], None, rendered, deflated=True)
    rebuilt = _shard_of(memo, tmp_path / "2" / "s.js", [b"c", b"b", b"a"], None, rendered, deflated=True)
    cold = _shard_of(tmp_path / "fresh", tmp_path / "3" / "s.js", [b"c", b"b", b"a"], None, [], deflated=True)
    assert rebuilt == cold
    assert rendered == [b"a", b"b", b"c"]  # b and a were taken from the memo
    memo_file = memo / "shards"
    data, written = memo_file.read_bytes(), memo_file.stat()
    at = data.index(b" ")  # between the first piece's checksum and size: no number now
    memo_file.write_bytes(data[:at] + b"x" + data[at + 1 :])
    os.utime(memo_file, ns=(written.st_atime_ns, written.st_mtime_ns))  # as the index has it
    rendered.clear()
    again = _shard_of(memo, tmp_path / "4" / "s.js", [b"c", b"b", b"a"], None, rendered, deflated=True)
    assert again == cold and len(rendered) == 1  # that piece's record, and only it


def test_a_nodes_digest_follows_what_the_articles_naming_it_say() -> None:
    """A store add_article filled digests each node's evidence by the articles naming it (their
    facts' and text's digests): an article's facts changing changes the digests of the nodes it
    names, and no other; a store without fact digests is digested record by record."""
    from kg.exporters.sections import node_digests

    store = build(CORPUS).store
    before = node_digests(store)
    article = sorted(store.fact_digests)[0]
    naming = {n for n, d in store.node_data.items() if article in d.get("articles", ())}
    assert naming and len(naming) < len(before)
    store.fact_digests[article] = b"changed"
    after = node_digests(store)
    assert {n for n in before if after[n] != before[n]} == naming
    store.fact_digests.clear()  # as add_fact leaves it: the records themselves are read
    by_records = node_digests(store)
    assert by_records == node_digests(store) and by_records != before


def _memo_build(memo: Path, texts: dict[str, str], rendered: list[str], fail: bool = False) -> None:
    def render(name: str) -> str:
        rendered.append(name)
        return texts[name]

    with record_memo(memo, "records") as writer:
        for name, text in texts.items():
            assert writer.text(digest(text.encode()), partial(render, name)) == text
        if fail:
            raise RuntimeError("a build stopped")


def test_a_record_memo_is_added_to_and_written_anew_once_mostly_dropped(tmp_path: Path) -> None:
    """A build adds what it renders at the memo's end and leaves what it keeps where it is; once
    the file holds more than twice what the last build kept (and the spare), it is written anew
    with only that. Every kept record is found in every build."""
    memo = tmp_path / "memo"
    path = memo / "records"
    big = {f"r{i}": f"{i:06d}" * 700 for i in range(3000)}  # 4 KB each, 12 MB in all
    rendered: list[str] = []
    _memo_build(memo, big, rendered)
    assert len(rendered) == len(big)
    first = path.read_bytes()
    # One record changed: the file grows by it; what was there is not written again.
    changed = {**big, "r7": "changed"}
    rendered.clear()
    _memo_build(memo, changed, rendered)
    assert rendered == ["r7"]
    now = path.read_bytes()
    assert now.startswith(first) and now[len(first) :].endswith(b"changed") and len(now) < len(first) + 100
    # Most records dropped: past the slack, the file is only what was kept.
    few = {name: changed[name] for name in list(changed)[:10]} | {"new": "新的一条"}
    rendered.clear()
    _memo_build(memo, few, rendered)
    assert rendered == ["new"]
    assert path.stat().st_size > 12_000_000  # added to: 28,000 bytes kept of 12 MB is within the spare
    _memo_build(memo, few, rendered)
    keep = {name: few[name] for name in list(few)[:3]}
    sizes = []
    for round_ in range(5):  # each build drops more than it keeps: the file is written anew
        rendered.clear()
        _memo_build(memo, keep | {f"x{round_}": str(round_) * 9_000_000}, rendered)
        assert rendered == [f"x{round_}"]
        sizes.append(path.stat().st_size)
    assert min(sizes) < 9_100_000 < max(sizes)  # written anew at least once, and kept whole between


def test_a_build_that_fails_leaves_the_memo_as_the_last_one_kept_it(tmp_path: Path) -> None:
    memo = tmp_path / "memo"
    rendered: list[str] = []
    _memo_build(memo, {"a": "甲", "b": "乙"}, rendered)
    before = (memo / "records").read_bytes()
    with pytest.raises(RuntimeError):
        _memo_build(memo, {"a": "甲", "c": "丙"}, rendered, fail=True)
    assert (memo / "records").read_bytes() == before  # cut back: the last index holds
    rendered.clear()
    _memo_build(memo, {"a": "甲", "b": "乙", "c": "丙"}, rendered)
    assert rendered == ["c"]
