"""Best match: questions typed as they are find the articles having most of their words."""

from __future__ import annotations

import math

from reader.search import bestmatch, fastscore
from reader.search.analysis import term
from reader.search.query import parse


def test_a_question_finds_what_all_words_cannot(library_index, library):
    question = "why did the dock workers of Hamburg go on strike last winter"
    assert library_index.search(f"{question} is:read").total == 0  # nothing is read: all filtered
    result = library_index.search(question, limit=5)
    assert result.hits[0].id == library["strike"].id


def test_stop_words_are_neither_searched_nor_marked(library_index):
    result = library_index.search("the workers of the harbour and the strike in the winter", limit=5)
    assert result.hits
    top = result.hits[0]
    marked = {top.snippet[s:e].lower() for s, e in top.matches} | {top.title[s:e].lower() for s, e in top.title_matches}
    assert "the" not in marked and "of" not in marked
    assert {"workers", "harbour", "strike"} & marked


def test_a_query_of_stop_words_only_searches_them(library_index):
    terms = bestmatch.query_words(parse("of the and"))
    assert bestmatch.without_stop_words(terms) == terms


def test_the_query_language_picks_the_stop_list():
    assert bestmatch.stop_language(["was", "ist", "mit", "dem", "hafen"]) == "de"
    assert bestmatch.stop_language(["what", "is", "the", "harbour"]) == "en"
    assert bestmatch.stop_language(["hafen"]) == "en"
    kept = bestmatch.without_stop_words(bestmatch.query_words(parse("wann öffnet der Hafen für uns")))
    assert [t.word.text for t in kept] == ["wann", "öffnet", "Hafen"]  # whoosh.lang's German list lacks "wann"


def test_minimum_should_match():
    assert [bestmatch.minimum_should_match(n) for n in range(1, 8)] == [1, 2, 2, 2, 2, 2, 2]


def test_short_queries_keep_needing_every_word(library_index):
    assert library_index.search("harbour xqzvw").total == 0  # two words: both, as before
    result = library_index.search("harbour strike xqzvw", limit=5)  # three: two of them
    assert result.total >= 1
    assert all("xqzvw" not in hit.snippet for hit in result.hits)


def test_common_words_fade(library_index):
    searcher = library_index.searcher()
    common = fastscore.Words((("text", term("en", "the"), 1.0),))
    (field, text, boost), = bestmatch._faded(searcher, common).terms
    n, df = searcher.doc_count_all(), searcher.doc_frequency(field, text)
    assert math.isclose(boost * searcher.idf(field, text), math.log(1 + (n - df + 0.5) / (df + 0.5)))
    (_, rare, rare_boost), = bestmatch._faded(searcher, fastscore.Words((("text", term("en", "quay"), 1.0),))).terms
    faded_share = boost * searcher.idf(field, text) / (rare_boost * searcher.idf(field, rare))
    assert faded_share < 0.7 * searcher.idf(field, text) / searcher.idf(field, rare)


def test_best_match_ranks_by_date_with_sort_date(library_index):
    result = library_index.search("harbour container terminal xqzvw sort:date", limit=5)
    dates = [hit.published for hit in result.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 2


def test_a_misspelled_word_of_a_best_match_is_suggested(library_index):
    result = library_index.search("harbour strikr workers", limit=5)
    assert result.total >= 1
    assert result.suggestion == "harbour strike workers"


def test_a_phrase_alone_is_never_relaxed_into_its_words(library_index):
    assert library_index.search('"harbour harbour harbour"').total == 0
    assert library_index.search('"' + " ".join(["harbour"] * 2000) + '"').total == 0


def test_a_compound_of_a_question_counts_as_its_words(library_index, library):
    # "harbour-strike" is parsed as a phrase of two words; the article has them apart
    assert library_index.search('"harbour strike"').total == 0
    result = library_index.search("harbour-strike workers xqzvw", limit=5)
    assert result.hits and result.hits[0].id == library["strike"].id


def test_a_quoted_phrase_of_a_question_counts_as_one_word_and_stays_a_phrase(library_index, library):
    result = library_index.search('"container terminal" cranes xqzvw', limit=5)
    assert [hit.id for hit in result.hits] == [library["strike"].id]  # "climate" has the phrase, not cranes
    assert library_index.search('"terminal container" cranes xqzvw').total == 0


def test_a_negated_phrase_of_a_question_is_excluded(library_index, library):
    result = library_index.search('harbour workers strike xqzvw -"container terminal"', limit=5)
    assert library["strike"].id not in {hit.id for hit in result.hits}
    assert library_index.search("harbour workers strike xqzvw", limit=5).hits[0].id == library["strike"].id


def test_a_word_typed_again_weighs_more(library_index, library):
    def scores(query):
        return {hit.id: hit.score for hit in library_index.search(query, limit=5).hits}

    once = scores("harbour container cranes engineers xqzvw")
    thrice = scores("harbour container cranes engineers engineers engineers xqzvw")  # kept once by the parser
    strike, climate = library["strike"].id, library["climate"].id
    assert once.keys() == thrice.keys() >= {strike, climate}
    assert thrice[strike] == once[strike]  # no "engineers" in it
    assert thrice[climate] > once[climate]


def test_query_weight_saturates():
    weights = [bestmatch.query_weight(n) for n in (1, 2, 3, 1000)]
    assert weights[0] == 1.0 and weights == sorted(weights)
    assert weights[1] > 1.5 and weights[3] <= bestmatch.QUERY_K3 + 1


def test_a_compound_word_typed_again_counts_once_towards_the_minimum():
    clauses = bestmatch.query_words(parse("sea-wall wall xqzvw"))
    assert [c.word.text for c in clauses] == ["sea", "wall", "xqzvw"]
