"""The grammar of the genre that every extractor shares: names, organisations, post titles.

Regexes are built from the data files in ``kg/lexicon`` so that adding a post title or
an organisation ending is a one-line change to a text file.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from kg.lexicon import alternation, load_lexicon, load_table
from kg.model import Span
from kg.text.segment import SegmentedArticle

CJK = "\u4e00-\u9fff"
_NAME_SHAPE = re.compile(rf"[{CJK}]{{2,4}}")
_WORD_CHAR = re.compile(rf"[{CJK}A-Za-z0-9]")
_PLACE_LEVEL = re.compile(r"[市省县区州]")
_LEVEL_ORG = re.compile(r"[市省县区州](?![域级属内外场])")
_WHOLE_LEVEL = re.compile(r"(?:全市|全省|本市)")
_PLACE_PREFIX = re.compile(r"(?![全本我该各])[\u4e00-\u9fff]{1,6}?[省市县州]")
_STOP_IN_NAME = frozenset("的了在是和与及等为对向把被也都就并其之")
_ORG_ENDING_CHARS = frozenset("室委局处办所站厂校")  # 卫生室负责人: a name never ends like a workplace
_NAME_TAGS = ("nr", "nz", "ns", "nt", "j", "x", "eng")


@dataclass(frozen=True, slots=True)
class Lexicon:
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    heads: dict[str, str]  # post head → organisation it implies ("市长" → "市政府")
    academic: frozenset[str]
    honours: frozenset[str]
    org_suffixes: dict[str, str]  # ending → organisation type
    post_re: re.Pattern[str]  # a whole post: [sub-unit][modifiers]head
    academic_re: re.Pattern[str]  # 外科学博士, 教授
    org_suffix_re: re.Pattern[str]  # an organisation ending at the end of a string
    words: frozenset[str]  # every lexicon word: never a person's name


@cache
def lexicon() -> Lexicon:
    surnames = load_lexicon("surnames")
    heads = load_table("post_titles")
    honours = load_lexicon("honours")
    academic = load_lexicon("academic_titles")
    modifiers = load_lexicon("post_modifiers")
    org_suffixes = load_table("org_suffixes")
    head_alt = alternation({**heads, **dict.fromkeys(honours, "")})
    unit = rf"(?:[{CJK}]{{1,6}}?(?:办公室|教研室|教研部|处|科|部|室|中心|组))"
    post_re = re.compile(rf"(?:{unit}){{0,2}}(?:{alternation(modifiers)})*(?:{head_alt})")
    academic_re = re.compile(rf"(?:[{CJK}]{{1,5}}学)?(?:{alternation(academic)})")
    org_suffix_re = re.compile(rf"(?:{alternation(org_suffixes)})$")
    words = frozenset({*heads, *modifiers, *org_suffixes, *honours, *academic})
    return Lexicon(
        surnames=frozenset(s for s in surnames if len(s) == 1),
        compound_surnames=frozenset(s for s in surnames if len(s) == 2),
        heads=heads,
        academic=academic,
        honours=honours,
        org_suffixes=org_suffixes,
        post_re=post_re,
        academic_re=academic_re,
        org_suffix_re=org_suffix_re,
        words=words,
    )


@cache  # pure functions of the text and the lexicons: titles recur on every page
def is_post(text: str) -> bool:
    if text in lexicon().honours:
        return True
    return bool(lexicon().post_re.fullmatch(text)) and not _unit_swallows_org(text)


@cache
def _unit_swallows_org(post: str) -> bool:
    """A sub-unit may not contain an organisation ending: 有限公司战略发展部 is not a unit."""
    lex = lexicon()
    head_start = len(post)
    for head in lex.heads:
        if post.endswith(head):
            head_start = min(head_start, len(post) - len(head))
    return any(suffix in post[:head_start] for suffix in lex.org_suffixes if len(suffix) >= 2)


def org_type(name: str) -> str:
    """hospital / government / party / school / company / association / institute, or ""."""
    m = lexicon().org_suffix_re.search(name)
    return lexicon().org_suffixes[m.group()] if m else ""


def post_head(post: str) -> str:
    """The head title of a post: 医政处处长 → 处长, 党委副书记 → 书记's longest match."""
    heads = [h for h in (*lexicon().heads, *lexicon().honours) if post.endswith(h)]
    return max(heads, key=len) if heads else post


# --- person names -----------------------------------------------------------------


