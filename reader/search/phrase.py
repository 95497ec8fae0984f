"""A phrase query with a lean position check.

Whoosh's ``Phrase`` runs through its general span machinery (``SpanNear2``), which
builds a ``Span`` object for every position of every word in every candidate document;
that made phrase queries the slowest kind by far. Adjacency of exact terms needs only
integer arithmetic: the phrase occurs at ``p`` when word ``i`` occurs at ``p + i``.
Candidates still come from Whoosh's intersection matcher, and scores from its terms.
:mod:`reader.search.fastscore` uses :func:`adjacent_starts` for its own phrase checks.
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import Matcher, binary
from whoosh.query.spans import Span, SpanWrappingMatcher
from whoosh.searching import Searcher
from whoosh.util import make_binary_tree


class AdjacentPhrase(wq.Phrase):  # type: ignore[misc]  # Whoosh has no type stubs: Any
    """``Phrase`` over already-analysed terms, matched with :class:`_AdjacentMatcher`."""

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        reader = searcher.reader()
        matchers = []
        for word in self.words:
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()
            matchers.append(wq.Term(self.fieldname, word).matcher(searcher, context))
        found = _AdjacentMatcher(matchers)
        return found if self.boost == 1.0 else matching.WrappingMatcher(found, boost=self.boost)


class _AdjacentMatcher(SpanWrappingMatcher):  # type: ignore[misc]  # Whoosh has no type stubs: Any
    """Matches the documents where the terms of ``matchers`` occur one after another."""

    def __init__(self, matchers: list[Matcher]) -> None:
        self.matchers = matchers
        super().__init__(make_binary_tree(binary.IntersectionMatcher, matchers))

    def copy(self) -> _AdjacentMatcher:
        return self.__class__([m.copy() for m in self.matchers])

    def replace(self, minquality: float = 0) -> Matcher:
        return self if self.is_active() else matching.NullMatcher()

    def _get_spans(self) -> list[Span]:

        starts = adjacent_starts([m.value_as("positions") for m in self.matchers])
        last = len(self.matchers) - 1
        return [Span(p, p + last) for p in sorted(starts)]


def adjacent_starts(positions: list[list[int]]) -> set[int]:
    """Positions ``p`` where word ``i`` of a phrase occurs at ``p + i``, for every ``i``."""
    starts = set(positions[0])
    for offset, found in enumerate(positions[1:], 1):
        starts.intersection_update(p - offset for p in found)
        if not starts:
            break
    return starts
