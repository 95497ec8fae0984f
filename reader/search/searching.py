"""Answering a parsed query, and more-like-this, against one generation of the index.

:class:`Generation` is one Whoosh searcher plus the caches that are valid for exactly
that generation of the index: the id -> document number map the ``is:`` filters need,
the date order, more-like-this results. :mod:`reader.search.index` makes a new one when
the index changed.

Word, prefix and phrase queries (and ANDs of them) are answered by
:mod:`reader.search.fastscore`; other shapes by Whoosh's searcher, whose total is counted
exactly up to COUNT_BUDGET matches and estimated beyond. Stored fields (and so snippets)
are loaded only for the hits returned.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any, Protocol

from whoosh import query as wq
from whoosh.classify import Expander
from whoosh.index import FileIndex
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from reader.model import SearchFlag, SearchHit, SearchResult
from reader.search import bestmatch, fastscore, suggest
from reader.search.analysis import analyse, language_key
from reader.search.compiler import to_whoosh
from reader.search.query import IN_HIGHLIGHTS, ParsedQuery
from reader.search.schema import TEXT_FIELD, WEIGHTS
from reader.search.snippets import Marker, snippet
from reader.search.suggest import suggestion

# Matches counted exactly before the total becomes an estimate (see _count).
COUNT_BUDGET = 2_000

# More-like-this: the article's most frequent terms are ranked by how telling they are
# (Bo1); up to KEY_TERMS of the best make the query, as long as their posting lists
# stay within KEY_TERM_POSTINGS: a topic word in a fifth of a large library would cost
# more than it tells.
KEY_TERM_CANDIDATES = 60
KEY_TERMS = 10
KEY_TERM_POSTINGS = 15_000

# What identifies a generation on disk: the inode of ``current/`` and Whoosh's generation
# number (see SearchIndex._current); None while another process swaps the directory.
GenerationToken = tuple[int, int] | None


class StateLookup(Protocol):
    """The library's view of user state, asked at query time."""

    def ids_with(self, flag: SearchFlag) -> set[str]:
        """Ids of the articles having ``flag``."""

    def flags(self, ids: Sequence[str]) -> dict[str, tuple[bool, bool]]:
        """``id -> (bookmarked, read)`` for these ids."""

    # And, for in:highlights (optional: a lookup without it has no highlights):
    # def ids_in_highlights(self, words: Sequence[str]) -> set[str]