def _plausible_name(name: str) -> bool:
    lex = lexicon()
    if not _NAME_SHAPE.fullmatch(name) or name in lex.words:
        return False
    # 李旭和 / 张三在: a function word closes no name (it may stand inside one: 赵向荣, 张为民).
    if name[-1] in _STOP_IN_NAME or name[-1] in _ORG_ENDING_CHARS:
        return False
    if any(name.startswith(word) for word in load_lexicon("not_names")):
        return False
    if _genre_word().search(name):
        return False
    surname_len = 2 if name[:2] in lex.compound_surnames else 1 if name[0] in lex.surnames else 0
    return surname_len > 0 and 1 <= len(name) - surname_len <= 2


@cache
def _genre_word() -> re.Pattern[str]:
    """Any post, title or organisation ending of two characters or more: never inside a name."""
    return re.compile(alternation(frozenset(w for w in lexicon().words if len(w) >= 2)))


def name_at(doc: SegmentedArticle, sentence: Span, pos: int, *, after_title: bool = False) -> Span | None:
    """The person name starting at ``pos``, chosen among 2–3 characters by jieba's token ends.

    >>> # "院长刘芩及其他" → 刘芩 (刘芩及 is not a name: 及 ends no token)

    ``after_title``: a post title stands right before, so a three-character name that jieba
    cut as a word and a character (局长|方志|明、) is still one where a list or a clause ends it.
    """
    text = doc.text
    lex = lexicon()
    if text[pos : pos + 1] not in lex.surnames and text[pos : pos + 2] not in lex.compound_surnames:
        return None  # every name starts with a surname: no need to tag the run to know
    tokens = doc.tokens_near(pos)  # a name never crosses punctuation, and is four characters at most
    # After a title: a plausible three-character name (three Chinese characters, a surname first, no
    # genre word inside) that jieba cut as a word and a character, closed by punctuation.
    if (
        after_title
        and text[pos : pos + 2] not in lex.compound_surnames
        and _plausible_name(text[pos : pos + 3])
        and _CLOSES_LISTED_NAME.match(text, pos + 3)
        and any(t.start == pos and t.end == pos + 2 for t in tokens)
        and any(t.start == pos + 2 and t.end == pos + 3 for t in tokens)
    ):
        return Span(pos, pos + 3)
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    if pos not in starts:
        return None
    compound = text[pos : pos + 2] in lex.compound_surnames
    lengths = (3, 4) if compound else (2, 3)
    first = next(t for t in tokens if t.start == pos)
    # 班子, 支部, 关于: a candidate jieba reads as a word of the language is no name.
    words = {t.end - pos for t in tokens if t.start == pos and not t.tag.startswith(_NAME_TAGS)}
    candidates = [
        n
        for n in lengths
        if pos + n <= sentence.end and n not in words and _plausible_name(text[pos : pos + n])
    ]
    if not candidates:
        return None
    # What follows a name in this genre decides its length: 陆凯国|出席, 杨晶|作, 张将|书记.
    # It ends on one of jieba's token ends, and does not open with a word of the language (干部|要).
    # jieba glues a name's last character to the verb after it (王国|顺作): the verb still ends the name.
    glued = {t.start + 1 for t in tokens if len(t.text) == 2 and t.text[1] in _GLUED_VERBS}
    candidates = [n for n in candidates if pos + n in ends or pos + n in glued]
    # 东方, 上官 are words too: after a title or in a list of names, the compound surname is the name's.
    listed = after_title or (pos > 0 and text[pos - 1] == "、")
    surname_word = compound and listed and first.end == pos + 2
    if len(first.text) > 1 and not first.tag.startswith(_NAME_TAGS) and not surname_word:
        return None
    if len(first.text) == 1 and first.tag[:1] in ("v", "p", "c", "u", "d") and first.tag != "vg":
        # 党委书记向强秀, : a surname that is also a preposition (向, 于), right after a title and
        # closed by punctuation, is a name; anywhere else (书记于近日主持, 总书记|来|宁视察) it is the word.
        closed = [n for n in candidates if _CLOSES_LISTED_NAME.match(text, pos + n)]
        if after_title and closed:
            return Span(pos, pos + closed[-1])
        return None
    if len(candidates) == 2:
        short, long = candidates
        if text[pos + long - 1] not in _FUNCTION_CHARS and _ends_name(text, pos + long, sentence.end):
            return Span(pos, pos + long)
        if _ends_name(text, pos + short, sentence.end):
            return Span(pos, pos + short)
    if first.end - pos in candidates:  # jieba took the whole name as one token
        if first.tag.startswith(_NAME_TAGS):
            # 谭家|驹|作: jieba cut the given name; a lone non-function character belongs to it.
            nxt = next((t for t in tokens if t.start == first.end), None)
            if (
                nxt is not None
                and nxt.end - pos in candidates
                and len(nxt.text) == 1
                and nxt.end - pos > first.end - pos
                and not nxt.tag.startswith(_NOT_IN_NAME_TAGS)
                and nxt.tag != "n"
            ):
                return Span(pos, nxt.end)
            return Span(pos, first.end)
        return None  # 关于, 班子: a word of the language, not a name
    at_boundary = [n for n in candidates if pos + n in ends]
    if len(at_boundary) == 2:
        # 谭家|驹|作: the third character is its own token and no function word, so it is the name's.
        third = next((t for t in tokens if t.start == pos + at_boundary[0]), None)
        if third and third.end == pos + at_boundary[1] and not third.tag.startswith(_FUNCTION_TAGS):
            return Span(pos, pos + at_boundary[1])
    if at_boundary:
        return Span(pos, pos + at_boundary[0])
    return None


