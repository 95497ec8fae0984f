"""Every operator of the query language, in English and German, against a small library."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # plain words: all must match
        ("harbour", {"strike", "climate"}),
        ("harbour strike", {"strike"}),
        ("Hafen", {"offnung", "streik"}),
        ("Hafen Streik", {"streik"}),
        # stemming, both languages, without saying which
        ("cooperate", {"strike"}),
        ("cooperating", {"strike"}),
        ("harbours", {"strike", "climate"}),
        ("Öffnungszeit", {"offnung", "streik"}),
        ("Zusammenarbeit", {"offnung", "streik"}),
        # accent and case folding
        ("offnungszeiten", {"offnung", "streik"}),
        ("OEFFNUNGSZEITEN", set()),  # transliteration is not folding
        ("Häfen", {"offnung", "streik"}),  # plural and singular share the German stem
        ("hafen", {"offnung", "streik"}),
        ("strasse", {"offnung"}),
        ("Straße", {"offnung"}),
        ("cooperation", {"strike", "marseille"}),  # French "coopération", folded
        ("coopération", {"strike", "marseille"}),
        # phrases
        ('"container terminal"', {"strike", "climate"}),
        ('"terminal container"', set()),
        ('"im Hafen"', {"offnung", "streik"}),
        ('"hamburger hafen"', {"streik"}),
        ('"port authority"', {"strike"}),
        # prefixes, over the unstemmed vocabulary
        ("harb*", {"strike", "climate"}),
        ("cooperati*", {"strike", "marseille"}),
        ("cooperatio*", {"strike", "marseille"}),
        ("Öffnungsz*", {"offnung", "streik"}),
        ("hafenbeh*", {"offnung", "streik"}),
        # OR, NOT and -
        ("election OR Streik", {"election", "streik"}),
        ("harbour strike OR seas", {"strike", "climate"}),
        ("harbour -strike", {"climate"}),
        ("harbour NOT strike", {"climate"}),
        ("Hafen -Streik", {"offnung"}),
        ("(election OR Streik) -Gewerkschaft", {"election"}),
        # fields
        ("title:harbour", {"strike", "climate"}),
        ("title:strike", {"strike"}),
        ("title:hafen", {"offnung", "streik"}),
        ("title:Öffnungszeit", {"offnung"}),
        ('title:"workers end"', {"strike"}),
        ("title:harb*", {"strike", "climate"}),
        ("source:hafenblatt", {"offnung"}),
        ('source:"coastal times"', {"climate"}),
        ("source:coast*", {"climate"}),
        ("tag:labour", {"strike"}),
        ("tag:Häfen", {"offnung"}),
        ("tag:hafen", {"offnung"}),
        ("tag:pol*", {"election"}),
        ("lang:de", {"offnung", "streik"}),
        ("lang:german", {"offnung", "streik"}),
        ("lang:fr", {"marseille"}),
        ("lang:en harbour", {"strike", "climate"}),
        ("-lang:en port", {"marseille"}),
        # dates
        ("published:2026-01", {"strike", "offnung", "streik"}),
        ("published:2025", {"climate", "marseille"}),
        ("published:2026-01-20", {"offnung"}),
        ("published:[2025-12-01 to 2026-01-12]", {"marseille", "strike"}),
        ("published:[2026-01-13 to *]", {"offnung", "streik", "election"}),
        ("published:[* to 2025-11]", {"climate"}),
        ("hafen published:2026-01", {"offnung", "streik"}),
    ],
)
def test_operator(library_index, keys, query, expected):
    result = library_index.search(query, limit=50)
    assert keys(result) == expected, query
    assert result.total == len(expected)
    assert not result.total_is_estimate


def test_title_is_boosted(library_index, keys, library):
    # "council" is in the title of one article and only in the body of the other.
    hits = library_index.search("council").hits
    assert [h.id for h in hits] == [library["election"].id, library["climate"].id]


def test_filters_use_the_state_lookup(library_index, keys, library, state_class):
    state = state_class(bookmarked={library["strike"].id, library["offnung"].id}, read={library["offnung"].id})
    assert keys(library_index.search("is:bookmarked", state=state)) == {"strike", "offnung"}
    assert keys(library_index.search("hafen is:bookmarked", state=state)) == {"offnung"}
    assert keys(library_index.search("hafen is:unread", state=state)) == {"streik"}
    assert keys(library_index.search("hafen is:read", state=state)) == {"offnung"}
    assert keys(library_index.search("hafen -is:bookmarked", state=state)) == {"streik"}
    assert keys(library_index.search("hafen NOT is:unread", state=state)) == {"offnung"}
    assert keys(library_index.search("is:bookmarked is:unread", state=state)) == {"strike"}
    assert keys(library_index.search("is:bookmarked -is:bookmarked", state=state)) == set()
    # is: filters apply to the whole query, even inside OR
    assert keys(library_index.search("election OR is:bookmarked", state=state)) == set()
    # hits carry the current flags
    hit = library_index.search("Öffnungszeiten im Hafen", state=state).hits[0]
    assert (hit.bookmarked, hit.read) == (True, True)
    # without a lookup nothing is bookmarked and nothing is read
    assert library_index.search("is:bookmarked").total == 0
    assert library_index.search("is:unread").total == len(library)


def test_filter_only_and_unranked_queries_are_newest_first(library_index, library):
    result = library_index.search("is:unread sort:date", state=None)
    dates = [h.published for h in result.hits]
    assert dates == sorted(dates, reverse=True)
    assert result.total == len(library)
    assert [h.score for h in result.hits] == [0.0] * len(library)
    by_lang = [h.published for h in library_index.search("lang:de").hits]
    assert by_lang == sorted(by_lang, reverse=True)


def test_sort_by_date(library_index, keys):
    result = library_index.search("hafen sort:date")
    assert [h.published for h in result.hits] == ["2026-01-20T07:00:00Z", "2026-01-13T06:00:00Z"]
    ranked = library_index.search("harbour")
    assert ranked.hits[0].score > 0


def test_empty_query_matches_nothing(library_index):
    for query in ("", "   ", "*", "-", "OR", "NOT", "AND", "title:", '""', "!!!"):
        result = library_index.search(query)
        assert (result.total, result.hits) == (0, ()), query


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ('"container terminal', "container terminal"),  # unbalanced quote
        ("published:[2026-01 to harbour", "2026 01 to harbour"),  # unbalanced bracket
        ("(harbour strike", "harbour strike"),  # unbalanced parentheses
        ("harbour strike)", "harbour strike"),
        ("harbour title:", "harbour"),  # a bare field
        ("harbour OR", "harbour"),  # a dangling operator
        ("NOT harbour OR", "harbour"),
        ("harbour -", "harbour"),
        ("is:nonsense harbour", "nonsense harbour"),  # unknown values
        ("sort:nonsense harbour", "nonsense harbour"),
        ("published:yesterday harbour", "yesterday harbour"),
        ("lang:[de to en] harbour", "de to en harbour"),
    ],
)
def test_malformed_queries_fall_back_to_plain_words(library_index, query, words):
    assert library_index.search(query).hits == library_index.search(words).hits


def test_result_terms_are_the_plain_words(library_index):
    result = library_index.search('harbour "container terminal" -strike title:quay harb* tag:x')
    assert result.terms == ("harbour", "container", "terminal", "quay", "harb")


def test_total_is_exact_below_the_limit_and_counted_above(library_index):
    result = library_index.search("hafen", limit=1)
    assert len(result.hits) == 1
    assert (result.total, result.total_is_estimate) == (2, False)


def test_limit_zero_and_count(library_index, library):
    assert library_index.search("hafen", limit=0).total == 0
    assert library_index.count() == len(library)


@pytest.mark.parametrize(
    "query",
    ["harbour", "hafen", "harbour container", "cooperate", "the", "Hafen Hamburg", "harb*", '"container terminal"',
     '"im Hafen" hamburg', '"the container"'],
)
def test_the_fast_scorer_agrees_with_whoosh(library_index, query):
    from reader.search import fastscore
    from reader.search.compiler import to_whoosh
    from reader.search.query import parse

    searcher = library_index.searcher()
    compiled = to_whoosh(parse(query), searcher.reader())
    parts = fastscore.plan(compiled)
    assert parts is not None
    fast, total, estimated = fastscore.search(searcher, parts, 10, None, set())
    slow = searcher.search(compiled, limit=10)
    assert (total, estimated) == (len(slow), False)
    assert [d for d, _ in fast] == [hit.docnum for hit in slow]
    assert [round(s, 6) for _, s in fast] == [round(hit.score, 6) for hit in slow]
    allow = {fast[0][0]} if fast else set()
    assert [d for d, _ in fastscore.search(searcher, parts, 10, allow, set())[0]] == sorted(allow)
    assert fastscore.search(searcher, parts, 10, None, allow)[1] == max(0, total - len(allow))


def test_other_query_shapes_go_through_whoosh():
    from whoosh import query as wq

    from reader.search import fastscore

    assert fastscore.plan(wq.Or([wq.Term("text", "a"), wq.Prefix("text", "b")])) is None
    assert fastscore.plan(wq.And([wq.Term("text", "a"), wq.Not(wq.Term("text", "b"))])) is None
    assert fastscore.plan(wq.And([wq.Term("text", "a")], boost=2.0)) is None
    assert fastscore.plan(wq.Term("text", "a", boost=2.0)) == [fastscore.Words((("text", "a", 2.0),))]


def test_phrase_totals_become_estimates_past_the_verification_budget(fresh_index, make_article, monkeypatch):
    from reader.search import fastscore

    # Every article has both pairs of "big container terminal"; half have them in a row.
    articles = [make_article(f"Report {i}", "the big container terminal" if i % 2 else "container terminal big container",
                             published=f"2026-01-{i + 1:02d}") for i in range(20)]
    fresh_index.add(articles)
    exact = fresh_index.search('"big container terminal"', limit=3)
    assert (exact.total, exact.total_is_estimate, len(exact.hits)) == (10, False, 3)
    monkeypatch.setattr(fastscore, "VERIFY_BUDGET", 4)
    monkeypatch.setattr(fastscore, "ESTIMATE_SAMPLE", 10)
    estimated = fresh_index.search('"big container terminal"', limit=3)
    assert estimated.total_is_estimate and 5 <= estimated.total <= 20
    assert [h.id for h in estimated.hits] == [h.id for h in exact.hits]
    by_date = fresh_index.search('"big container terminal" sort:date', limit=3)
    assert [h.published[:10] for h in by_date.hits] == ["2026-01-20", "2026-01-18", "2026-01-16"]
    pair = fresh_index.search('"the big"', limit=3)  # a pair with a common word: one posting list, exact
    assert (pair.total, pair.total_is_estimate) == (10, False)


def test_whoosh_path_counts_exactly_up_to_a_budget(fresh_index, make_article, monkeypatch):
    from reader.search import searching

    fresh_index.add([make_article(f"Hafen {i}", "Der Hafen.", language="de") for i in range(12)])
    exact = fresh_index.search("hafen -zug", limit=5)
    assert (exact.total, exact.total_is_estimate) == (12, False)
    monkeypatch.setattr(searching, "COUNT_BUDGET", 6)
    estimated = fresh_index.search("hafen -zug", limit=5)
    assert estimated.total_is_estimate and estimated.total >= 6


def test_a_prefix_with_many_completions_searches_the_commonest(fresh_index, make_article, monkeypatch):
    from reader.search import compiler

    fresh_index.add([make_article("Words", "harbour harbour harbour harp harm"), make_article("Other", "harp")])
    monkeypatch.setattr(compiler, "MAX_PREFIX_TERMS", 1)
    result = fresh_index.search("har*")
    assert result.total == 2  # "harp", in two articles, beats "harbour" and "harm"


def test_words_too_long_to_index_match_nothing(library_index):
    long_word = "x" * 80
    for query in (long_word, f'"{long_word} harbour"', f"harbour {long_word}", f"{long_word}*", f"harbour OR {long_word}"):
        result = library_index.search(query)
        assert result.total == (2 if " OR " in query else 0), query
