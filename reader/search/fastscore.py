"""Block-at-a-time BM25 for the commonest queries: words, prefixes and phrases, ANDed.

Whoosh scores a document at a time through a tree of matcher objects, several Python
calls per posting, and for a common word its block-max skipping cannot help (BM25
saturates, so nearly every block may hold a top-20 score); its phrase matcher checks
positions in every candidate. At 100,000 articles one common word took over 100 ms and
a phrase over 250 ms. Here the same BM25 (Whoosh's formula, idf, average length and
stored field lengths, so scores are identical) is computed over whole posting blocks
read straight from the segment, the parts' document sets are intersected with dict
lookups, and the count comes for free. Phrases are scored as the AND of their words;
positions are then checked for every candidate when there are at most VERIFY_BUDGET;
beyond that, only for the best candidates until the page is full, and the total is
estimated from a random sample of candidates.

A query qualifies when it is an AND of parts, each an OR of terms (a word, a prefix's
completions, more-like-this's weighted key terms) or an OR of :class:`AdjacentPhrase`
(a phrase in each analysis); :func:`plan` says. Everything else (negations, ORs of
mixed parts, date ranges) goes through Whoosh. The posting-block attributes used are
private to Whoosh 2.7's W3 codec; the project pins ``whoosh-reloaded<3`` and the tests
compare both paths.
"""

from __future__ import annotations

import heapq
import random
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, chain

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from reader.search.phrase import AdjacentPhrase, adjacent_starts

VERIFY_BUDGET = 500  # up to this many phrase candidates are all checked: the total is exact
ESTIMATE_SAMPLE = 150  # beyond that, candidates checked at random to estimate the total
POSTINGS_CACHED = 2_000_000  # decoded postings kept (see _postings): 8 bytes each
NORMS_CACHED = 600_000  # field lengths and norms kept (one per document and field; lists)


@dataclass(frozen=True)
class Words:
    """Documents having any of these ``(field, term, boost)``; scores add up."""

    terms: tuple[tuple[str, str, float], ...]


@dataclass(frozen=True)
class Phrases:
    """Documents having all the terms of one variant ``(field, terms)``, adjacent."""

    variants: tuple[tuple[str, tuple[str, ...]], ...]


Part = Words | Phrases


def plan(query: wq.Query) -> list[Part] | None:
    """The query as an AND of parts, or None when it has another shape."""
    parts = [query]
    if type(query) is wq.And:
        if query.boost != 1.0:
            return None
        parts = query.subqueries
    planned: list[Part] = []
    for part in parts:
        alternatives = [part]
        if type(part) is wq.Or:
            if part.boost != 1.0:
                return None
            alternatives = part.subqueries
        if all(type(q) is wq.Term for q in alternatives):
            planned.append(Words(tuple((q.fieldname, q.text, q.boost) for q in alternatives)))
        elif all(type(q) is AdjacentPhrase and q.boost == 1.0 for q in alternatives):
            planned.append(Phrases(tuple((q.fieldname, tuple(q.words)) for q in alternatives)))
        else:
            return None
    return planned


def search(
    searcher,
    parts: list[Part],
    limit: int,
    allow: set[int] | None,
    deny: set[int],
    order: Sequence[int] | None = None,
) -> tuple[list[tuple[int, float]], int, bool]:
    """``(hits best first, total, total is an estimate)``.

    Best is highest score, or with ``order`` (a rank per document number) lowest rank.
    """
    readers = list(searcher.reader().leaf_readers())
    # An is: filter is where the candidates start; a mask is applied after the first part.
    candidates = None if allow is None else dict.fromkeys(allow - deny, 0.0)
    checks: list[tuple[Phrases, tuple]] = []  # phrase parts, and what _holds needs of them
    for part in sorted(parts, key=lambda p: _cost(searcher, p)):
        if isinstance(part, Words):
            found = _scores(searcher, readers, part.terms, candidates)
        else:
            found, details = _phrase_candidates(searcher, readers, part, candidates)
            checks.append((part, details))
        if candidates is None and deny:
            found = {d: s for d, s in found.items() if d not in deny}
        candidates = found
        if not candidates:
            return [], 0, False
    if not checks:
        return _ranked(candidates, order, limit), len(candidates), False
    return _verified(searcher, candidates, order, checks, limit)


def _cost(searcher, part: Part) -> int:
    if isinstance(part, Words):
        return sum(searcher.doc_frequency(f, t) for f, t, _ in part.terms)
    return sum(min(searcher.doc_frequency(f, t) for t in terms) for f, terms in part.variants)


def _ranked(scores: dict[int, float], order: Sequence[int] | None, limit: int) -> list[tuple[int, float]]:
    """The best ``limit``: highest score, the lower document number first among equals
    (as Whoosh); or with ``order``, the lowest rank."""
    if order is not None:
        return heapq.nsmallest(limit, scores.items(), key=lambda item: order[item[0]])
    best = heapq.nlargest(limit, zip(scores.values(), (-d for d in scores)))
    return [(-d, s) for s, d in best]