_CLOSES_LISTED_NAME = re.compile(r"[、,,。;;::()()]|$")  # punctuation that ends a listed name
_GLUED_VERBS = frozenset("作做在和及与等")
_FUNCTION_TAGS = ("v", "p", "c", "u", "d", "r", "f", "m", "q", "y", "zg", "a")
_FUNCTION_CHARS = frozenset("作在及和等与同为对就从向是也都并率代于了的")


def _ends_name(text: str, pos: int, end: int) -> bool:
    """Whether a name can end at ``pos``: punctuation, a function word, a role verb or a title follows."""
    if pos >= end:
        return True
    if not _WORD_CHAR.match(text[pos]) or text[pos] in _FUNCTION_CHARS:
        return True
    rest = text[pos : pos + 6]
    return rest.startswith(_after_name_words()) or any(rest.startswith(h) for h in _title_words())


@cache
def _after_name_words() -> tuple[str, ...]:
    return tuple(sorted(load_lexicon("after_name")))


@cache
def _title_words() -> tuple[str, ...]:
    return tuple(sorted({*lexicon().heads, *load_lexicon("post_modifiers")}, key=len, reverse=True))


# A lone character jieba leaves after a name joins it unless it is a function word (远 in 欧阳明远 is 'a').
_NOT_IN_NAME_TAGS = ("v", "p", "c", "u", "d", "r", "f", "m", "q", "y", "zg", "x")


def name_before(doc: SegmentedArticle, sentence: Span, end: int) -> Span | None:
    """A name ending at ``end`` (张将 in 张将书记), the longest that starts on a token."""
    for n in (3, 2, 4):
        start = end - n
        if start < sentence.start:
            continue
        span = name_at(doc, sentence, start)
        if span and span.end == end:
            return span
    return None


# --- organisations ----------------------------------------------------------------

# Characters that never stand inside an organisation name: where a candidate starts.
_ORG_BREAK = re.compile(r"[^" + CJK + r"A-Za-z0-9()()]|[和与及的在对向为了是把被将从由请邀经据按照至到以]")
_HOME_WORDS = ("我院", "本院", "全院", "医院", "我们", "院")


def org_text_ok(text: str) -> bool:
    return 2 <= len(text) <= 30 and not _ORG_BREAK.search(text)


def trim_org_left(doc: SegmentedArticle, sentence: Span, start: int, end: int) -> int:
    """Start after the verb, adverb or preposition that jieba finds before the name proper.

    奋力续写湖南航天医院 → 湖南航天医院; 贯彻落实市卫生健康委 → 市卫生健康委. The latest such
    word wins unless what it leaves is too short to be a name (落实通用|技术集团 → 通用技术集团).
    """
    suffix = lexicon().org_suffix_re.search(doc.text[start:end])
    if suffix is not None and suffix.start() == 0:
        return start  # nothing before the ending to trim (医院, 卫健委): no need to tag the text
    tokens = doc.tokens_between(start, end)
    cuts = [
        token.end
        for token in tokens
        if start <= token.start
        and token.end < end
        and token.tag[:1] in _TRIM_TAGS
        and token.tag not in ("vn", "an")
    ]
    suffix_start = start + suffix.start() if suffix else end
    hard = [t.end for t in tokens if start <= t.start and t.end < suffix_start and t.tag[:1] in "pcu"]
    if hard:
        start = max(hard)  # a preposition or conjunction is never inside a name: 以公立医院
        cuts = [c for c in cuts if c > start]
    for cut in reversed(cuts):
        if cut >= suffix_start:
            continue
        rest = doc.text[cut:end]
        if (
            suffix_start - cut >= 3
            or _PLACE_LEVEL.match(rest)
            or _has_place(doc, sentence, cut, suffix_start)
        ):
            return cut
    return start


