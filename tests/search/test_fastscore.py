"""The fast paths give Whoosh's own answers on a library big enough for many posting
blocks per word, across segments and deletions: whether a query decodes a word's
postings itself (and hands its positions to the phrase check) or finds them cached (and
reads positions from the blocks of the candidates checked). Suggestions come from the
same automaton as Whoosh's ``terms_within``, walked over vocabularies held in memory."""

from __future__ import annotations

import random

import pytest

from reader.search import SearchIndex, fastscore, suggest
from reader.search.compiler import to_whoosh
from reader.search.query import parse
from reader.search.schema import VOCABULARY

# Few words, so that each is in most articles (several 128-posting blocks) and a phrase
# of two of them is in some of the articles having both.
WORDS = "harbour container terminal port crane ship union strike council city water trade rate bank the of".split()
TAGS = ["ports", "trade", "labour"]  # a field whose posting values are frequencies, not positions


@pytest.fixture(scope="module")
def big_index(tmp_path_factory, make_article):
    """450 articles added in three commits (segments), 15 of them deleted."""
    rng = random.Random(5)
    articles = [
        make_article(f"Report {i} {rng.choice(WORDS)}", " ".join(rng.choices(WORDS, k=60)),
                     published=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z", tags=(rng.choice(TAGS),))
        for i in range(450)
    ]
    index = SearchIndex.open(tmp_path_factory.mktemp("fastscore") / "index")
    for start in range(0, len(articles), 150):
        index.add(articles[start : start + 150])
    index.delete(a.id for a in articles[::30])
    yield index
    index.close()


def _fast(index, query: str, cache: str, monkeypatch, allow: set[int] | None = None):
    """The fast scorer's top 10 with no posting list cached, or with all of them cached."""
    searcher = index.searcher()
    parts = fastscore.plan(to_whoosh(parse(query), searcher.reader()))
    assert parts is not None
    monkeypatch.setattr(fastscore, "_postings_cache", fastscore.Cache(fastscore.POSTINGS_CACHED))
    if cache == "warm":
        fastscore.search(searcher, parts, 10, allow, set())
    return fastscore.search(searcher, parts, 10, allow, set())


def _whoosh(index, query: str) -> list[tuple[int, float]]:
    """Whoosh's top 10, from all its matches: with a limit, its block-quality skipping
    drops some of the best matches of an AND of phrases."""
    searcher = index.searcher()
    hits = searcher.search(to_whoosh(parse(query), searcher.reader()), limit=None)
    return sorted(((hit.docnum, round(hit.score, 6)) for hit in hits), key=lambda h: (-h[1], h[0]))[:10]


def test_phrase_positions_matter_in_this_library(big_index):
    assert 20 < big_index.search('"container terminal"').total < big_index.search("container terminal").total / 3


@pytest.mark.parametrize("eager", [True, False], ids=["positions decoded with the words", "positions read when checked"])
@pytest.mark.parametrize("cache", ["cold", "warm"])
@pytest.mark.parametrize(
    "query",
    ['"container terminal"', '"port of the"', '"the port"', "harbour container", "city council trade", "cran*",
     '"union strike" bank', '"container terminal" "the port"', 'rate "ship the"', "tag:ports harbour",
     '"the port of"', '"union strike the" bank', '"ship the city" "the port"',
     'tag:labour "the port"'],
)
def test_the_fast_scorer_agrees_with_whoosh_over_many_blocks(big_index, query, cache, eager, monkeypatch):
    monkeypatch.setattr(fastscore, "EAGER_POSITIONS", 10**9 if eager else 0)
    searcher = big_index.searcher()
    fast, total, estimated = _fast(big_index, query, cache, monkeypatch)
    assert (total, estimated) == (len(searcher.search(to_whoosh(parse(query), searcher.reader()), limit=None)), False)
    assert [(d, round(s, 6)) for d, s in fast] == _whoosh(big_index, query)


def test_two_word_phrases_with_a_common_word_are_one_posting_list_counted_exactly(big_index, monkeypatch):
    monkeypatch.setattr(fastscore, "VERIFY_BUDGET", 20)
    _, total, estimated = _fast(big_index, '"the port"', "cold", monkeypatch)
    assert total > 20 and not estimated
    reader = big_index.searcher().reader()
    (part,) = fastscore.plan(to_whoosh(parse('"the port"'), reader))
    # the neutral analysis' pair and the English one (the library is in English only)
    assert part == fastscore.Words((("pairs", "the port", 1.0), ("pairs", "the port:en", 1.0)))
    (rare,) = fastscore.plan(to_whoosh(parse('"container terminal"'), reader))  # no common word: no pair
    assert isinstance(rare, fastscore.Phrases) and rare.variants[0] == ("text", ("container", "terminal"))


@pytest.mark.parametrize("query", ['"the port of"', '"union strike the" bank', '"the port of" harbour'])
def test_sampled_phrase_totals_are_the_same_cold_or_warm(big_index, query, monkeypatch):
    # Longer phrases intersect their pairs, then check positions: sampled past the budget.
    monkeypatch.setattr(fastscore, "EAGER_POSITIONS", 5)  # some pairs decoded with positions, some not
    monkeypatch.setattr(fastscore, "VERIFY_BUDGET", 5)
    monkeypatch.setattr(fastscore, "ESTIMATE_SAMPLE", 10)
    cold, warm = _fast(big_index, query, "cold", monkeypatch), _fast(big_index, query, "warm", monkeypatch)
    assert cold == warm
    reader = big_index.searcher().reader()
    everything = {d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)}
    assert _fast(big_index, query, "cold", monkeypatch, everything) == cold  # a filter of all: the same estimate
    assert cold[2]
    assert [(d, round(s, 6)) for d, s in cold[0]] == _whoosh(big_index, query)


