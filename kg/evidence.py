"""Evidence records, and the table a built graph packs them in.

Every edge of the graph holds its evidence: where the fact was read (article, sentence, offsets)
and by which rule. At 100k articles there are 3.3 million records over 1.2 million edges; as
Python objects (a named tuple, its offsets as ints, a list per edge, a string per sentence) they
were half a gigabyte of the heap. A store built from a corpus keeps them in an ``EvidenceTable``
instead: arrays of numbers, and each sentence once as UTF-16 bytes. An edge's ``evidence`` is an
``PackedEvidence``, a read-only sequence of the records of one run of the table's rows, made as they are
read. A store made by hand or read back from graph.json holds plain lists of records: anything
that reads evidence takes either.
"""

from __future__ import annotations

import codecs
from array import array
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple, overload


class EvidenceRecord(NamedTuple):
    """One place a fact was read: article, sentence text and offsets, the rule that fired.
    ``as_dict`` is the record as graph.json writes it."""

    article: str
    start: int
    end: int
    sentence: str
    rule: str
    date: str = ""  # a holds fact's: when it was observed (kg/tenures.py)
    change: str = ""  # a holds fact's: "start", "end" or "former" where the text states a change

    def as_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "rule": self.rule,
        }
        if self.date:
            record["date"] = self.date
        if self.change:
            record["change"] = self.change
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> EvidenceRecord:
        return cls(
            str(record["article"]),
            int(record["start"]),
            int(record["end"]),
            str(record["sentence"]),
            str(record["rule"]),
            str(record.get("date", "")),
            str(record.get("change", "")),
        )


def evidence_order(e: EvidenceRecord) -> tuple[str, int, str]:
    """How an edge's records are sorted: a sentence's start names it within its article, and a
    record is one sentence read by one rule (two records equal in this are one)."""
    return e.article, e.start, e.rule


def stretch(evidence: Sequence[EvidenceRecord], first: int, end: int) -> Sequence[EvidenceRecord]:
    """Records ``first`` to ``end`` of an edge's evidence, made only when read: a packed edge's
    stretch is a view of its table (a reader that wants the edges alone pays nothing for them)."""
    if isinstance(evidence, PackedEvidence):
        return PackedEvidence(evidence._table, evidence._first + first, evidence._first + end)
    return evidence[first:end]


Content = tuple[bytes, int, int, str, str, str, str]  # a record as digests read it


def contents_of(evidence: Sequence[EvidenceRecord]) -> list[Content]:
    """Each record as (sentence in UTF-16, start, end, article, rule, date, change): all it says,
    for digests, made from a packed edge's table without decoding a sentence or making a record."""
    if isinstance(evidence, PackedEvidence):
        return evidence._table.contents(evidence._first, evidence._first + len(evidence))
    return [
        (e.sentence.encode("utf-16-le"), e.start, e.end, e.article, e.rule, e.date, e.change)
        for e in evidence
    ]


def articles_of(evidence: Sequence[EvidenceRecord]) -> Iterator[str]:
    """The article of each record, without making the rest of a packed one."""
    if isinstance(evidence, PackedEvidence):
        return evidence.articles()
    return (e.article for e in evidence)