class Generation:
    """One searcher and the caches valid for exactly its generation of the index."""

    def __init__(self, ix: FileIndex, token: GenerationToken) -> None:
        self.searcher = ix.searcher()
        self.token = token  # what identifies the generation on disk (see SearchIndex._current)
        self._docnums: dict[str, int] | None = None
        self._newest: list[int] | None = None
        self._ranks: list[int] | None = None
        self._similar: dict[tuple[str, int], list[tuple[int, float]]] = {}

    def docnums(self, ids: Iterable[str]) -> set[int]:
        """Document numbers of these ids (the id column read once per generation)."""
        if self._docnums is None:
            reader = self.searcher.reader()
            self._docnums = dict(zip(column(reader, "id"), range(reader.doc_count_all()), strict=False))
            if reader.has_deletions():
                self._docnums = {i: d for i, d in self._docnums.items() if not reader.is_deleted(d)}
        # C speed: this runs per keypress on 100k ids. -1 is no document number.
        found = set(map(self._docnums.get, ids, itertools.repeat(-1)))
        found.discard(-1)
        return found

    def _by_date(self) -> list[int]:
        """Live document numbers, newest first (cached: sorting them costs 100 ms at 100k)."""
        if self._newest is None:
            reader = self.searcher.reader()
            dates = column(reader, "published")
            newest = sorted(range(len(dates)), key=dates.__getitem__, reverse=True)
            if reader.has_deletions():
                newest = [d for d in newest if not reader.is_deleted(d)]
            self._newest = newest
        return self._newest

    def date_ranks(self) -> list[int]:
        """Each document number's place in the date order (for sorting matches by date)."""
        if self._ranks is None:
            ranks = [0] * self.searcher.reader().doc_count_all()
            for rank, docnum in enumerate(self._by_date()):
                ranks[docnum] = rank
            self._ranks = ranks
        return self._ranks

    def newest_first(self, allow: set[int] | None, deny: set[int], limit: int) -> list[int]:
        """The first ``limit`` live documents by date, within the filters.

        ``is:bookmarked`` alone would otherwise sort every article on each keypress.
        """
        wanted = (d for d in self._by_date() if (allow is None or d in allow) and d not in deny)
        return list(itertools.islice(wanted, limit))

    def warm(self) -> None:
        """Fill the caches now rather than on the first search that needs them."""
        self.date_ranks()
        self.docnums(())
        fastscore.warm(self.searcher, (TEXT_FIELD, "title"))
        suggest.warm(self.searcher.reader())

    def search(self, parsed: ParsedQuery, limit: int, state: StateLookup | None) -> SearchResult:
        """The hits, total and suggestion for a parsed, non-empty query."""
        searcher = self.searcher
        allow, deny = self._state_filters(parsed, state)
        best_matched = False
        # Filters only, or filters no article passes: newest first, counted from the sets.
        # (Whoosh reads an empty ``filter`` as no filter at all, so ``is:read NOT strike*``
        # with nothing read listed every article while counting none.)
        if parsed.root is None or (allow is not None and not allow - deny):
            scored = [(docnum, 0.0) for docnum in self.newest_first(allow, deny, limit)]
            total = len(allow - deny) if allow is not None else searcher.doc_count() - len(deny)
            estimated = False
        else:
            query = to_whoosh(parsed, searcher.reader())
            parts = fastscore.plan(query)
            if parts is not None:
                order = None if parsed.ranked else self.date_ranks()
                scored, total, estimated = fastscore.search(searcher, parts, limit, allow, deny, order)
            else:
                options: dict[str, object] = {"limit": limit, "filter": allow, "mask": deny or None}
                if not parsed.ranked:
                    options.update(sortedby="published", reverse=True)
                scored = [(hit.docnum, hit.score) for hit in searcher.search(query, **options)]
                total, estimated = (len(scored), False) if len(scored) < limit else _count(searcher, query, allow, deny)
            clauses = bestmatch.query_words(parsed) if total < limit else None
            if clauses is not None:  # all the words found too little: best match
                order = None if parsed.ranked else self.date_ranks()
                best = bestmatch.search(searcher, clauses, limit, allow, deny, order, bestmatch.repeats(parsed.text))
                if best.total > total:
                    best_matched = True
                    scored, total, estimated = best.scored, best.total, False
                    parsed = replace(parsed, words=best.words, completions=tuple(w for w in parsed.completions if w in best.words))
            if not parsed.ranked:
                scored = [(docnum, 0.0) for docnum, _ in scored]
        marker = Marker.of(parsed)
        return SearchResult(
            query=parsed.text,
            total=total,
            hits=tuple(_hits(searcher, scored, marker, state)),
            # after a best match too: "harbour strikr workers" finds harbour workers, and strike
            suggestion=suggestion(searcher.reader(), parsed) if (total == 0 or best_matched) and parsed.words else None,
            total_is_estimate=estimated,
            terms=parsed.terms,
            notes=parsed.notes,
        )

    def more_like_this(self, article_id: str, limit: int, state: StateLookup | None) -> list[SearchHit]:
        """The articles sharing this one's most telling terms; cached per (id, limit)."""
        found = self._similar.get((article_id, limit))
        if found is None:
            found = self._similar[article_id, limit] = _similar(self.searcher, article_id, limit)
        return _hits(self.searcher, found, Marker(()), state)

    def _state_filters(self, parsed: ParsedQuery, state: StateLookup | None) -> tuple[set[int] | None, set[int]]:
        """``is:`` filters as (allowed docnums or None for all, masked docnums).

        Without a lookup nothing is bookmarked or read.
        """
        allow: set[int] | None = None
        deny: set[int] = set()
        for flag in parsed.required:
            if flag == IN_HIGHLIGHTS:
                lookup = getattr(state, "ids_in_highlights", None)
                docnums = self.docnums(lookup(parsed.highlight_words)) if lookup is not None else set()
            else:
                docnums = self.docnums(state.ids_with(flag)) if state is not None else set()
            allow = docnums if allow is None else allow & docnums
        for flag in parsed.excluded:
            if state is not None:
                deny |= self.docnums(state.ids_with(flag))
        return allow, deny


