"""The ``text`` and ``pairs`` postings Reader writes are the ones Whoosh's own code makes.

:class:`reader.search.schema.WeightedText` groups an article's tokens into postings
without Whoosh's per-term helpers, for speed; these tests hold it to what the helpers
(``Positions.encode``, a sum of weights per term) give, byte for byte, on random tokens
and on every sample article, so the index, and with it every search, is unchanged.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from reader import paths
from reader.body import to_plain_text
from reader.importers import SkippedFile, iter_files, read_file
from reader.search.analysis import COMMON_WORDS, analyse, language_key, untagged
from reader.search.schema import (
    FIELD_GAP,
    PAIR_JOIN,
    PAIRS,
    TEXT_FIELD,
    WEIGHTS,
    TermPostings,
    WeightedText,
    build_schema,
    document,
)


def whoosh_postings(field: WeightedText, value: list[tuple[str, int, float]]) -> list[tuple[bytes, int, float, bytes]]:
    """The postings as Whoosh's Positions format makes them (its ``word_values``, with
    each token's weight as its boost)."""
    positions: dict[str, list[int]] = defaultdict(list)
    weights: dict[str, float] = defaultdict(float)
    for text, position, weight in value:
        positions[text].append(position)
        weights[text] += weight
    return [(text.encode("utf-8"), len(found), weights[text], field.format.encode(found)) for text, found in positions.items()]


tokens = st.lists(
    st.tuples(st.text(min_size=1, max_size=12), st.integers(0, 10**6), st.sampled_from([1.0, 1.5, 2.5])),
    max_size=60,
).map(lambda found: sorted(found, key=lambda token: token[1]))


@given(tokens)
def test_random_tokens_give_whooshs_postings(value) -> None:
    field = build_schema()[TEXT_FIELD]
    postings = TermPostings()
    for text, position, weight in value:
        postings.add(text, position, weight)
    assert list(field.index(postings)) == whoosh_postings(field, value)


def reference_tokens(article) -> dict[str, list[tuple[str, int, float]]]:
    """The ``text`` and ``pairs`` tokens of an article, from the analysis and the rules
    of reader.search.schema written out plainly: every term at its position with its
    field's weight, fields ``FIELD_GAP`` apart; a pair wherever one of its words is common."""
    article = article.replace(body=to_plain_text(article.body))
    key = language_key(article.language)
    found: dict[str, list[tuple[str, int, float]]] = {TEXT_FIELD: [], PAIRS: []}
    position = 0
    for name, weight in WEIGHTS.items():
        terms, words = analyse(getattr(article, name), key)
        found[TEXT_FIELD] += [(term, position + i, weight) for i, term in enumerate(terms)]
        found[PAIRS] += [
            (untagged(terms[i]) + PAIR_JOIN + terms[i + 1], position + i, weight)
            for i in range(len(terms) - 1)
            if words[i] in COMMON_WORDS or words[i + 1] in COMMON_WORDS
        ]
        position += len(terms) + FIELD_GAP
    return found


def test_every_sample_article_gives_whooshs_postings() -> None:
    schema = build_schema()
    articles = [a for path in iter_files([paths.sample_data_dir()]) if not isinstance(path, SkippedFile)
                for a in read_file(path, [])]
    assert len(articles) > 10
    seen: set[str] = set()
    checked = 0
    for article in articles:
        doc = document(article, seen)
        expected = reference_tokens(article)
        for name in (TEXT_FIELD, PAIRS):
            assert list(schema[name].index(doc[name])) == whoosh_postings(schema[name], expected[name])
            checked += len(expected[name])
    assert checked > 1000
