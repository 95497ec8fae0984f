"""Block-at-a-time BM25 for the commonest queries: words, prefixes and phrases, ANDed.

Whoosh scores a document at a time through a tree of matcher objects, several Python
calls per posting, and for a common word its block-max skipping cannot help (BM25
saturates, so nearly every block may hold a top-20 score); its phrase matcher checks
positions in every candidate. At 100,000 articles one common word took over 100 ms and
a phrase over 250 ms. Here the same BM25 (Whoosh's formula, idf, average length and
stored field lengths, so scores are identical) is computed over whole posting blocks
read straight from the segment, the parts' document sets are intersected with set
lookups or binary searches (whichever side is smaller), and the count comes for free.
Decoded document numbers and weights are cached (:func:`_postings`); the positions, most
of a block, are neither cached nor, for words, even decompressed (:func:`_without_values`).

Phrases are scored as the AND of their words, from those cached postings; positions are
then checked for every candidate when there are at most VERIFY_BUDGET; beyond that, only
for the best candidates until the page is full, and the total is estimated from a sample
of candidates: runs of neighbours spread over the library (:func:`_sample`), which share
blocks. Positions are read only for the candidates checked, a batch at a time, from the
blocks holding them; a word rare enough that its candidates are in most of its blocks
(EAGER_POSITIONS) has them decoded with the rest when the query has to decode it anyway
(Whoosh's blocks pickle them together), so none is decoded twice. At 100,000 articles
this took phrases from 69 to 33 ms at p95.

A query qualifies when it is an AND of parts, each an OR of terms (a word, a prefix's
completions, more-like-this's weighted key terms) or an OR of :class:`AdjacentPhrase`
(a phrase in each analysis); :func:`plan` says. Everything else (negations, ORs of
mixed parts, date ranges) goes through Whoosh. The posting blocks are read through
:mod:`reader.search.whoosh_private` (the one module using Whoosh's private attributes,
behind a canary test and an exact version pin); the tests compare both paths.
"""

from __future__ import annotations

import heapq
import random
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add
from typing import Generic, TypeVar

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from reader.search.phrase import AdjacentPhrase, adjacent_starts
from reader.search.whoosh_private import blocks

VERIFY_BUDGET = 500  # up to this many phrase candidates are all checked: the total is exact
ESTIMATE_SAMPLE = 150  # beyond that, candidates checked to estimate the total (see _sample)
SAMPLE_STRATA = 10  # the sample is this many runs of neighbouring candidates
# A phrase word in at most this many documents has its positions decoded with the rest
# when it is not cached: its candidates' blocks are likely most of its blocks. A commoner
# word is decoded without them, and only the blocks holding checked candidates are read.
EAGER_POSITIONS = 4_000
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
Readers = list[tuple[IndexReader, int]]  # a searcher's segments and their document offsets
Hits = tuple[list[tuple[int, float]], int, bool]  # hits best first, total, total is an estimate
PostingsKey = tuple[str, str, str]  # (segment id, field, term)
# Encoded positions that came with decoding a term for a query: document numbers, values.
Decoded = dict[PostingsKey, tuple[Sequence[int], list[bytes]]]


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
    searcher: Searcher,
    parts: list[Part],
    limit: int,
    allow: set[int] | None,
    deny: set[int],
    order: Sequence[int] | None = None,
) -> Hits:
    """``(hits best first, total, total is an estimate)``.

    Best is highest score, or with ``order`` (a rank per document number) lowest rank.
    No parts match nothing (as Whoosh's empty ``And``).
    """
    if not parts:
        return [], 0, False
    readers: Readers = list(searcher.reader().leaf_readers())
    # An is: filter is where the candidates start; a mask is applied after the first part.
    candidates = None if allow is None else dict.fromkeys(allow - deny, 0.0)
    checks: list[tuple[Phrases, dict[int, int]]] = []  # phrase parts, and each candidate's variant
    decoded: Decoded = {}  # positions that came with decoding a term for this query
    for part in sorted(parts, key=lambda p: part_cost(searcher, p)):
        if isinstance(part, Words):
            found = word_scores(searcher, readers, part.terms, candidates)
        else:
            found, variant_of = _phrase_candidates(searcher, readers, part, candidates, decoded)
            checks.append((part, variant_of))
        if candidates is None and deny:
            found = {d: s for d, s in found.items() if d not in deny}
        candidates = found
        if not candidates:
            return [], 0, False
    assert candidates is not None  # there was a part
    if not checks:

        return best_first(candidates, order, limit), len(candidates), False
    return _verified(PhraseCheck(searcher, readers, checks, decoded), candidates, order, limit)