def _scores(searcher, readers, terms, within: dict[int, float] | None, values: dict | None = None):
    """BM25 of documents having any of ``terms``; with ``within``, only those documents,
    their score there added. With ``values``, each document's posting value (positions)
    is kept there too, for phrase checks.

    Inner loops stay in C where they can: scores by list comprehension, and with
    ``within``, lookups of the wanted documents only.
    """
    weighting = searcher.weighting
    found: dict[int, float] = {}
    wanted_in: dict[int, list[int]] = {}  # a segment's wanted documents, found once for all terms
    for field, text, boost in terms:
        if not searcher.doc_frequency(field, text):
            continue
        fresh = not found  # no document scored yet: this term's scores can be stored as they are
        scorable = searcher.schema[field].scorable  # else, as in Whoosh, the score is the weight
        factor = boost * searcher.idf(field, text) * (weighting.K1 + 1) if scorable else boost
        average = searcher.avg_field_length(field) or 1
        for leaf, offset in readers:
            if (field, text) not in leaf:
                continue
            norms = _norms(leaf, field, average, weighting.B, weighting.K1) if scorable else None
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
            wanted = None
            if within is not None:
                wanted = wanted_in.get(offset)
                if wanted is None:
                    size = leaf.doc_count_all()
                    wanted = wanted_in[offset] = sorted(d - offset for d in within if offset <= d < offset + size)
                if not wanted:
                    continue
            if values is None:
                ids, weights = _postings(leaf, field, text)
                raw = None
            else:  # positions are not cached: read the blocks (only those holding wanted ones)
                ids, weights, raw = [], [], []
                for block in _blocks(leaf.postings(field, text), True, wanted):
                    ids += block[0]
                    weights += block[1]
                    raw += block[2]
            if wanted is None and fresh and not deleted:
                if norms is None:
                    scores = [factor * w for w in weights]
                else:
                    scores = [factor * w / (w + norms[d]) for d, w in zip(ids, weights)]
                keys = [d + offset for d in ids] if offset else ids
                found.update(zip(keys, scores))
                if raw is not None:
                    values.update(zip(keys, raw))
                continue
            for i in range(len(ids)) if wanted is None else _positions_of(ids, wanted):
                docnum, weight = ids[i], weights[i]
                if docnum in deleted:
                    continue
                key = docnum + offset
                score = factor * weight / (weight + norms[docnum]) if norms is not None else factor * weight
                found[key] = found.get(key, 0.0 if within is None else within[key]) + score
                if raw is not None:
                    values[key] = raw[i]
    return found


def _positions_of(ids: Sequence[int], wanted: list[int]) -> list[int]:
    """Indexes in ``ids`` (ascending) of the ``wanted`` (ascending) documents it holds."""
    if len(wanted) * 8 < len(ids):  # few wanted: binary search for each
        found = []
        for docnum in wanted:
            i = bisect_left(ids, docnum)
            if i < len(ids) and ids[i] == docnum:
                found.append(i)
        return found
    index_of = dict(zip(ids, range(len(ids))))
    return [index_of[d] for d in index_of.keys() & set(wanted)]


def _postings(leaf, field: str, text: str) -> tuple[array, array]:
    """A term's document numbers and weights in a segment, decoded once and cached.

    Decoding Whoosh's blocks (unpickle, decompress) is most of the cost of a word, and
    search-as-you-type asks for the same words keystroke after keystroke. Segments never
    change, so entries stay valid.
    """
    key = (leaf.segment().segment_id(), field, text)
    cached = _postings_cache.get(key)
    if cached is None:
        ids, weights = array("I"), array("f")
        for block_ids, block_weights, _ in _blocks(leaf.postings(field, text)):
            ids.extend(block_ids)
            weights.extend(block_weights)
        cached = _postings_cache.put(key, (ids, weights), len(ids))
    return cached