_TRIM_TAGS = ("v", "d", "p", "c", "u", "r", "l", "i", "a")


def _has_place(doc: SegmentedArticle, sentence: Span, start: int, end: int) -> bool:
    return any(t.tag == "ns" for t in doc.tokens_between(start, end) if start <= t.start < end)


MAX_ORG_CHARS = 16


def orgs_in(doc: SegmentedArticle, sentence: Span) -> list[Span]:
    """Organisation names in a sentence, longest first at each start.

    Every known ending closes a candidate; it reaches left to the nearest character
    that never stands in a name (和, 的, punctuation …), then jieba's verbs are trimmed.
    """
    memo = doc.once(_orgs_by_sentence)
    if sentence.start in memo:
        return list(memo[sentence.start])
    text = doc.text
    by_start: dict[int, Span] = {}
    breaks: list[int] | None = None
    first, ending = _org_ending()
    for c in first.finditer(text, sentence.start, sentence.end):
        m = ending.match(text, c.start(), sentence.end)
        if m is None:
            continue
        if breaks is None:
            breaks = [b.start() for b in _ORG_BREAK.finditer(text, sentence.start, sentence.end)]
        start, end = m.start(), m.end()
        # Back to just after the nearest break character, at most 30 characters from the end.
        i = bisect_left(breaks, start)
        start = max(sentence.start, end - 30, breaks[i - 1] + 1 if i else sentence.start, 0)
        start = min(start, m.start())
        start = trim_org_left(doc, sentence, start, end)
        if text.startswith("中共", start) and org_type(text[start + 2 : end]) == "hospital":
            start += 2  # 中共 names a party body (…委员会), never a hospital: 中共|湖南省儿童医院
        if 2 <= end - start <= MAX_ORG_CHARS and (start not in by_start or by_start[start].end < end):
            by_start[start] = Span(start, end)
    # A candidate inside one that starts before it is part of that name: one sweep, not every pair
    # (one candidate per start, so every span before this one starts before it).
    found: list[Span] = []
    reach = -1  # the furthest end of the spans before
    for span in sorted(by_start.values(), key=lambda s: s.start):
        if span.end > reach:
            found.append(span)
        reach = max(reach, span.end)
    memo[sentence.start] = tuple(found)  # home_org and mentioned_orgs both ask, sentence by sentence
    return found


def _orgs_by_sentence(doc: SegmentedArticle) -> dict[int, tuple[Span, ...]]:
    return {}  # filled sentence by sentence as orgs_in is asked


@cache
def _org_ending() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The endings' first characters, and the endings (longest first) to try where one stands.

    Every position an ending starts at closes a candidate, overlapping ones too (集团 /
    集团有限公司). One lookahead alternation tried at every character was 7% of extraction;
    the character class is a fast scan and leaves few places to try the alternation.
    """
    suffixes = [k for k in lexicon().org_suffixes if len(k) >= 2]
    first = re.compile("[" + "".join(sorted({re.escape(k[0]) for k in suffixes})) + "]")
    return first, re.compile(alternation(frozenset(suffixes)))


def is_specific_org(doc: SegmentedArticle, sentence: Span, span: Span) -> bool:
    """A named organisation (徐州市中心医院, 市卫健委), not a kind of one (公立医院, 智慧医院)."""
    text = doc.text[span.start : span.end]
    if text in load_lexicon("generic_orgs"):
        return False
    suffix = lexicon().org_suffix_re.search(text)
    prefix_end = span.start + (suffix.start() if suffix else len(text))
    if prefix_end - span.start < 1:
        return False
    if _LEVEL_ORG.match(text) or _WHOLE_LEVEL.match(text):
        return not text.startswith(("全市", "全省"))
    # 保定市中心医院: jieba may tag 保定市 a plain noun, but a name ending in 市/省/县 is a place.
    if _PLACE_PREFIX.match(doc.text[span.start : prefix_end]):
        return True
    inside = [t for t in doc.tokens_between(span.start, prefix_end) if span.start <= t.start < prefix_end]
    # A person's name inside is a clause (杨晶代表医院), not an organisation.
    if any(t.tag.startswith("nr") for t in inside):
        return False
    return any(t.tag in ("ns", "nz", "nt") for t in inside)


def scan_back(text: str, end: int, limit: int, breaks: str) -> int:
    """Back from ``end`` to just after the nearest character of ``breaks``, never before ``limit``:
    every backward scan is bounded so, and reading stays linear in the text."""
    start = end
    while start > limit and text[start - 1] not in breaks:
        start -= 1
    return start


def is_home_reference(text: str) -> bool:
    return text in _HOME_WORDS