def part_cost(searcher: Searcher, part: Part) -> int:
    """How many postings a part reads: its parts are scored cheapest first."""
    if isinstance(part, Words):
        return sum(int(searcher.doc_frequency(f, t)) for f, t, _ in part.terms)
    return sum(min(int(searcher.doc_frequency(f, t)) for t in terms) for f, terms in part.variants)


def best_first(scores: dict[int, float], order: Sequence[int] | None, limit: int) -> list[tuple[int, float]]:
    """The best ``limit``: highest score, the lower document number first among equals
    (as Whoosh); or with ``order``, the lowest rank."""
    if order is not None:
        return heapq.nsmallest(limit, scores.items(), key=lambda item: order[item[0]])
    best = heapq.nlargest(limit, zip(scores.values(), (-d for d in scores), strict=False))
    return [(-d, s) for s, d in best]


def word_scores(
    searcher: Searcher,
    readers: Readers,
    terms: Iterable[tuple[str, str, float]],
    within: dict[int, float] | None,
    decoded: Decoded | None = None,
) -> dict[int, float]:
    """BM25 of documents having any of ``terms``; with ``within``, only those documents,
    their score there added. With ``decoded``, the positions of the terms this call
    decodes are kept there (see :func:`_postings`).

    Inner loops stay in C where they can: scores by list comprehension, intersections
    by set lookups or binary searches mapped over the smaller side, sums by ``map``.
    """
    weighting = searcher.weighting
    found: dict[int, float] = {}
    wanted_in = _Wanted(within) if within is not None else None
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
            wanted = None if wanted_in is None else wanted_in.of(leaf, offset)
            if wanted is not None and not wanted:
                continue
            ids: Sequence[int]
            weights: Sequence[float]
            ids, weights = _postings(leaf, field, text, decoded)
            if wanted is not None:
                ids, weights = _intersection(ids, weights, wanted)
            if leaf.has_deletions():
                deleted = leaf.deleted_docs_set
                kept = [d not in deleted for d in ids]
                ids, weights = list(compress(ids, kept)), list(compress(weights, kept))
            if scorable:
                norms = _norms(leaf, field, average, weighting.B, weighting.K1)
                scores = [factor * w / (w + norms[d]) for d, w in zip(ids, weights, strict=False)]
            else:
                scores = [factor * w for w in weights]
            keys = list(map(offset.__add__, ids)) if offset else ids
            if wanted is None and fresh:
                found.update(zip(keys, scores, strict=False))
            else:  # found[key] += score, from the score in ``within`` (or 0) for a new key
                starts = map(within.__getitem__, keys) if within is not None else repeat(0.0)
                found.update(zip(keys, map(add, map(found.get, keys, starts), scores), strict=False))
    return found


class _Wanted:
    """The documents of ``within``, by segment: local document numbers, ascending."""

    def __init__(self, within: dict[int, float]) -> None:
        self._all = sorted(within)
        self._of: dict[int, list[int]] = {}

    def of(self, leaf: IndexReader, offset: int) -> list[int]:
        wanted = self._of.get(offset)
        if wanted is None:
            ordered = self._all
            inside = ordered[bisect_left(ordered, offset) : bisect_left(ordered, offset + leaf.doc_count_all())]
            wanted = self._of[offset] = list(map((-offset).__add__, inside)) if offset else inside
        return wanted


def _intersection(
    ids: Sequence[int], weights: Sequence[float], wanted: list[int]
) -> tuple[list[int], list[float]]:
    """The postings (``ids`` ascending, their ``weights``) of the ``wanted`` documents
    (ascending): a binary search for each when they are few, else a set lookup for each
    posting."""
    if len(wanted) * 8 < len(ids):
        size = len(ids)
        at = [i for i, d in zip(map(bisect_left, repeat(ids), wanted), wanted, strict=False) if i < size and ids[i] == d]
        return [ids[i] for i in at], [weights[i] for i in at]
    wanted_set = set(wanted)
    kept = list(map(wanted_set.__contains__, ids))
    return list(compress(ids, kept)), list(compress(weights, kept))