def column(reader: IndexReader, field: str) -> list[Any]:
    """A sortable field's values by document number, read segment by segment.

    Whoosh's multi-segment column reader leaves out the segments that have no column for
    the field (every article of the segment undated), which shifts every later document's
    value, or gives no values at all; a segment's own reader fills in the default.
    """
    values: list[Any] = []
    for leaf, _ in reader.leaf_readers():
        if leaf.doc_count_all():
            values.extend(leaf.column_reader(field))
    return values


def _count(searcher: Searcher, query: wq.Query, allow: set[int] | None, deny: set[int]) -> tuple[int, bool]:
    """How many documents match: exact, or extrapolated after COUNT_BUDGET candidates.

    Counting walks every match unscored, which costs as much again as the search for a
    common word; past the budget the share of matches among the documents walked so far
    (document numbers follow import order, not content) gives the estimate.
    """
    matched = 0
    for walked, docnum in enumerate(searcher.docs_for_query(query), 1):
        if (allow is None or docnum in allow) and docnum not in deny:
            matched += 1
        if walked == COUNT_BUDGET:
            return max(matched, round(matched * searcher.doc_count_all() / (docnum + 1))), True
    return matched, False


def _hits(
    searcher: Searcher, scored: list[tuple[int, float]], marker: Marker, state: StateLookup | None
) -> list[SearchHit]:
    """SearchHits for these document numbers: stored fields loaded for these only."""
    stored = [(searcher.stored_fields(docnum), score) for docnum, score in scored]
    flags = state.flags([fields["id"] for fields, _ in stored]) if state is not None and stored else {}
    hits = []
    for fields, score in stored:
        language = fields.get("language", "")
        key = language_key(language)
        title = fields.get("title", "")
        text, matches = snippet(marker, (fields.get("summary", ""), fields.get("body", "")), key)
        bookmarked, read = flags.get(fields["id"], (False, False))
        hits.append(
            SearchHit(
                id=fields["id"],
                title=title,
                snippet=text,
                score=float(score),
                language=language,
                source=fields.get("source", ""),
                published=fields.get("published", ""),
                bookmarked=bookmarked,
                read=read,
                matches=matches,
                title_matches=tuple(marker.spans(title, key)),
            )
        )
    return hits


def _similar(searcher: Searcher, article_id: str, limit: int) -> list[tuple[int, float]]:
    """Docnums and scores of the articles sharing this one's most telling terms (Bo1)."""
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        return []
    fields = searcher.stored_fields(docnum)
    key = language_key(fields.get("language", ""))
    weights: defaultdict[str, float] = defaultdict(float)
    for name, weight in WEIGHTS.items():
        for text in analyse(fields.get(name, ""), key)[0]:
            weights[text] += weight
    expander = Expander(searcher.reader(), TEXT_FIELD)
    # The most frequent, as Counter.most_common (which is for int counts) picks them.
    expander.add(heapq.nlargest(KEY_TERM_CANDIDATES, weights.items(), key=itemgetter(1)))
    key_terms: list[tuple[str, str, float]] = []
    postings = 0

    for text, weight in expander.expanded_terms(KEY_TERM_CANDIDATES):
        frequency = searcher.doc_frequency(TEXT_FIELD, text)
        if key_terms and postings + frequency > KEY_TERM_POSTINGS:
            continue
        key_terms.append((TEXT_FIELD, text, weight))
        postings += frequency
        if len(key_terms) == KEY_TERMS:
            break
    if not key_terms:
        return []
    return fastscore.search(searcher, [fastscore.Words(tuple(key_terms))], limit, None, {docnum})[0]
