"""The query tree -> Whoosh query objects, with each word in all its analysed forms.

A word becomes an OR of its folded form and its stem in each language the index holds
(see :func:`reader.search.analysis.query_forms`) in the weighted
``text`` field (or ``title``); a phrase of two words, an OR of its word pairs (one
per analysis, see :mod:`reader.search.schema`), a longer one an :class:`AdjacentPhrase`
of its pairs per analysis (when each pair has a common word, so is indexed; else an
:class:`AdjacentPhrase` of its words, whose lists are short); a
prefix, an OR of the terms it completes to; a word completed as you type, an OR of its
forms and of the terms it completes to. ORs of plain terms and phrases are the
shapes :mod:`reader.search.fastscore` answers quickly.
"""

from __future__ import annotations

import heapq
import itertools
import weakref
from collections.abc import Iterable
from typing import Any

from whoosh import query as wq

from reader.search.analysis import NEUTRAL, fold, query_forms, term
from reader.search.phrase import AdjacentPhrase
from reader.search.query import (
    AllOf,
    DateRange,
    Keyword,
    Node,
    Not,
    ParsedQuery,
    Phrase,
    Prefix,
    Term,
)
from reader.search.schema import PAIRS, TEXT_FIELD, VOCABULARY, has_common_word, languages_in, pairs

# A prefix matching more vocabulary words than this relies on stem prefixes alone.
MAX_PREFIX_WORDS = 64
# A prefix searches at most this many of its completions, the most frequent.
MAX_PREFIX_TERMS = 64

# As you type, the last word's completions are searched most frequent first, only while
# their posting lists hold at most this many postings in all (the commonest always):
# "th" would otherwise score 64 of the library's commonest words at one keystroke.
COMPLETION_POSTINGS = 100_000

_SCOPE_FIELDS = {"text": TEXT_FIELD, "title": "title"}


def to_whoosh(parsed: ParsedQuery, reader) -> wq.Query:
    """The Whoosh query; ``reader`` expands prefixes over the index's vocabulary."""
    return wq.Every() if parsed.root is None else _compile(parsed.root, reader)


def compile_node(node: Node, reader) -> wq.Query:
    """One node of the tree as a Whoosh query (what :func:`to_whoosh` does for the root)."""
    return _compile(node, reader)


def _compile(node: Node, reader) -> wq.Query:
    if isinstance(node, Term):
        if node.scope == "source":
            return wq.Term("source", fold(node.word.text))
        field = _SCOPE_FIELDS[node.scope]
        forms = _held(field, query_forms(node.word.text, languages_in(reader)), reader)
        if node.complete:
            prefix = term(NEUTRAL, node.word.text)
            if prefix:
                completions = _prefix_terms(field, prefix, reader, COMPLETION_POSTINGS)
                forms = list(dict.fromkeys([*forms, *completions]))
        return _any([wq.Term(field, form) for form in forms])
    if isinstance(node, Phrase):
        return _compile_phrase(node, reader)
    if isinstance(node, Prefix):
        if node.scope in _SCOPE_FIELDS:
            return _compile_prefix(node, reader)
        return wq.Prefix(node.scope, node.text)
    if isinstance(node, Keyword):
        return wq.Term(node.field, node.value)
    if isinstance(node, DateRange):
        if node.start is not None and node.start == node.end:
            return wq.Prefix("published", node.start)
        end = None if node.end is None else node.end + ("~" if len(node.end) < 10 else "")
        return wq.TermRange("published", node.start, end)
    if isinstance(node, Not):
        return wq.Not(_compile(node.node, reader))
    if isinstance(node, AllOf):
        return wq.And([_compile(n, reader) for n in node.nodes])
    return _flat_or([_compile(n, reader) for n in node.nodes])  # AnyOf


def _flat_or(queries: list[wq.Query]) -> wq.Query:
    """An OR; ORs of plain terms inside it are merged into it (the same documents and
    scores: an OR's score is the sum of its parts'), so ``a OR b*`` stays one OR of terms,
    the shape :mod:`reader.search.fastscore` answers."""
    flat: list[wq.Query] = []
    for query in queries:
        if type(query) is wq.Or and query.boost == 1.0 and all(type(q) is wq.Term for q in query.subqueries):
            flat.extend(query.subqueries)
        else:
            flat.append(query)
    unique = list(dict.fromkeys(flat))  # a term twice would count twice
    return _any(unique) if all(type(q) is wq.Term for q in unique) else wq.Or(unique)


