"""Best match: when all the words together find too little, BM25 over the words.

A question typed as it is ("what similarity laws must be obeyed when constructing
aeroelastic models of heated high speed aircraft") almost never has all its words in
one article: on the Cranfield collection, 216 of 225 questions found nothing when every
word was required. Search engines answer such queries by best match, and so does this
module, when the all-words search fills less than a page:

- **Stop words of the query's language are left out** (``whoosh.lang``'s lists; the
  language is the one whose list holds most of the query's words, English on a tie),
  unless the query is nothing but stop words.
- **A minimum should match** (:func:`minimum_should_match`): a short query must match
  nearly all its words, a long question a share of them.
- **An idf that lets common words fade**: Lucene's BM25 idf,
  ``ln(1 + (N - df + 0.5) / (df + 0.5))``, which tends to 0 for a word in every
  article; Whoosh's ``ln(N / (df + 1)) + 1`` never falls below 1, so "the" weighed
  a seventh of the rarest word. It is applied as a boost on Whoosh's own BM25F terms
  (their ratio), so the fast path computes it without a formula of its own.
- **On the fast path**: the rarest words are scored first; with a minimum of ``m`` out
  of ``n`` words, an article must have one of the ``n - m + 1`` rarest, so the commoner
  words are scored only in those candidates.

Snippets and highlights mark the words that were searched (:attr:`Outcome.words`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from whoosh.lang import NoStopWords, languages, stopwords_for_language

from reader.search import fastscore
from reader.search.analysis import fold
from reader.search.compiler import compile_node
from reader.search.query import AllOf, ParsedQuery, Term, Word

# Languages with a stop list in whoosh.lang, English first (it wins ties); folded like
# query words ("für" -> "fur").
_STOP_LISTS = {"en": frozenset(map(fold, stopwords_for_language("en")))}
for _code in languages:
    try:
        _STOP_LISTS.setdefault(_code, frozenset(map(fold, stopwords_for_language(_code))))
    except NoStopWords:  # a language with a stemmer but no stop list
        continue


@dataclass(frozen=True)
class Outcome:
    """A best-match answer: hits best first, how many articles qualify, the words used."""

    scored: list[tuple[int, float]]
    total: int
    words: tuple[Word, ...]


def query_words(parsed: ParsedQuery) -> tuple[Term, ...] | None:
    """The query's terms when it is plain words only (what best match applies to)."""
    root = parsed.root
    nodes = root.nodes if isinstance(root, AllOf) else (root,)
    if len(nodes) < 2 or not all(isinstance(n, Term) and n.scope == "text" for n in nodes):
        return None
    return tuple(nodes)  # type: ignore[arg-type]


def stop_language(words: list[str]) -> str:
    """The language whose stop list holds most of these (folded) words; "en" on a tie."""
    best, held = "en", 0
    for code, stops in _STOP_LISTS.items():
        count = sum(word in stops for word in words)
        if count > held:
            best, held = code, count
    return best


def without_stop_words(terms: tuple[Term, ...]) -> tuple[Term, ...]:
    """The terms that are not stop words of the query's language (all, if all are)."""
    folded = [fold(t.word.text) for t in terms]
    stops = _STOP_LISTS[stop_language(folded)]
    kept = tuple(t for t, f in zip(terms, folded) if f not in stops)
    return kept or terms


def minimum_should_match(n: int) -> int:
    """How many of ``n`` words an article must have: all of two, all but one of three or
    four, then a third (so a long question needs several of its words, not all)."""
    if n <= 2:
        return n
    if n <= 4:
        return n - 1
    return max(3, math.ceil(n / 3))


def search(searcher, parsed: ParsedQuery, terms: tuple[Term, ...], limit: int, allow, deny,
           order=None) -> Outcome | None:
    """Best match over ``terms`` (see the module doc); None when they are one word."""
    kept = without_stop_words(terms)
    reader = searcher.reader()
    words = []
    for term in kept:
        planned = fastscore.plan(compile_node(term, reader))
        if planned:
            (part,) = planned
            words.append(_faded(searcher, part))
    if len(words) < 2 and len(kept) == len(terms):
        return None  # one word: the all-words search said it all
    need = min(minimum_should_match(len(kept)), len(words))
    if need == 0:
        return Outcome([], 0, tuple(t.word for t in kept))
    # rarest first; an article must have one of the len(words) - need + 1 rarest
    words.sort(key=lambda w: fastscore.part_cost(searcher, w))
    readers = list(reader.leaf_readers())
    scores: dict[int, float] = {}
    counts: Counter[int] = Counter()
    opening = len(words) - need + 1
    for i, part in enumerate(words):
        found = fastscore.word_scores(searcher, readers, part.terms, None if i < opening else scores)
        if i < opening:
            for docnum, score in found.items():
                scores[docnum] = scores.get(docnum, 0.0) + score
        else:
            scores.update(found)  # "within": the score there is added already
        counts.update(found.keys())
    qualified = {d: s for d, s in scores.items() if counts[d] >= need and d not in deny and (allow is None or d in allow)}
    return Outcome(fastscore.best_first(qualified, order, limit), len(qualified), tuple(t.word for t in kept))


def _faded(searcher, part: fastscore.Words) -> fastscore.Words:
    """The word's terms boosted by (Lucene's BM25 idf) / (Whoosh's idf), see the module doc."""
    n = searcher.doc_count_all()
    terms = []
    for field, text, boost in part.terms:
        df = searcher.doc_frequency(field, text)
        if df:
            lucene = math.log(1 + (n - df + 0.5) / (df + 0.5))
            terms.append((field, text, boost * lucene / searcher.idf(field, text)))
    return fastscore.Words(tuple(terms))
