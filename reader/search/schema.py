"""The index schema, its version, and what an article becomes in the index.

The index is derived from the SQLite store, which is the source of truth. User state
(bookmarked, read) changes with every keypress and lives only in the store: re-indexing
a document per bookmark toggle would rewrite a segment per keypress, so the index holds
content fields only, and ``is:bookmarked`` / ``is:unread`` are applied at query time as
a filter over document numbers built from the library's state lookup (see index.py).

Text fields receive tokens made by :mod:`reader.search.analysis` (each article analysed
with its own language), so the analyzers recorded in the schema are never used.

Title, summary and body are searched through one ``text`` field whose postings carry
weights (title words count 2.5, summary 1.5, body 1): BM25F proper (weighted term
frequencies, then one saturation), and one posting list per query form instead of three
to walk, which is what made plain-word queries fast enough. ``title`` is indexed on its
own as well, for ``title:``.

Adjacent word pairs are indexed as terms of their own in ``pairs`` (the idea of
Lucene's CommonGrams filter and Elasticsearch's ``index_phrases``): every pair of
neighbouring terms of title, summary and body of which one word is common (a stop word:
:data:`reader.search.analysis.COMMON_WORDS`), at the position of its first word and
with its weight. A two-word phrase is then one posting list, and a
longer one the intersection of its pairs, positions read only to confirm pair ``i`` at
``p + i``. "of have and" costs what two rare words cost, where it used to intersect the
library's three commonest words and read their positions (2 to 3 s at 100,000 articles).
A pair of stems carries its language once, at its end (``"harbour of:en"``, see
:func:`pairs`).

Bump :data:`SCHEMA_VERSION` whenever the fields, weights
*or the analysis* change: an index recording another version is recreated and rebuilt.
"""

from __future__ import annotations

import itertools
import pickle
import re
import struct
import weakref
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import analysis as whoosh_analysis
from whoosh import formats
from whoosh.fields import ID, KEYWORD, STORED, TEXT, FieldType, Schema

from reader.body import to_plain_text
from reader.language import language_code
from reader.model import Article
from reader.search.analysis import (
    COMMON_WORDS,
    NEUTRAL,
    STEMMED_LANGUAGES,
    analyse,
    fold,
    language_key,
    untagged,
    word_forms,
)

# 2: pairs of adjacent words, one of them common (``pairs``); 3: fifteen stemmers, each
# stem tagged with its language (see reader.search.analysis)
SCHEMA_VERSION = 3

TEXT_FIELD = "text"  # title + summary + body, weighted: what plain words search
VOCABULARY = "words"  # the folded, unstemmed vocabulary
PAIRS = "pairs"  # adjacent term pairs of title, summary and body, for phrases
PAIR_JOIN = " "  # between the two terms of a pair: no term holds a space (see analysis.WORD)

# Weight of a word in the ``text`` field by where it occurs.
WEIGHTS = {"title": 2.5, "summary": 1.5, "body": 1.0}
# Positions skipped between title, summary and body, so a phrase never spans two of them.
FIELD_GAP = 100

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class WeightedText(TEXT):  # type: ignore[misc]  # whoosh is untyped
    """A positional text field whose value is a :class:`TermPostings`.

    Whoosh pickles the schema into the index, so this class keeps its name and module;
    moving it makes old indexes unreadable, which :meth:`SearchIndex.open` turns into
    a rebuild.
    """

    def index(self, value: TermPostings, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        # Whoosh's own field would run its analyzer and Positions.encode per term; this is
        # the same postings, bytes for bytes (tests/search/test_schema_postings.py), in
        # half the time: a tenth of indexing an article was spent here.
        weights = value.weights
        for text, found in value.positions.items():
            yield text.encode("utf-8"), len(found), weights[text], encode_positions(found)


class TermPostings:
    """One article's terms of one field: each term's positions and summed weight, in
    the order the terms first occur (the order of Whoosh's own field).

    Built by :func:`document` straight from the analysed words: a list of
    ``(term, position, weight)`` tuples, grouped again here, cost a fifth of indexing.
    """

    __slots__ = ("positions", "weights")

    def __init__(self) -> None:
        self.positions: dict[str, list[int]] = {}
        self.weights: dict[str, float] = {}

    def add(self, text: str, position: int, weight: float) -> None:
        found = self.positions.get(text)
        if found is None:
            self.positions[text] = [position]
            self.weights[text] = weight
        else:
            found.append(position)
            self.weights[text] += weight

    def extend(self, terms: Iterable[str], start: int, weight: float) -> None:
        """Add ``terms`` at positions ``start``, ``start + 1``, ... (the loop of :meth:`add`, inlined)."""
        positions, weights = self.positions, self.weights
        for position, text in enumerate(terms, start):
            found = positions.get(text)
            if found is None:
                positions[text] = [position]
                weights[text] = weight
            else:
                found.append(position)
                weights[text] += weight


_UINT = struct.Struct("!I")  # whoosh.system.pack_uint


def encode_positions(positions: list[int]) -> bytes:
    """What ``whoosh.formats.Positions.encode`` makes of a term's positions: their
    count, then the pickled list of gaps.

    Most terms occur once in an article: those encodings are kept (positions below
    :data:`_SINGLE_CACHED`), a tenth of indexing saved.
    """
    if len(positions) == 1:
        position = positions[0]
        if position < _SINGLE_CACHED:
            try:
                return _single[position]
            except KeyError:
                encoded = _single[position] = _UINT.pack(1) + pickle.dumps([position], 2)
                return encoded
    return _UINT.pack(len(positions)) + pickle.dumps([b - a for a, b in itertools.pairwise([0, *positions])], 2)


_SINGLE_CACHED = 1 << 16
_single: dict[int, bytes] = {}


def build_schema() -> Schema:
    """The fields of the index.

    ``words`` is the library's folded, unstemmed vocabulary, for "did you mean" and for
    prefix queries (``cooperati*`` must find "cooperation" although the English stem is
    "cooper"). Only its lexicon is used, so each word is given to just the first article
    of a write batch that has it (see :func:`document`): a posting per article and word
    doubled the cost of indexing. It is marked scorable only to get a field-length
    column; without one Whoosh 2.7's segment writer stats a file once per posting.
    """
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(stored=True),
        summary=STORED(),
        body=STORED(),
        text=WeightedText(),
        pairs=WeightedText(),
        words=FieldType(formats.Existence(), whoosh_analysis.IDAnalyzer(), scorable=True),
        source=TEXT(stored=True),
        language=ID(stored=True),
        tags=KEYWORD(commas=True, lowercase=True),
        published=ID(stored=True, sortable=True),
    )