class EvidenceTable:
    """Every record of a store's edges, packed: a sentence is its article, bounds and text, kept
    once however many facts it backs (a roll call backs thirty); a record is its sentence, rule,
    date and change, four numbers. Strings (article ids, rules, dates, changes) are numbered.

    Records are added edge by edge as articles are read (``add``, to a ``PackedEvidence`` from
    ``new_edge``); ``seal`` then sorts each edge's records, drops repeats and lays every edge's
    records side by side, which is what a ``PackedEvidence`` reads. 16 bytes a record and 20 a
    sentence plus its text, where the objects took about 190 and 75."""

    def __init__(self) -> None:
        self._words: list[str] = [""]  # article ids, rules, dates, changes
        self._word_number: dict[str, int] = {"": 0}
        # Sentences: article (a word), start, end, and where its UTF-16 text begins in _text.
        self._sentence_article = array("I")
        self._sentence_start = array("I")
        self._sentence_end = array("I")
        self._text_at = array("Q", [0])
        self._text = bytearray()
        # Records: sentence, rule, date, change (words).
        self._sentence = array("I")
        self._rule = array("I")
        self._date = array("I")
        self._change = array("I")
        # While records are added: each one's edge, and every edge's PackedEvidence by number.
        self._edge = array("I")
        self._edges: list[PackedEvidence] = []
        self._sealed = 0  # the rows sealed: those of edges added since follow them
        self._dropped = 0  # rows of edges let go (``let_go``)

    def word(self, text: str) -> int:
        number = self._word_number.get(text)
        if number is None:
            number = self._word_number[text] = len(self._words)
            self._words.append(text)
        return number

    def add_sentence(self, article: str, start: int, end: int, text: str) -> int:
        """A sentence's number: the caller keeps it for every record read from the sentence."""
        self._sentence_article.append(self.word(article))
        self._sentence_start.append(start)
        self._sentence_end.append(end)
        self._text += text.encode("utf-16-le")
        self._text_at.append(len(self._text))
        return len(self._sentence_start) - 1

    def new_edge(self) -> PackedEvidence:
        """An edge's evidence, empty until ``seal``: records go to it with ``add``."""
        evidence = PackedEvidence(self, len(self._edges), _PENDING)
        self._edges.append(evidence)
        return evidence

    def add(
        self, evidence: PackedEvidence, sentence: int, rule: str, date: str = "", change: str = ""
    ) -> None:
        if evidence._end != _PENDING:
            raise ValueError("evidence is added to an edge only before its table is sealed")
        self._edge.append(evidence._first)
        self._sentence.append(sentence)
        self._rule.append(self.word(rule))
        self._date.append(self.word(date))
        self._change.append(self.word(change))

    def carry(self, evidence: PackedEvidence, old: Sequence[EvidenceRecord], but: AbstractSet[str]) -> int:
        """``old``'s records (an edge of this table, sealed), but those read in the articles
        ``but``, added to ``evidence`` (``new_edge``) as they are: an edge a patch keeps where
        only some of its articles changed (kg/patch.py). Returns how many."""
        if evidence._end != _PENDING:
            raise ValueError("evidence is added to an edge only before its table is sealed")
        if not isinstance(old, PackedEvidence) or old._table is not self or not old.sealed:
            raise ValueError("records are carried from a sealed edge of the same table")
        dropped = {self._word_number[a] for a in but if a in self._word_number}
        article, sentence = self._sentence_article, self._sentence
        kept = [row for row in range(old._first, old._end) if article[sentence[row]] not in dropped]
        self._edge.extend(evidence._first for _ in kept)
        for column in (self._sentence, self._rule, self._date, self._change):
            column.extend([column[row] for row in kept])
        return len(kept)

    def seal(self) -> None:
        """Every edge's records side by side, sorted by ``evidence_order``, repeats dropped. A
        table sealed before takes more edges (``new_edge``, ``add``) and is sealed again: the new
        edges' records go after the rows sealed then, which stay as they are."""
        edges, self._edges = self._edges, []
        sealed = self._sealed
        order, counts = _grouped(self._edge, len(edges))
        self._edge = array("I")
        # Sort keys in numbers: words and articles by their rank as strings.
        rank = array("I", bytes(4 * len(self._words)))
        for position, number in enumerate(sorted(range(len(self._words)), key=self._words.__getitem__)):
            rank[number] = position
        article, start = self._sentence_article, self._sentence_start
        old = (self._sentence, self._rule, self._date, self._change)
        new: tuple[array[int], ...] = tuple(column[:sealed] for column in old)
        sentence, rule = self._sentence, self._rule
        at = 0
        # An edge's first row is the number its predecessor ends at: the same int object, not an
        # equal one (32 bytes an edge, 40 MB at 100k articles).
        first = sealed
        for number, evidence in enumerate(edges):
            end = at + counts[number]
            rows: Sequence[int] = order[at:end] if not sealed else [sealed + row for row in order[at:end]]
            if len(rows) > 1:
                keyed = sorted(
                    (rank[article[sentence[row]]], start[sentence[row]], rank[rule[row]], row) for row in rows
                )
                rows = [k[3] for i, k in enumerate(keyed) if not i or k[:3] != keyed[i - 1][:3]]
            evidence._first = first
            for column, source in zip(new, old, strict=True):
                column.extend(source[row] for row in rows)
            evidence._end = first = len(new[0])
            at = end
        self._sentence, self._rule, self._date, self._change = new
        self._sealed = len(new[0])

    def rows(self) -> int:
        """Records in the table, those of edges a patch let go since (kg/patch.py) included."""
        return len(self._sentence)

    def let_go(self, evidence: Sequence[EvidenceRecord]) -> None:
        """An edge is gone from the graph: its rows stay, counted as no edge's (``live_rows``)."""
        if isinstance(evidence, PackedEvidence) and evidence._table is self:
            self._dropped += len(evidence)

    def live_rows(self) -> int:
        """Records of the edges the graph holds: a whole walk of them, counted as they go."""
        return len(self._sentence) - self._dropped

    def records(self, first: int, end: int) -> Iterator[EvidenceRecord]:
        words, text, at = self._words, self._text, self._text_at
        article, start, stop = self._sentence_article, self._sentence_start, self._sentence_end
        sentence, rule, date, change = self._sentence, self._rule, self._date, self._change
        decode = codecs.utf_16_le_decode
        last, shown = -1, ""
        for row in range(first, end):
            s = sentence[row]
            if s != last:
                last, shown = s, decode(text[at[s] : at[s + 1]])[0]
            yield EvidenceRecord(
                words[article[s]],
                start[s],
                stop[s],
                shown,
                words[rule[row]],
                words[date[row]],
                words[change[row]],
            )

    def contents(self, first: int, end: int) -> list[Content]:
        """``contents_of`` rows first to end."""
        words, text, at = self._words, self._text, self._text_at
        article, start, stop = self._sentence_article, self._sentence_start, self._sentence_end
        sentence, rule, date, change = self._sentence, self._rule, self._date, self._change
        return [
            (
                bytes(text[at[s] : at[s + 1]]),
                start[s],
                stop[s],
                words[article[s]],
                words[rule[row]],
                words[date[row]],
                words[change[row]],
            )
            for row in range(first, end)
            for s in (sentence[row],)
        ]

    def articles(self, first: int, end: int) -> Iterator[str]:
        """The article of each record, without the rest of it."""
        words, article, sentence = self._words, self._sentence_article, self._sentence
        for row in range(first, end):
            yield words[article[sentence[row]]]