def _postings(
    leaf: IndexReader, field: str, text: str, decoded: Decoded | None = None
) -> tuple[array[int], array[float]]:
    """A term's document numbers and weights in a segment, decoded once and cached.

    Decoding Whoosh's blocks (decompress, unpickle) is most of the cost of a word, and
    search-as-you-type asks for the same words keystroke after keystroke. Segments never
    change, so entries stay valid. The positions, most of a block, are skipped
    (:func:`_without_values`) and never cached: they would take several times the memory.
    A phrase query gives ``decoded``: blocks this call decodes are then decoded whole,
    and ``(ids, positions)`` kept there under ``(segment id, field, text)`` for its check.
    """
    key: PostingsKey = (leaf.segment().segment_id(), field, text)
    cached = _postings_cache.get(key)
    if cached is None:
        ids, weights, values = array("I"), array("f"), list[bytes]()
        for block_ids, block_weights, block_values in blocks(leaf.postings(field, text), decoded is not None):
            ids.extend(block_ids)
            weights.extend(block_weights)
            if decoded is not None:
                values += block_values
        if decoded is not None:
            decoded[key] = (ids, values)
        cached = _postings_cache.put(key, (ids, weights), len(ids))
    return cached


K = TypeVar("K")
V = TypeVar("V")


class Cache(Generic[K, V]):
    """A thread-safe least-recently-used cache bounded by the total size of its values."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()
        self._sizes: dict[K, int] = {}
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V, size: int) -> V:
        """Keep ``value`` unless ``key`` has one already; returns the one kept."""
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._sizes[key] = size
                self._held += size
            while self._held > self.capacity and len(self._items) > 1:
                dropped, _ = self._items.popitem(last=False)
                self._held -= self._sizes.pop(dropped)
            return self._items.get(key, value)


def _phrase_candidates(
    searcher: Searcher, readers: Readers, part: Phrases, within: dict[int, float] | None, decoded: Decoded
) -> tuple[dict[int, float], dict[int, int]]:
    """Documents having every word of some variant, scored as their AND (positions are
    checked later, for the documents that need it); and which variant each has."""
    found: dict[int, float] = {}
    variant_of: dict[int, int] = {}
    for index, (field, terms) in enumerate(part.variants):
        scores = within
        for text in sorted(set(terms), key=lambda t: searcher.doc_frequency(field, t)):
            # A common word's positions are read later, from the few blocks checked.
            eager = searcher.doc_frequency(field, text) <= EAGER_POSITIONS
            scores = word_scores(searcher, readers, [(field, text, 1.0)], scores, decoded if eager else None)
            if not scores:
                break
        if not found and scores:  # the first variant found (often the only one): as it is
            found.update(scores)
            variant_of.update(dict.fromkeys(scores, index))
            continue
        for docnum, score in (scores or {}).items():
            if score > found.get(docnum, -1.0):
                found[docnum] = score
                variant_of[docnum] = index
    return found, variant_of


def _verified(
    check: PhraseCheck, candidates: dict[int, float], order: Sequence[int] | None, limit: int
) -> Hits:
    """Check phrase positions. Returns hits, total, whether the total is an estimate.

    Up to VERIFY_BUDGET candidates are all checked: the total is exact. Beyond that,
    candidates are checked in ranking order only until the page is full, and the total is
    estimated from the ESTIMATE_SAMPLE candidates :func:`_sample` picks: the best-ranked
    ones would be a biased sample.
    Positions are read for a batch of candidates at a time: a page of the ranking and the
    sample together, then batches twice as large each time while the page is not full.
    A page at a time, a phrase whose candidates rarely hold it ("even port the": 5 of
    thousands at 100,000 articles) walked the block headers of its terms once per page
    of 20, 400,000 of them, and took 8 s; doubling, the batches are a handful.
    """
    if len(candidates) <= VERIFY_BUDGET:
        ranked = best_first(candidates, order, len(candidates))
        holding = check.holding([d for d, _ in ranked])
        hits = [(d, s) for d, s in ranked if d in holding]
        return hits[:limit], len(hits), False
    sample = _sample(sorted(candidates))
    ranked = best_first(candidates, order, limit)
    holding = check.holding([d for d, _ in ranked] + sample)
    hits = [(d, s) for d, s in ranked if d in holding]
    if len(hits) < limit:
        ranked = best_first(candidates, order, len(candidates))
        start, size = limit, limit
        while start < len(ranked) and len(hits) < limit:
            more = ranked[start : start + size]
            holding = check.holding([d for d, _ in more])
            hits += [(d, s) for d, s in more if d in holding][: limit - len(hits)]
            start += size
            size *= 2  # each batch walks every block header of its terms: few batches
    share = len(check.holding(sample)) / len(sample)
    return hits, max(len(hits), round(share * len(candidates))), True


def _sample(docnums: list[int]) -> list[int]:
    """ESTIMATE_SAMPLE of ``docnums`` (ascending) for estimating a total: a run of
    neighbours at a random place in each of SAMPLE_STRATA equal stretches.

    Neighbours share posting blocks, so their positions cost a few blocks a word instead
    of nearly all of them; one run per stretch of the library (which is in import order,
    roughly time) keeps a phrase that was news for a month from skewing the estimate.
    Seeded by the count, so the same query gives the same figure.
    """
    rng = random.Random(len(docnums))
    run = ESTIMATE_SAMPLE // SAMPLE_STRATA
    stretch = len(docnums) // SAMPLE_STRATA
    sample: list[int] = []
    for start in range(0, SAMPLE_STRATA * stretch, stretch):
        first = start + rng.randrange(stretch - run + 1)
        sample += docnums[first : first + run]
    return sample


class PhraseCheck:
    """Which candidates hold their variant of each phrase, words adjacent and in order.

    Positions are read for a batch of documents at a time, each term's blocks once per
    batch and only the blocks holding documents of the batch; a term this query decoded
    anyway has them already (``decoded``, see :func:`_postings`).
    """

    def __init__(
        self, searcher: Searcher, readers: Readers, checks: list[tuple[Phrases, dict[int, int]]], decoded: Decoded
    ) -> None:
        self._readers = readers
        self._checks = checks
        self._decoded = decoded
        fields = {field for part, _ in checks for field, _ in part.variants}
        self._decode = {field: searcher.schema[field].format.decode_positions for field in fields}
        self._known: dict[int, bool] = {}

    def holding(self, docnums: list[int]) -> set[int]:
        """Those of ``docnums`` that hold every phrase."""
        new = sorted(set(docnums).difference(self._known))
        if new:
            held = dict.fromkeys(new, True)
            for part, variant_of in self._checks:
                for index, (field, terms) in enumerate(part.variants):
                    docs = [d for d in new if variant_of[d] == index and held[d]]
                    if docs:
                        positions = [self._positions(field, text, docs) for text in terms]
                        decode = self._decode[field]
                        for d in docs:
                            held[d] = bool(adjacent_starts([decode(raw[d]) for raw in positions]))
            self._known.update(held)
        return {d for d in docnums if self._known[d]}

    def _positions(self, field: str, text: str, docnums: list[int]) -> dict[int, bytes]:
        """The encoded positions of ``text`` in each of ``docnums`` (ascending; all have it)."""
        found: dict[int, bytes] = {}
        for leaf, offset in self._readers:
            inside = docnums[bisect_left(docnums, offset) : bisect_left(docnums, offset + leaf.doc_count_all())]
            if not inside:
                continue
            local = [d - offset for d in inside]
            kept = self._decoded.get((leaf.segment().segment_id(), field, text))
            if kept is not None:
                ids, values = kept
            else:
                read_ids: list[int] = []
                values = []
                for block_ids, _, block_values in blocks(leaf.postings(field, text), True, local):
                    read_ids += block_ids
                    values += block_values
                ids = read_ids
            for docnum, i in zip(inside, map(bisect_left, repeat(ids), local), strict=False):
                found[docnum] = values[i]
        return found


def warm(searcher: Searcher, fields: Iterable[str]) -> None:
    """Compute the norms of these fields for every segment now."""
    weighting = searcher.weighting
    for field in fields:
        average = searcher.avg_field_length(field) or 1
        for leaf, _ in searcher.reader().leaf_readers():
            if leaf.doc_count_all():
                _norms(leaf, field, average, weighting.B, weighting.K1)


def _norms(leaf: IndexReader, field: str, average: float, b: float, k1: float) -> Sequence[float]:
    """``K1 * (1 - B + B * length / average)`` per document of a segment.

    Segments never change once written, so their field lengths are cached for good; the
    norms depend on the average length too, which changes with every generation.
    """
    segment = leaf.segment().segment_id()
    key: NormsKey = (segment, field, average, b, k1)
    norms = _norm_cache.get(key)
    if norms is None:
        lengths = _norm_cache.get((segment, field))
        if lengths is None:
            # Whoosh 2.7 returns None, not the default, for a document that has the
            # field's length column but no token in the field (a title of "$"): 0.
            length = leaf.doc_field_length
            read = [length(d, field, 0) or 0 for d in range(leaf.doc_count_all())]
            lengths = _norm_cache.put((segment, field), read, len(read))

        scale = k1 * b / average
        norms = _norm_cache.put(key, [k1 * (1 - b) + scale * n for n in lengths], len(lengths))
    return norms


# (segment id, field), for field lengths; with the average length, B and K1, for norms.
NormsKey = tuple[str, str] | tuple[str, str, float, float, float]
_postings_cache: Cache[PostingsKey, tuple[array[int], array[float]]] = Cache(POSTINGS_CACHED)
_norm_cache: Cache[NormsKey, Sequence[float]] = Cache(NORMS_CACHED)