def document(article: Article, seen: set[str]) -> dict[str, Any]:
    """The keyword arguments of ``writer.add_document`` for one article.

    Indexed values are token lists; stored values keep the original text for display,
    snippets and more-like-this. ``published`` is indexed as its ``yyyy-mm-dd`` day (for
    ``published:`` queries) while its column keeps the full timestamp (for sort:date).
    ``seen`` is the vocabulary already given to earlier articles of this write batch;
    this article's new words are added to it.
    """
    key = language_key(article.language)
    article = article.replace(body=to_plain_text(article.body))  # the words, not the markup
    doc: dict[str, Any] = {"id": article.id, "summary": article.summary, "body": article.body}
    tokens = TermPostings()
    pair_tokens = TermPostings()
    vocabulary: set[str] = set()
    position = 0
    for name, weight in WEIGHTS.items():
        forms = word_forms(getattr(article, name), key)
        terms = [form[1] for form in forms]
        tokens.extend(terms, position, weight)
        for i in _common_pair_starts(forms):
            pair_tokens.add(forms[i][2] + PAIR_JOIN + terms[i + 1], position + i, weight)
        position += len(terms) + FIELD_GAP
        vocabulary.update(form[0] for form in forms)
        if name == "title":
            doc["title"] = terms
            doc["_stored_title"] = article.title
    doc[TEXT_FIELD] = tokens
    doc[PAIRS] = pair_tokens
    vocabulary -= seen
    seen |= vocabulary
    doc[VOCABULARY] = sorted(vocabulary)
    doc["source"] = analyse(article.source, NEUTRAL)[0]
    doc["_stored_source"] = article.source
    code = language_code(article.language)
    if code:
        doc["language"] = code
        doc["_stored_language"] = article.language
    # What the article shows: the importer's and the reader's tags (reader/tags.py).
    tags = [fold(tag) for tag in article.shown_tags]
    if tags:
        doc["tags"] = tags
    day = article.published[:10]
    if _DATE.fullmatch(day):
        doc["published"] = day
        doc["_stored_published"] = article.published
    return doc


def pairs(terms: list[str]) -> list[str]:
    """The ``pairs`` terms of a run of terms of one analysis: each term joined to the
    next, the first without its language tag (the second has it, for both)."""
    return [_pair(first, second) for first, second in itertools.pairwise(terms)]


def _pair(first: str, second: str) -> str:
    return untagged(first) + PAIR_JOIN + second


def has_common_word(first: str, second: str) -> bool:
    """Whether the pair of these (folded, unstemmed) words is indexed."""
    return first in COMMON_WORDS or second in COMMON_WORDS


def _common_pair_starts(forms: list[tuple[str, str, str]]) -> Iterator[int]:
    """The positions in ``forms`` (see :func:`word_forms`) where an indexed pair starts:
    where the word or the next one is common (:func:`has_common_word`), each word asked once."""
    common = [form[0] in COMMON_WORDS for form in forms]
    return (i for i in range(len(common) - 1) if common[i] or common[i + 1])


def languages_in(reader: Any) -> tuple[str, ...]:
    """The stemmed languages of the articles of the index behind ``reader``: the
    languages whose stems a query word is looked up in (see
    :func:`reader.search.analysis.query_forms`). Asked once per reader (an index
    generation), in the ``language`` field's terms."""
    try:
        return _languages_seen[reader]
    except KeyError:
        found = tuple(code for code in STEMMED_LANGUAGES if ("language", code) in reader)
        _languages_seen[reader] = found
        return found


_languages_seen: weakref.WeakKeyDictionary[Any, tuple[str, ...]] = weakref.WeakKeyDictionary()
