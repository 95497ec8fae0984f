"""Best match: when all the words together find too little, BM25 over the words.

A question typed as it is ("what similarity laws must be obeyed when constructing
aeroelastic models of heated high speed aircraft") almost never has all its words in
one article: on the Cranfield collection, 216 of 225 questions found nothing when every
word was required. Search engines answer such queries by best match, and so does this
module, when the all-words search fills less than a page:

- **Stop words of the query's language are left out** (``whoosh.lang``'s lists, and
  Reader's own for Arabic and Romanian, see :data:`reader.search.analysis.STOP_WORDS`; the
  language is the one whose list holds most of the query's words, English on a tie),
  unless the query is nothing but stop words.
- **A minimum should match** (:func:`minimum_should_match`): both words of two, two
  words of more.
- **An idf that lets common words fade**: Lucene's BM25 idf,
  ``ln(1 + (N - df + 0.5) / (df + 0.5))``, which tends to 0 for a word in every
  article; Whoosh's ``ln(N / (df + 1)) + 1`` never falls below 1, so "the" weighed
  a seventh of the rarest word. It is applied as a boost on Whoosh's own BM25F terms
  (their ratio), so the fast path computes it without a formula of its own.
- **On the fast path**: the rarest words are scored first; with a minimum of ``m`` out
  of ``n`` words, an article must have one of the ``n - m + 1`` rarest, so the commoner
  words are scored only in those candidates.

- **Every word counts**: a compound typed as one word (``real-gas``) is its words, and
  a quoted phrase whose pair is not indexed is scored as a phrase (the articles holding
  it, through :mod:`fastscore`), not left out (see :func:`query_words`).

Snippets and highlights mark the words that were searched (:attr:`Outcome.words`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from operator import itemgetter
from typing import Any

from reader.search import fastscore
from reader.search.analysis import STOP_WORDS, WORD, fold
from reader.search.compiler import compile_node
from reader.search.query import AllOf, Node, Not, ParsedQuery, Phrase, Term, Word

Clause = Term | Phrase | Not  # a Not holds a Term or a Phrase

# The stop lists of every language of whoosh.lang (with Reader's own for Arabic and
# Romanian, which it has none for), English first: it wins ties.
_STOP_LISTS = {"en": STOP_WORDS["en"], **STOP_WORDS}


@dataclass(frozen=True)
class Outcome:
    """A best-match answer: hits best first, how many articles qualify, the words used."""

    scored: list[tuple[int, float]]
    total: int
    words: tuple[Word, ...]


def query_words(parsed: ParsedQuery) -> tuple[Clause, ...] | None:
    """The query's words when it is plain words (what best match applies to; groups of ANDed words opened): terms,
    phrases and negated words or phrases (excluded, as typed).

    A phrase typed in quotes with two words counts as one word (it must match as a phrase);
    a longer one, and a phrase typed as one word (a compound the parser splits at its
    punctuation: ``real-gas``, ``fin-body``, ``covid-19``), count as their words, since a
    question's "three-dimensional" is not a quotation: the words side by side still earn
    the pair bonus (see :func:`search`). Scored as a phrase, a compound of two rarer words
    finds only the articles spelling it the same way, and before it was split it was left
    out of the ranking altogether (a phrase whose pair is not indexed is no plain word):
    on Cranfield, 69 of 225 questions lost a word that way.
    """
    clauses: list[Clause] = []
    conjuncts = _conjuncts(parsed.root)
    if sum(not isinstance(node, Not) for node in conjuncts) < 2:
        return None  # one word or one phrase: nothing to relax ("harbour harbour ..." stays a phrase)
    for node in conjuncts:
        negated = isinstance(node, Not)
        inner = node.node if isinstance(node, Not) else node
        if not isinstance(inner, (Term, Phrase)) or inner.scope != "text":
            return None
        if isinstance(inner, Phrase) and not negated and (len(inner.words) > 2 or _one_word(parsed.text, inner)):
            clauses.extend(Term("text", w) for w in inner.words)
        else:
            clauses.append(Not(inner) if negated else inner)
    clauses = _once(clauses)
    if sum(not isinstance(c, Not) for c in clauses) < 2:
        return None
    return tuple(clauses)


def _once(clauses: list[Clause]) -> list[Clause]:
    """The clauses, a word that came again (from a compound: "real-gas" and "gas") left
    out: it would count twice towards the minimum. How often a word was typed counts
    through :func:`repeats` instead."""
    seen: set[str] = set()
    kept: list[Clause] = []
    for clause in clauses:
        if isinstance(clause, Term):
            if fold(clause.word.text) in seen:
                continue
            seen.add(fold(clause.word.text))
        kept.append(clause)
    return kept


def repeats(text: str) -> Counter[str]:
    """How many times each (folded) word was typed: a long question repeats the words it
    is about ("... descriptive titles? ... approximate titles? ... relevance of the
    content of articles to their titles?"), and the parser keeps each word once."""
    return Counter(fold(match.group()) for match in WORD.finditer(text))


def query_weight(times: int) -> float:
    """The weight of a word typed ``times`` times: BM25's saturation of the query term
    frequency, ``(K3 + 1) * qtf / (K3 + qtf)`` (Robertson et al., Okapi at TREC-3), so a
    word typed twice weighs nearly twice and one pasted a thousand times at most K3 + 1."""
    return (QUERY_K3 + 1) * times / (QUERY_K3 + times)


# BM25's k3 (see :func:`query_weight`): Okapi's runs used values from 7 to 1000.
QUERY_K3 = 8.0


def _one_word(text: str, phrase: Phrase) -> bool:
    """Whether the phrase was typed as one word: no space between its words (a bare word
    never holds one; words typed in quotes are apart)."""
    first, last = phrase.words[0], phrase.words[-1]
    return not any(ch.isspace() for ch in text[first.start : last.end])


def _conjuncts(node: Node | None) -> list[Node | None]:
    """The nodes ANDed at the top of the tree, groups of ANDed nodes opened: a question's
    "(made using free-flight models)" is more words of it."""
    if not isinstance(node, AllOf):
        return [node]
    return [inner for child in node.nodes for inner in _conjuncts(child)]


def stop_language(words: list[str]) -> str:
    """The language whose stop list holds most of these (folded) words; "en" on a tie."""
    best, held = "en", 0
    for code, stops in _STOP_LISTS.items():
        count = sum(word in stops for word in words)
        if count > held:
            best, held = code, count
    return best


def without_stop_words(clauses: tuple[Clause, ...]) -> tuple[Term | Phrase, ...]:
    """The positive clauses that are not stop words of the query's language (all, if
    all are): a phrase is kept whole."""
    positive = [c for c in clauses if not isinstance(c, Not)]
    folded = [fold(c.word.text) if isinstance(c, Term) else "" for c in positive]
    stops = _STOP_LISTS[stop_language([f for f in folded if f])]
    kept = tuple(c for c, f in zip(positive, folded, strict=False) if f not in stops)
    return kept or tuple(positive)


def _words_of(clauses: Iterable[Term | Phrase]) -> tuple[Word, ...]:
    return tuple(w for c in clauses for w in ((c.word,) if isinstance(c, Term) else c.words))


def minimum_should_match(n: int) -> int:
    """How many of ``n`` words an article must have: all of one or two, two of more.

    On Cranfield (benchmarks/cranfield.py) every stricter rule measured lost relevant
    abstracts the ranking would have found: a third of the words, MAP 0.262; all but one
    of three or four and a quarter beyond, 0.289; two, 0.307; any one, 0.310 (those last
    two before the pair index was cut to common words).
    """
    return n if n <= 2 else 2


def search(
    searcher: Any,
    clauses: tuple[Clause, ...],
    limit: int,
    allow: set[int] | None,
    deny: set[int],
    order: Sequence[int] | None = None,
    typed: Counter[str] | None = None,
) -> Outcome:
    """Best match over the clauses of :func:`query_words` (see the module doc); ``typed``
    is :func:`repeats` of the query, the words typed more than once weigh more."""
    kept = without_stop_words(clauses)
    reader = searcher.reader()
    readers = list(reader.leaf_readers())

    def words_part(node: Node, boost: float = 1.0) -> fastscore.Words | None:
        planned = fastscore.plan(compile_node(node, reader))
        if planned and isinstance(planned[0], fastscore.Words):
            return _faded(searcher, planned[0], boost)
        return None

    def scorer(clause: Term | Phrase) -> tuple[int, Scorer] | None:
        """How many postings the clause reads, and its scores (see :func:`_best_form`)."""
        planned = fastscore.plan(compile_node(clause, reader))
        if not planned:
            return None  # a word too long to index
        part = planned[0]
        if isinstance(part, fastscore.Words):
            times = typed.get(fold(clause.word.text), 1) if typed and isinstance(clause, Term) else 1
            faded = _faded(searcher, part, query_weight(times))
            return fastscore.part_cost(searcher, faded), partial(_best_form, searcher, readers, faded)
        # a phrase whose pair is not indexed: the articles holding it, its words' scores
        held = dict.fromkeys(_holding(searcher, part, max(limit, fastscore.VERIFY_BUDGET)), 0.0)
        for word in _words_of((clause,)):
            if held and (faded_word := words_part(Term("text", word))) is not None:
                held = _best_form(searcher, readers, faded_word, held)
        return len(held), partial(_within, held)

    words = [found for found in map(scorer, kept) if found is not None]
    excluded = set(deny)
    for clause in clauses:
        if isinstance(clause, Not):
            planned = fastscore.plan(compile_node(clause.node, reader))
            if planned and isinstance(planned[0], fastscore.Words):
                excluded.update(fastscore.word_scores(searcher, readers, planned[0].terms, None))
            elif planned:  # every article holding the phrase, however many
                excluded.update(_holding(searcher, planned[0], searcher.doc_count_all()))
    need = minimum_should_match(len(kept))  # a word too long to index is a word not found
    if len(words) < need:
        return Outcome([], 0, _words_of(kept))
    # rarest first; an article must have one of the len(words) - need + 1 rarest
    words.sort(key=itemgetter(0))
    scores: dict[int, float] = {}
    counts: Counter[int] = Counter()
    opening = len(words) - need + 1
    for i, (_, scored) in enumerate(words):
        found = scored(None if i < opening else scores)
        if i < opening:
            for docnum, score in found.items():
                scores[docnum] = scores.get(docnum, 0.0) + score
        else:
            scores.update(found)  # "within": the score there is added already
        counts.update(found.keys())
    qualified = {d: s for d, s in scores.items() if counts[d] >= need and d not in excluded and (allow is None or d in allow)}
    top = dict(fastscore.best_first(qualified, None, max(limit, PROXIMITY_CHECKED)))
    for pair in _adjacent_pairs(clauses, kept):
        if not top:
            break
        if (part := words_part(pair, PAIR_BOOST)) is not None:  # an indexed pair
            top.update(_best_form(searcher, readers, part, top))
        else:  # two rarer words: their positions, for the best candidates only
            _proximity(searcher, readers, compile_node(pair, reader), top)
    qualified.update(top)
    return Outcome(fastscore.best_first(qualified, order, limit), len(qualified), _words_of(kept))


# Weight of a pair of the query's words found side by side in an article (through the
# ``pairs`` field), against one word: the proximity that tells "heat conduction" from an
# article on heat that mentions conduction once.
PAIR_BOOST = 0.5


# Only the best this many candidates get the bonus of a pair of rarer words, whose
# positions must be read: enough to reorder a page, cheap at any library size.
PROXIMITY_CHECKED = 100


def _proximity(searcher: Any, readers: list[Any], query: Any, top: dict[int, float]) -> None:
    """Add PAIR_BOOST times the words' mean idf to the scores in ``top`` of the documents
    holding the two-word phrase ``query`` (an :class:`AdjacentPhrase` per analysis)."""
    planned = fastscore.plan(query)
    if not planned or not isinstance(planned[0], fastscore.Phrases):
        return
    n = searcher.doc_count_all()
    held: dict[int, float] = {}
    for field, terms in planned[0].variants:
        having = None
        for text in terms:
            found = set(fastscore.word_scores(searcher, readers, ((field, text, 1.0),), top))
            having = found if having is None else having & found
        if not having:
            continue
        check = fastscore.PhraseCheck(searcher, readers, [(fastscore.Phrases(((field, terms),)), dict.fromkeys(having, 0))], {})
        idf = sum(math.log(1 + (n - df + 0.5) / (df + 0.5)) for df in (searcher.doc_frequency(field, t) for t in terms))
        for docnum in check.holding(sorted(having)):
            held[docnum] = max(held.get(docnum, 0.0), PAIR_BOOST * idf / len(terms))
    for docnum, bonus in held.items():
        top[docnum] += bonus


def _adjacent_pairs(clauses: tuple[Clause, ...], kept: tuple[Clause, ...]) -> list[Phrase]:
    """Two-word phrases of the kept words that were typed side by side."""
    found = []
    for first, second in pairwise(clauses):
        if isinstance(first, Term) and isinstance(second, Term) and first in kept and second in kept:
            found.append(Phrase("text", (first.word, second.word)))
    return found


# The scores of a clause, of every article having it, or with ``within`` of those of
# ``within`` only, their score there added (see :func:`_best_form`).
Scorer = Callable[[dict[int, float] | None], dict[int, float]]


def _holding(searcher: Any, phrases: fastscore.Part, most: int) -> list[int]:
    """The articles holding the phrase (positions checked by :mod:`fastscore`): all of
    them when they are at most ``most`` or :data:`fastscore.VERIFY_BUDGET`, else the
    ``most`` whose words score best."""
    return [docnum for docnum, _ in fastscore.search(searcher, [phrases], most, None, set())[0]]


def _within(scores: dict[int, float], within: dict[int, float] | None) -> dict[int, float]:
    """``scores`` as a :data:`Scorer` gives them."""
    if within is None:
        return dict(scores)
    return {d: within[d] + s for d, s in scores.items() if d in within}


def _best_form(searcher: Any, readers: list[Any], part: fastscore.Words, within: dict[int, float] | None) -> dict[int, float]:
    """Scores of the documents having the word in some form, the best form's score: an
    English article may hold two of a word's forms (its stem, and the German stem that
    happens to be another English stem), which must not count the word twice."""
    if len(part.terms) == 1:
        scores: dict[int, float] = fastscore.word_scores(searcher, readers, part.terms, within)
        return scores
    best: dict[int, float] = {}
    for term in part.terms:
        for docnum, score in fastscore.word_scores(searcher, readers, (term,), within).items():
            if score > best.get(docnum, -1.0):
                best[docnum] = score
    return best


def _faded(searcher: Any, part: fastscore.Words, boost: float = 1.0) -> fastscore.Words:
    """The word's terms boosted by (Lucene's BM25 idf) / (Whoosh's idf), see the module
    doc, and by ``boost``."""
    n = searcher.doc_count_all()
    terms = []
    for field, text, term_boost in part.terms:
        df = searcher.doc_frequency(field, text)
        if df:
            lucene = math.log(1 + (n - df + 0.5) / (df + 0.5))
            terms.append((field, text, term_boost * boost * lucene / searcher.idf(field, text)))
    return fastscore.Words(tuple(terms))