class _Cache:
    """A thread-safe least-recently-used cache bounded by the total size of its values."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple, tuple] = OrderedDict()
        self._sizes: dict[tuple, int] = {}
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple, value, size: int):
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._sizes[key] = size
                self._held += size
            while self._held > self.capacity and len(self._items) > 1:
                dropped, _ = self._items.popitem(last=False)
                self._held -= self._sizes.pop(dropped)
            return self._items.get(key, value)


def _phrase_candidates(searcher, readers, part: Phrases, within):
    """Documents having every word of some variant, scored as their AND; for each, which
    variant, and the positions data of its words."""
    found: dict[int, float] = {}
    variant_of: dict[int, int] = {}
    values: dict[tuple[int, str], dict[int, bytes]] = {}
    for index, (field, terms) in enumerate(part.variants):
        scores = within
        for text in sorted(set(terms), key=lambda t: searcher.doc_frequency(field, t)):
            values[index, text] = {}
            scores = _scores(searcher, readers, [(field, text, 1.0)], scores, values[index, text])
            if not scores:
                break
        for docnum, score in (scores or {}).items():
            if score > found.get(docnum, -1.0):
                found[docnum] = score
                variant_of[docnum] = index
    return found, (variant_of, values)


def _verified(searcher, candidates, order, checks, limit):
    """Check phrase positions. Returns hits, total, whether the total is an estimate.

    Up to VERIFY_BUDGET candidates are all checked: the total is exact. Beyond that,
    candidates are checked in ranking order only until the page is full, and the total is
    estimated from ESTIMATE_SAMPLE candidates drawn at random (with a fixed seed, so the
    same query gives the same figure): the best-ranked ones would be a biased sample.
    """
    decoders: dict = {}
    known: dict[int, bool] = {}

    def holds(docnum: int) -> bool:
        if docnum not in known:
            known[docnum] = all(_holds(searcher, part, found, docnum, decoders) for part, found in checks)
        return known[docnum]

    exact = len(candidates) <= VERIFY_BUDGET
    first = _ranked(candidates, order, len(candidates) if exact else 4 * limit)

    def rest():
        if len(first) < len(candidates):
            yield from _ranked(candidates, order, len(candidates))[len(first) :]

    hits: list[tuple[int, float]] = []
    held = 0
    for docnum, score in chain(first, rest()):
        if not exact and len(hits) >= limit:
            break
        if holds(docnum):
            held += 1
            if len(hits) < limit:
                hits.append((docnum, score))
    if exact:
        return hits, held, False
    sample = random.Random(len(candidates)).sample(list(candidates), min(ESTIMATE_SAMPLE, len(candidates)))
    share = sum(map(holds, sample)) / len(sample)
    return hits, max(held, round(share * len(candidates))), True


def _holds(searcher, part: Phrases, found, docnum: int, decoders) -> bool:
    """Whether the document holds its variant of the phrase, words adjacent and in order."""
    variant_of, values = found
    index = variant_of[docnum]
    field, terms = part.variants[index]
    decode = decoders.get(field)
    if decode is None:
        decode = decoders[field] = searcher.schema[field].format.decode_positions
    return bool(adjacent_starts([decode(values[index, text][docnum]) for text in terms]))


def _blocks(matcher, with_values: bool = False, wanted: Sequence[int] | None = None):
    """The (ids, weights, values or None) of each posting block; deletions are the
    caller's business. With ``wanted`` (ascending), blocks whose id range holds none of
    them are skipped unread: their header gives the range."""
    matcher = getattr(matcher, "child", matcher)  # unwrap the deletion filter
    if isinstance(matcher, W3LeafMatcher):
        previous_max = -1
        while not matcher._atend:
            if wanted is not None:
                first_wanted = bisect_right(wanted, previous_max)
                previous_max = matcher._maxid
                if first_wanted == len(wanted):
                    return
                if wanted[first_wanted] > previous_max:
                    matcher._next_block()
                    continue
            matcher._read_data()
            ids = matcher._data[0]
            if not matcher._byteids:
                ids = list(accumulate(ids))  # what Whoosh's delta_decode does, in C
            if matcher._weights is None:
                matcher._read_weights()
            if with_values and matcher._values is None:
                matcher._read_values()
            yield ids, matcher._weights, matcher._values
            matcher._next_block()
        return
    ids, weights, values = [], [], []  # short posting lists stored inline in the term info
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value() if with_values else None)
        matcher.next()
    yield ids, weights, values


def warm(searcher, fields) -> None:
    """Compute the norms of these fields for every segment now."""
    weighting = searcher.weighting
    for field in fields:
        average = searcher.avg_field_length(field) or 1
        for leaf, _ in searcher.reader().leaf_readers():
            if leaf.doc_count_all():
                _norms(leaf, field, average, weighting.B, weighting.K1)


def _norms(leaf, field: str, average: float, b: float, k1: float) -> list[float]:
    """``K1 * (1 - B + B * length / average)`` per document of a segment.

    Segments never change once written, so their field lengths are cached for good; the
    norms depend on the average length too, which changes with every generation.
    """
    segment = leaf.segment().segment_id()
    key = (segment, field, average, b, k1)
    norms = _norm_cache.get(key)
    if norms is None:
        lengths = _norm_cache.get((segment, field))
        if lengths is None:
            # Whoosh 2.7 returns None, not the default, for a document that has the
            # field's length column but no token in the field (a title of "$"): 0.
            length = leaf.doc_field_length
            lengths = [length(d, field, 0) or 0 for d in range(leaf.doc_count_all())]
            lengths = _norm_cache.put((segment, field), lengths, len(lengths))
        scale = k1 * b / average
        norms = _norm_cache.put(key, [k1 * (1 - b) + scale * n for n in lengths], len(lengths))
    return norms


_postings_cache = _Cache(POSTINGS_CACHED)
_norm_cache = _Cache(NORMS_CACHED)