_PENDING = -1  # a PackedEvidence's end while its table is open: its first is then its edge's number


def _grouped(edge_of: array[int], edges: int) -> tuple[array[int], array[int]]:
    """Row numbers grouped by edge, in the order they were added within each, and each edge's
    count of them (a counting sort: linear, in arrays, where sorting 3.3 million row numbers by
    key would make an object of each)."""
    counts = array("I", bytes(4 * edges))
    for edge in edge_of:
        counts[edge] += 1
    starts = array("Q", bytes(8 * edges))
    total = 0
    for edge in range(edges):
        starts[edge] = total
        total += counts[edge]
    order = array("I", bytes(4 * len(edge_of)))
    for row, edge in enumerate(edge_of):
        order[starts[edge]] = row
        starts[edge] += 1
    return order, counts


class PackedEvidence(Sequence[EvidenceRecord]):
    """One edge's evidence records, read from its store's table as they are asked for."""

    __slots__ = ("_end", "_first", "_table")

    def __init__(self, table: EvidenceTable, first: int, end: int) -> None:
        self._table, self._first, self._end = table, first, end

    def __len__(self) -> int:
        return 0 if self._end == _PENDING else self._end - self._first

    @property
    def sealed(self) -> bool:
        """Whether its table is sealed: until then its records are not readable (nor copyable)."""
        return self._end != _PENDING

    @overload
    def __getitem__(self, index: int) -> EvidenceRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[EvidenceRecord]: ...
    def __getitem__(self, index: int | slice) -> EvidenceRecord | list[EvidenceRecord]:
        if isinstance(index, slice):
            first, end, step = index.indices(len(self))
            records = list(self._table.records(self._first + first, self._first + max(first, end)))
            return records if step == 1 else records[::step]
        size = len(self)
        if not -size <= index < size:
            raise IndexError("evidence index out of range")
        row = self._first + index % size
        return next(self._table.records(row, row + 1))

    def __iter__(self) -> Iterator[EvidenceRecord]:
        return self._table.records(self._first, self._first + len(self))

    def articles(self) -> Iterator[str]:
        return self._table.articles(self._first, self._first + len(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedEvidence | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a list's equal, as unhashable as one

    def __repr__(self) -> str:
        return f"PackedEvidence({list(self)!r})"