@pytest.mark.parametrize(
    "word", ["harbur", "harbourr", "contianer", "termnial", "stirke", "counsil", "cit", "watr", "hafen", "strase",
             "offnungzeiten", "zusammenarbit", "xqzvw", "ports", "shipp"]
)
def test_suggestion_candidates_are_whooshs(library_index, big_index, word):
    for index in (library_index, big_index):
        reader = index.searcher().reader()
        for limit in (1, 2):
            expected = set()
            for leaf, _ in reader.leaf_readers():
                expected.update(leaf.terms_within(VOCABULARY, word, limit, prefix=1))
            assert suggest.words_within(reader, word, limit) == expected


def test_warm_reads_the_vocabulary(tmp_path, make_article, monkeypatch):
    monkeypatch.setattr(suggest, "_vocabulary_cache", suggest.Cache(suggest.VOCABULARY_CACHED))
    with SearchIndex.open(tmp_path / "index") as index:
        index.add([make_article("Harbour", "The harbour reopened.")])
        index.warm()
        monkeypatch.setattr(type(index.searcher().reader()), "lexicon", None)  # no reading now
        assert index.search("harbur").suggestion == "harbour"


@pytest.mark.parametrize("count", [129, 130, 131, 132])
def test_blocks_of_one_to_four_postings_decode_without_their_positions(fresh_index, make_article, count, monkeypatch):
    """Pickle writes tuples of up to three items without a MARK: the last block here holds
    one to four postings."""
    fresh_index.add([make_article(f"Note {i}", "harbour " * (1 + i % 3) + "the container", tags=("ports",))
                     for i in range(count)])
    for query in ("harbour", "tag:ports", '"harbour the"'):
        fast, total, _ = _fast(fresh_index, query, "cold", monkeypatch)
        assert total == count
        assert [(d, round(s, 6)) for d, s in fast] == _whoosh(fresh_index, query)


@pytest.mark.parametrize("count", [501, 1_000, 7_777, 100_000])
def test_the_estimate_sample_is_runs_of_neighbours_spread_over_every_stretch(count):
    docnums = sorted(random.Random(count).sample(range(3 * count), count))
    sample = fastscore._sample(docnums)
    assert len(sample) == len(set(sample)) == fastscore.ESTIMATE_SAMPLE
    assert sample == sorted(sample) and set(sample) <= set(docnums)
    assert sample == fastscore._sample(docnums)  # the same query gives the same estimate
    stretch = count // fastscore.SAMPLE_STRATA
    run = fastscore.ESTIMATE_SAMPLE // fastscore.SAMPLE_STRATA
    for n in range(fastscore.SAMPLE_STRATA):  # one run of neighbours in each stretch
        inside = [d for d in sample if docnums[n * stretch] <= d <= docnums[(n + 1) * stretch - 1]]
        assert inside == docnums[docnums.index(inside[0]) : docnums.index(inside[0]) + run]
