"""Searching the ICD-10-CM index by code prefix or by words, in the order a patient looks.

A word search ranks its hits in this order:

1. the codes the caller prefers (the household's own codes), in the caller's order;
2. titles that begin with the first word typed and hold every word ("Low back pain,
   unspecified" for "low back pain");
3. titles that hold every word ("Pain in right knee" for "knee");
4. codes found only through an inclusion term of the code or one above it ("Tuberculous
   arthritis of other joints" lists "knee" only among its inclusion terms);

and within each, billable codes before headings, shorter titles (the more general ones)
first, then code order, so the order never depends on the page size. A code search ("M17",
"t15.01x") keeps code order: the exact code, the preferred codes, billable codes, headings.

Why it stays fast (benchmarks/codes_lookup.py: the first page of a word search under 20 ms):
a word like "left" or "fracture" matches thousands of codes, and all of them must be ranked
before the first page is known. Three inverted indexes (the words of a code's title, of its
inclusion terms, its title's first word) give, for each query word, the set of codes holding
it, so the tiers are set intersections done in C, not a Python test per code; only a word
still being typed ("hip o" starts "of", "other", "open"...) is tested on the strings of the
few codes the other words left. A leaf that takes a 7th character stands for up to 16 codes that differ only
in its meaning ("initial encounter"); they rank by the leaf's own title (the meaning says
nothing about how general a code is) in the table's order (initial, subsequent, sequela), so
leaves alike share one group, and a heap over int keys merges the groups lazily: only the
codes on the page are ever written out.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from heapq import heapify, heappop, heappush
from itertools import repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .icd10 import _CodeSet

_WORD = re.compile(r"[a-z0-9]+")
# A single token shaped like the start of a code (see code_like).
_CODE_QUERY = re.compile(r"[A-Z](?:[0-9A-Z]{0,2}|[0-9A-Z]{2}\.?[0-9A-Z]{1,4})")
_DIGIT = re.compile(r"[0-9]")

Hit = tuple[str, str, bool]  # (compact code, description, billable)

BEGINS, IN_TITLE, IN_TERMS = 1, 2, 3  # the tiers after the preferred codes

# A heap key's bits, low to high: position in a 7th-character group (up to 16), code index
# (~47,000 codes), title length (at most 206 characters), heading, tier.
_I, _LEN, _HEADING, _TIER = 5, 22, 34, 35
_POS_MASK, _I_MASK = (1 << _I) - 1, (1 << (_LEN - _I)) - 1
_HEADING_BIT = 1 << _HEADING
_TIERS = {tier: tier << _TIER for tier in (BEGINS, IN_TITLE, IN_TERMS)}


def code_like(text: str) -> bool:
    """Is ``text`` shaped like (the start of) a code, with a digit early on ("m17", "T15.01X",
    "QA0")? Searched as a code prefix then; anything else ("knee", "b12 deficiency") as words."""
    query = text.strip().upper()
    return bool(_CODE_QUERY.fullmatch(query)) and (
        len(query) == 1 or bool(_DIGIT.search(query[1:3]))
    )


def haystack(text: str) -> str:
    # " word word ...": testing " knee" in it is a case-insensitive word-prefix match.
    return " " + " ".join(_WORD.findall(text.lower()))


class Searcher:
    """Word and code-prefix search over ~47,000 tabular codes and their 7th characters."""

    def __init__(self, codes: _CodeSet):
        self.codes = codes
        self.order = codes.sorted_codes
        self.hay: list[str] = []  # title words, then inclusion-term words
        self.title_end = array("i")  # where the title's words end in each haystack
        self.title_len = array("i")  # the title's length as shown
        self.heading = bytearray()  # 1: not billable (a heading, or a leaf wanting a 7th char)
        # Inverted indexes: for each word the codes holding it in their title, in their
        # inclusion terms only, as their title's first word. A code listed twice under a
        # word does no harm (lookups take the union), so no per-code set is built.
        title_words: dict[str, list[int]] = {}
        term_words: dict[str, list[int]] = {}
        first_words: dict[str, list[int]] = {}
        for i, code in enumerate(self.order):
            description = codes.desc[code]
            words = _WORD.findall(description.lower())
            # Inclusion terms apply below the code listing them: "Tennis elbow" (M77.1)
            # should find M77.11, "Plantar fasciitis" should find M72.2.
            terms = [codes.terms.get(code[:n], "") for n in range(3, len(code) + 1)]
            extra = _WORD.findall(" ".join(terms).lower()) if any(terms) else []
            title = " " + " ".join(words)
            self.hay.append(title + " " + " ".join(extra) if extra else title)
            self.title_end.append(len(title))
            self.title_len.append(len(description))
            self.heading.append(code in codes.headers)
            for word in words:
                title_words.setdefault(word, []).append(i)
            for word in extra:
                term_words.setdefault(word, []).append(i)
            first_words.setdefault(words[0] if words else "", []).append(i)
        self.indexes = {
            _TITLE: _Index(title_words), _TERMS: _Index(term_words), _FIRST: _Index(first_words)
        }
        self.ext_at = [codes.ext.get(code) for code in self.order]
        assert len(self.order) <= _I_MASK and max(self.title_len) < 1 << (_HEADING - _LEN)
        # Each code's part of its heap key: heading, title length, index; and for a leaf
        # taking a 7th character, that of its (billable) 7th-character codes.
        self.static = array("q", (
            self.heading[i] << _HEADING | self.title_len[i] << _LEN | i << _I
            for i in range(len(self.order))
        ))
        self.static_leaf = array("q", (key & ~_HEADING_BIT for key in self.static))
        # Codes in the order of those keys, to take the first few of a large set quickly.
        self.by_key = array("i", sorted(range(len(self.order)), key=self.static.__getitem__))
        self.by_leaf_key = array("i", sorted(
            (i for i, ext in enumerate(self.ext_at) if ext), key=self.static_leaf.__getitem__
        ))
        self.table_hay = [{c: haystack(m) for c, m in t.items()} for t in codes.tables]
        # Per table: the leaves taking it, and the few allowing only some of its characters.
        self.with_table: list[set[int]] = [set() for _ in codes.tables]
        self.partial: list[set[int]] = [set() for _ in codes.tables]
        for i, ext in enumerate(self.ext_at):
            if ext is not None:
                self.with_table[ext[0]].add(i)
                if len(ext[1]) < len(codes.tables[ext[0]]):
                    self.partial[ext[0]].add(i)

    def search(self, text: str, limit: int, preferred: Sequence[str] = ()) -> list[Hit]:
        """``preferred``: compact codes (no dot) to put first when they match."""
        if code_like(text):
            hits = self.by_prefix(text.strip().upper().replace(".", ""), limit, preferred)
            if hits:
                return hits
        words = _WORD.findall(text.lower())
        return self.by_words(words, limit, preferred) if words else []

    # -- code prefix -----------------------------------------------------------------------
    def by_prefix(self, prefix: str, limit: int, preferred: Sequence[str] = ()) -> list[Hit]:
        first = [self._hit(code) for code in (prefix, *preferred) if code.startswith(prefix)]
        ranked = _Ranked([hit for hit in dict.fromkeys(first) if hit is not None], limit)
        # The prefix may reach into a leaf's 7th-character part: T1501X -> T15.01XA, ...
        for base in (prefix[:n] for n in range(3, min(len(prefix), 7))):
            if base in self.codes.ext:
                padded, chars = base.ljust(6, "X"), self.codes.ext[base][1]
                self._add_expanded(
                    ranked, base, [c for c in chars if (padded + c).startswith(prefix)]
                )
        i = bisect_left(self.order, prefix)
        while i < len(self.order) and self.order[i].startswith(prefix) and not ranked.full:
            self._add_code(ranked, self.order[i])
            i += 1
        return ranked.result()

    def _hit(self, compact: str) -> Hit | None:
        found = self.codes.find(compact)
        return None if found is None else (compact, found[0], found[1])

    def _add_code(self, ranked: _Ranked, code: str) -> None:
        """A tabular code, then its 7th-character codes if it takes one."""
        ranked.add(code, self.codes.desc[code], code not in self.codes.headers)
        if code in self.codes.ext:
            self._add_expanded(ranked, code, self.codes.ext[code][1])

    def _add_expanded(self, ranked: _Ranked, base: str, chars: Iterable[str]) -> None:
        for char in chars:
            ranked.add(base.ljust(6, "X") + char, self.codes.expanded_description(base, char), True)

    # -- words -----------------------------------------------------------------------------
    def by_words(self, words: list[str], limit: int, preferred: Sequence[str] = ()) -> list[Hit]:
        needles = [" " + word for word in words]
        # Which needles each 7th-character meaning ("initial encounter") supplies.
        table_hits = [
            {char: frozenset(n for n in needles if n in hay) for char, hay in table.items()}
            for table in self.table_hay
        ]
        out: list[Hit] = []
        for compact in dict.fromkeys(preferred):
            hit = self._word_hit(compact, needles, table_hits)
            if hit is not None and len(out) < limit:
                out.append(hit)
        shown = {hit[0] for hit in out}
        heap, groups = self._ranked_candidates(needles, table_hits, limit)
        heapify(heap)
        codes, order, ext_at = self.codes, self.order, self.ext_at
        while heap and len(out) < limit:
            key = heappop(heap)
            i, pos = (key >> _I) & _I_MASK, key & _POS_MASK
            base = order[i]
            if key >> _HEADING & 1 or ext_at[i] is None:
                hit = (base, codes.desc[base], not key >> _HEADING & 1)
            else:
                group = groups[key - pos]
                hit = (base.ljust(6, "X") + group[pos],
                       codes.expanded_description(base, group[pos]), True)
                if pos + 1 < len(group):
                    heappush(heap, key + 1)
            if hit[0] not in shown:
                out.append(hit)
        return out

    def _ranked_candidates(self, needles: list[str], table_hits, limit: int) -> tuple[list, dict]:
        """Heap keys for the matching tabular codes and groups of 7th-character codes that
        can reach the page (each tier's first ``limit``), and the groups by their first key.

        A key is one int, compared far faster than a tuple: tier, heading, title length,
        code index and position in the group, from the most significant bits down."""
        query = _Query(self, needles)
        every = range(len(needles))
        matches = query.all_of(None, every, _ANYWHERE)
        in_title = query.all_of(matches, every, _TITLE)
        begins = query.all_of(in_title, [0], _FIRST)
        static, keys = self.static, []
        tiers = (begins, in_title - begins, matches - in_title)
        for tier, members in zip((BEGINS, IN_TITLE, IN_TERMS), tiers, strict=True):
            high = _TIERS[tier]
            keys += [high | key for key in _first(members, self.by_key, static, limit)]
        groups: dict[int, str] = {}
        for number, supplied in enumerate(table_hits):
            self._expanded(number, supplied, query, limit, keys, groups)
        return keys, groups

    def _expanded(self, number, supplied, query, limit, keys, groups):
        """Keys and groups for the leaves taking table ``number`` whose own words plus one
        of its meanings hold every word. Leaves are sorted into classes by set operations
        (which meanings match them, and in which tier), so each class builds its groups once."""
        chars = list(self.codes.tables[number])
        # The tier each distinct set of supplied words gives each leaf: (words, tiers).
        splits = []
        for words in dict.fromkeys(supplied[c] for c in chars):
            rest = [k for k, n in enumerate(query.needles) if n not in words]
            found = query.all_of(self.with_table[number], rest, _ANYWHERE)
            if not found:
                continue
            titled = query.all_of(found, rest, _TITLE)
            begins = query.all_of(titled, [0], _FIRST)
            splits.append((words, (begins, titled - begins, found - titled)))
        if not splits:
            return
        every = set().union(*(leaves for _, tiers in splits for leaves in tiers))
        classes: dict[tuple[int, ...], set[int]] = {(): every}
        for _, tiers in splits:
            split: dict[tuple[int, ...], set[int]] = {}
            for signature, members in classes.items():
                rest = members
                for tier, leaves in zip((BEGINS, IN_TITLE, IN_TERMS), tiers, strict=True):
                    if inside := rest & leaves:
                        split[(*signature, tier)] = inside
                        rest = rest - leaves
                if rest:
                    split[(*signature, 0)] = rest
            classes = split
        position = {words: k for k, (words, _) in enumerate(splits)}
        static_leaf, partial = self.static_leaf, self.partial[number]
        for signature, members in classes.items():
            by_tier: dict[int, str] = {}
            for char in chars:
                k = position.get(supplied[char])
                if k is not None and signature[k]:
                    by_tier[signature[k]] = by_tier.get(signature[k], "") + char
            for tier, group in by_tier.items():
                high = _TIERS[tier]
                whole = _first(members - partial, self.by_leaf_key, static_leaf, limit)
                made = [high | key for key in whole]
                keys += made
                groups.update(zip(made, repeat(group)))
                for i in members & partial:  # a leaf allowing fewer characters (S06.328: A)
                    own = "".join(c for c in group if c in self.ext_at[i][1])
                    if own:
                        keys.append(high | static_leaf[i])
                        groups[high | static_leaf[i]] = own

    def _word_hit(self, compact: str, needles: list[str], table_hits) -> Hit | None:
        """``compact`` as a hit when it holds every word, else None."""
        codes = self.codes
        if compact in codes.desc:
            i = bisect_left(self.order, compact)
            if all(n in self.hay[i] for n in needles):
                return compact, codes.desc[compact], compact not in codes.headers
            return None
        base = codes.extension_base(compact)
        if base is None or compact[6] not in codes.ext[base][1]:
            return None
        hay = self.hay[bisect_left(self.order, base)]
        missing = {n for n in needles if n not in hay}
        if table_hits[codes.ext[base][0]][compact[6]].issuperset(missing):
            return compact, codes.expanded_description(base, compact[6]), True
        return None


class _Ranked:
    """Collects code-search hits: the ones given first, then billable codes, then headings."""

    def __init__(self, first: list[Hit], limit: int):
        self.first, self.limit = first, limit
        self.shown = {hit[0] for hit in first}
        self.billable: list[Hit] = []
        self.headers: list[Hit] = []

    @property
    def full(self) -> bool:  # enough billable hits: nothing later can outrank them
        return len(self.billable) >= self.limit

    def add(self, code: str, description: str, billable: bool) -> None:
        if code in self.shown:
            return
        if billable:
            if len(self.billable) < self.limit:
                self.billable.append((code, description, billable))
        elif len(self.headers) < self.limit:
            self.headers.append((code, description, billable))

    def result(self) -> list[Hit]:
        return (self.first + self.billable + self.headers)[: self.limit]


def _first(members: set[int], order: array, key: array, n: int) -> list[int]:
    """The ``n`` smallest keys of ``members``; ``order`` is every code sorted by key."""
    if len(members) * 32 < len(order):  # a few: sort their keys (ints, sorted in C)
        return sorted([key[i] for i in members])[:n]
    found: list[int] = []  # many: walk the order (under 32 steps per member taken, on average)
    for i in order:
        if i in members:
            found.append(key[i])
            if len(found) == n:
                break
    return found


# Where a word is looked for: anywhere (title or terms), the title, the title's first word;
# _TERMS is the index of the inclusion terms alone.
_ANYWHERE, _TITLE, _FIRST, _TERMS = 0, 1, 2, 3


class _Query:
    """One word search's sets: the codes holding each word, built from the indexes when that
    is cheap, else found by testing the strings of the few codes still in question (a word
    being typed, "hip o", starts thousands of words: "of", "other", "open"...)."""

    def __init__(self, searcher: Searcher, needles: list[str]):
        self.s, self.needles = searcher, needles
        self.built: dict[tuple[int, int], set[int]] = {}
        self.sizes: dict[tuple[int, int], int] = {}
        self.spans = [
            {part: index.span(n[1:]) for part, index in searcher.indexes.items()}
            for n in needles
        ]

    def size(self, k: int, where: int) -> int:
        """About how many codes hold needle ``k`` there (a code may be counted twice)."""
        size = self.sizes.get((k, where))
        if size is None:
            parts = (_TITLE, _TERMS) if where == _ANYWHERE else (where,)
            size = sum(self.s.indexes[p].size(self.spans[k][p]) for p in parts)
            self.sizes[(k, where)] = size
        return size

    def holding(self, k: int, where: int) -> set[int]:
        found = self.built.get((k, where))
        if found is None:
            if where == _ANYWHERE:
                terms = self.s.indexes[_TERMS].codes(self.spans[k][_TERMS])
                found = self.holding(k, _TITLE) | terms
            else:
                found = self.s.indexes[where].codes(self.spans[k][where])
            self.built[(k, where)] = found
        return found

    def all_of(self, among: set[int] | None, ks: Iterable[int], where: int) -> set[int]:
        """The codes of ``among`` (None: all codes) holding every needle of ``ks`` there."""
        found, fresh = among, False  # fresh: a set made here, which the caller may keep
        for k in sorted(ks, key=lambda k: self.size(k, where)):
            if found is None:
                found = self.holding(k, where)
                continue
            if not found:
                break
            if (k, where) in self.built or self.size(k, where) < 10 * len(found):
                found = found & self.holding(k, where)  # C-speed; building costs ~0.03 µs a code
            else:
                found = self._test(found, self.needles[k], where)  # ~0.3 µs a code
            fresh = True
        if found is None:
            return set()
        return found if fresh else set(found)  # built sets and ``among`` stay intact

    def _test(self, among: set[int], needle: str, where: int) -> set[int]:
        hay, end = self.s.hay, self.s.title_end
        if where == _ANYWHERE:
            return {i for i in among if needle in hay[i]}
        if where == _TITLE:
            return {i for i in among if hay[i].find(needle, 0, end[i]) >= 0}
        return {i for i in among if hay[i].startswith(needle)}


class _Index:
    """Words -> the codes (indexes) holding a word, looked up by word prefix."""

    def __init__(self, postings: dict[str, list[int]]):
        self.vocabulary = sorted(postings)
        self.postings = [array("i", postings[word]) for word in self.vocabulary]

    def span(self, prefix: str) -> tuple[int, int]:
        """The range of words that start with ``prefix`` ("{" sorts after a-z, 0-9)."""
        return bisect_left(self.vocabulary, prefix), bisect_left(self.vocabulary, prefix + "{")

    def size(self, span: tuple[int, int]) -> int:
        return sum(map(len, self.postings[span[0] : span[1]]))

    def codes(self, span: tuple[int, int]) -> set[int]:
        return set().union(*self.postings[span[0] : span[1]])
