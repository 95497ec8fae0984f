"""Search as you type: the last word, still being typed, also matches as a prefix."""

from __future__ import annotations

import pytest

from reader.search import highlight_spans
from reader.search.query import Term, parse


def marked(text: str, spans) -> list[str]:
    return [text[start:end] for start, end in spans]


@pytest.mark.parametrize(
    ("query", "expected", "plain"),
    [
        # the last word completes ...
        ("harbour coop", {"strike"}, set()),
        ("harbour cooperati", {"strike"}, set()),
        ("coop", {"strike", "marseille"}, set()),
        ("Öffnungsz", {"offnung", "streik"}, set()),
        ("öffnungsz", {"offnung", "streik"}, set()),
        ("offnungsz", {"offnung", "streik"}, set()),
        ("Hafen Zusammenarb", {"offnung", "streik"}, set()),
        ("Hafenbeh", {"offnung", "streik"}, set()),
        ("Streik OR Gewerksch", {"streik"}, {"streik"}),
        ("harbour coop is:unread", set(), set()),  # the last token is a field
        # ... and still matches as itself, through its stems
        ("cooperate", {"strike"}, {"strike"}),
        ("harbours", {"strike", "climate"}, {"strike", "climate"}),
        ("Häfen", {"offnung", "streik"}, {"offnung", "streik"}),
        # only a plain last word, with nothing typed after it, completes
        ("harbour coop ", set(), set()),
        ("coop harbour", set(), set()),
        ('"harbour coop"', set(), set()),
        ("title:coop", set(), set()),
        ("harbour -coop", {"strike", "climate"}, {"strike", "climate"}),
        ("harbour NOT coop", {"strike", "climate"}, {"strike", "climate"}),
        ("harb*", {"strike", "climate"}, {"strike", "climate"}),
        ('harbour "coop', set(), set()),  # malformed: plain words only
        ("x", set(), set()),  # too short to complete
        ("st", set(), set()),  # still too short: "strike" is not found from "st"
    ],
)
def test_the_last_word_completes(library_index, keys, query, expected, plain):
    result = library_index.search(query, as_you_type=True)
    assert keys(result) == expected, query
    assert result.total == len(expected)
    assert keys(library_index.search(query)) == plain, query  # the default is unchanged


def test_parse_marks_only_the_word_being_typed():
    parsed = parse("harbour coop", as_you_type=True)
    assert [w.text for w in parsed.completions] == ["coop"]
    assert parsed.root.nodes[1] == Term("text", parsed.words[1], complete=True)
    assert parsed.terms == ("harbour", "coop")
    assert parse("harbour coop").completions == ()
    assert parse("harbour coop").root.nodes[1] == Term("text", parsed.words[1])
    for query in ("harbour coop ", "coop*", "covid-1", "title:coop", "-coop", "x AND", "c", "co", "(harbour coop)"):
        assert parse(query, as_you_type=True).completions == (), query


def test_completions_are_marked_in_titles_and_snippets(library_index, library):
    hit = library_index.search("harbour coop", as_you_type=True).hits[0]
    assert hit.id == library["strike"].id
    assert "cooperation" in marked(hit.snippet, hit.matches) or "cooperate" in marked(hit.snippet, hit.matches)
    assert marked(hit.title, hit.title_matches) == ["Harbour"]
    german = library_index.search("Öffnungsz", as_you_type=True)
    title = next(h for h in german.hits if h.id == library["offnung"].id)
    assert marked(title.title, title.title_matches) == ["Öffnungszeiten"]
    assert "Öffnungszeiten" in marked(title.snippet, title.matches)
    work = library_index.search("Hafen Zusammenarb", as_you_type=True).hits[0]
    assert {"Zusammenarbeit", "Hafen"} <= set(marked(work.snippet, work.matches))


def test_highlight_spans_as_you_type():
    text = "Die Häfen haben neue Öffnungszeiten; der Hafen öffnet um acht."
    assert marked(text, highlight_spans("Hafen Öffnungsz", text, "de", as_you_type=True)) == [
        "Häfen", "Öffnungszeiten", "Hafen"]
    assert marked(text, highlight_spans("Hafen Öffnungsz", text, "de")) == ["Häfen", "Hafen"]
    english = "Cooperation, cooperating and a cooper's cooperative."
    assert marked(english, highlight_spans("cooperati", english, "en", as_you_type=True)) == [
        "Cooperation", "cooperating", "cooperative"]
    assert marked(english, highlight_spans("cooperate", english, "en", as_you_type=True)) == [
        "Cooperation", "cooperating", "cooper", "cooperative"]  # as without as_you_type: the stem "cooper"
    assert marked(english, highlight_spans("coop ", english, "en", as_you_type=True)) == []


def test_a_word_being_typed_is_not_corrected(library_index):
    assert library_index.search("harbur coop", as_you_type=True).suggestion == "harbour coop"
    assert library_index.search("harbour zzqx", as_you_type=True).suggestion is None
    assert library_index.search("harbour harbur", as_you_type=True).total == 0  # no word starts with harbur
    assert library_index.search("election harbur", as_you_type=True).suggestion == "election harbour"


def test_a_prefix_with_many_completions_searches_the_commonest(fresh_index, make_article, monkeypatch):
    from reader.search import compiler

    fresh_index.add([make_article("Words", "harbour harbour harbour harp harm"), make_article("Other", "harp")])
    monkeypatch.setattr(compiler, "MAX_PREFIX_TERMS", 1)
    assert fresh_index.search("har", as_you_type=True).total == 2  # "harp", in two articles
    assert fresh_index.search("harbour", as_you_type=True).total == 1


@pytest.mark.parametrize("query", ["harbour coop", "coop", "Öffnungsz", "Hafen Zusammenarb", "the"])
def test_as_you_type_goes_through_the_fast_scorer_and_agrees_with_whoosh(library_index, query):
    from reader.search import fastscore
    from reader.search.compiler import to_whoosh

    searcher = library_index.searcher()
    compiled = to_whoosh(parse(query, as_you_type=True), searcher.reader())
    parts = fastscore.plan(compiled)
    assert parts is not None
    fast, total, _ = fastscore.search(searcher, parts, 10, None, set())
    slow = searcher.search(compiled, limit=10)
    assert total == len(slow)
    assert [(d, round(s, 6)) for d, s in fast] == [(hit.docnum, round(hit.score, 6)) for hit in slow]


def test_completions_stay_within_a_postings_budget(fresh_index, make_article, monkeypatch):
    from reader.search import compiler

    fresh_index.add([make_article(f"Harp {i}", "harp") for i in range(3)] + [make_article("Harm", "harm")])
    assert fresh_index.search("har", as_you_type=True).total == 4
    monkeypatch.setattr(compiler, "COMPLETION_POSTINGS", 3)
    assert fresh_index.search("har", as_you_type=True).total == 3  # the commonest completion only
    assert fresh_index.search("harm", as_you_type=True).total == 1  # the word itself is always searched
    assert fresh_index.search("har*").total == 4  # an explicit prefix has no budget