def _compile_prefix(node: Prefix, reader) -> wq.Query:
    """A prefix as an OR of plain terms, so that it is ranked (and fast) like the words
    it completes."""
    field = _SCOPE_FIELDS[node.scope]
    return _any([wq.Term(field, text) for text in _prefix_terms(field, node.text, reader)])


def _prefix_terms(field: str, prefix: str, reader, postings: int | None = None) -> list[str]:
    """The terms of ``field`` a (folded) prefix stands for.

    They are the stems starting with the prefix, plus the stems of vocabulary words
    starting with it whose stem does not (``cooperati*``: "cooperation" -> "cooper").
    A prefix with more than MAX_PREFIX_TERMS completions (``ha*``) searches its most
    frequent ones: the rest hardly change which articles match, and would cost much.
    With ``postings``, only as many of those as fit in that many postings (at least one).
    """
    found = {text: info.doc_frequency() for text, info in reader.iter_prefix(field, prefix)}
    words = list(itertools.islice(reader.expand_prefix(VOCABULARY, prefix), MAX_PREFIX_WORDS + 1))
    if len(words) <= MAX_PREFIX_WORDS:
        stemmed = languages_in(reader)
        for word in words:
            for form in query_forms(word.decode("utf-8"), stemmed):
                if form.encode("utf-8") not in found and (field, form) in reader:
                    found[form.encode("utf-8")] = reader.doc_frequency(field, form)
    chosen = heapq.nlargest(MAX_PREFIX_TERMS, found, key=lambda text: (found[text], text))
    if postings is not None:
        kept, total = [], 0
        for text in chosen:
            if kept and total + found[text] > postings:
                continue
            kept.append(text)
            total += found[text]
        chosen = kept
    return [text.decode("utf-8") for text in sorted(chosen)]


def _compile_phrase(node: Phrase, reader) -> wq.Query:
    """One phrase per analysis the index holds: an article is in one language, so its
    words share one."""
    if node.scope == "source":
        return AdjacentPhrase("source", [fold(w.text) for w in node.words])
    variants = dict.fromkeys(
        tuple(term(language, w.text) for w in node.words) for language in (NEUTRAL, *languages_in(reader))
    )
    kept = [list(variant) for variant in variants if all(variant)]
    folded = [term(NEUTRAL, w.text) for w in node.words]
    indexed = all(has_common_word(a, b) for a, b in itertools.pairwise(folded))
    if node.scope == "text" and indexed:  # through the word pairs (see reader.search.schema)
        if len(node.words) == 2:
            return _any([wq.Term(PAIRS, pair) for pair in _held(PAIRS, (pairs(v)[0] for v in kept), reader)])
        field, terms = PAIRS, [pairs(variant) for variant in kept]
    else:
        field, terms = _SCOPE_FIELDS[node.scope], kept
    held = [t for i, t in enumerate(terms) if i == 0 or all(_holds(reader, field, text) for text in t)]
    return _any([AdjacentPhrase(field, t) for t in held])


def _held(field: str, forms: Iterable[str], reader: Any) -> list[str]:
    """The first of ``forms`` (the folded word, or its pair), and those of the others
    the index holds in ``field``.

    A word's stems in the languages whose articles lack it are left out of the query,
    so they are not looked up again each time the query is planned and scored: in a
    library of every language (16 forms a word) that was half the time of a question.
    The first is kept whatever, so that a word the library lacks still makes a query
    (``-word`` must stay the negation of something).
    """
    forms = list(forms)
    if not forms:  # a word too long to index
        return []
    return [forms[0], *(form for form in forms[1:] if _holds(reader, field, form))]


def _holds(reader: Any, field: str, text: str) -> bool:
    """Whether the index behind ``reader`` has the term, remembered for the reader's
    generation (as you type, every keystroke compiles the words before it again)."""
    known = _terms_held.get(reader)
    if known is None:
        known = _terms_held[reader] = {}
    found = known.get((field, text))
    if found is None:
        if len(known) >= TERMS_HELD_KNOWN:
            known.clear()
        found = known[field, text] = (field, text) in reader
    return found


TERMS_HELD_KNOWN = 100_000  # terms whose presence is remembered per generation, at most
_terms_held: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], bool]] = weakref.WeakKeyDictionary()


def _any(queries: list[wq.Query]) -> wq.Query:
    """An OR of the queries, or the query itself, or nothing (a word too long to index)."""
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else wq.Or(queries)
