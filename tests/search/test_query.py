"""The query parser on its own, and a fuzz test: no string makes a search raise."""

from __future__ import annotations

from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.search.query import AllOf, AnyOf, DateRange, Keyword, Not, Phrase, Prefix, Term, parse


def words(node) -> list[str]:
    if isinstance(node, Term):
        return [node.word.text]
    if isinstance(node, Phrase):
        return [w.text for w in node.words]
    return []


def test_plain_words_are_all_required():
    parsed = parse("harbour strike")
    assert isinstance(parsed.root, AllOf) and [words(n) for n in parsed.root.nodes] == [["harbour"], ["strike"]]
    assert parsed.ranked and not parsed.fallback


def test_or_binds_tighter_than_the_implicit_and():
    root = parse("hafen hamburg OR bremen").root
    assert isinstance(root, AllOf) and isinstance(root.nodes[1], AnyOf)


def test_negation_phrase_prefix_and_groups():
    root = parse('-a NOT "b c" d* (e OR f)').root
    first, second, third, fourth = root.nodes
    assert isinstance(first, Not) and words(first.node) == ["a"]
    assert isinstance(second, Not) and words(second.node) == ["b", "c"]
    assert third == Prefix("text", "d")
    assert isinstance(fourth, AnyOf)


def test_words_joined_by_punctuation_are_a_phrase():
    assert words(parse("covid-19").root) == ["covid", "19"]
    assert isinstance(parse("U.S.").root, Phrase)


def test_fields():
    assert parse("tag:Häfen").root == Keyword("tags", "hafen")
    assert parse('tag:"climate change"').root == Keyword("tags", "climate change")
    assert parse("lang:Deutsch").root == Keyword("language", "de")
    assert parse("published:2026-01").root == DateRange("2026-01", "2026-01")
    assert parse("published:[2026-01-01 TO *]").root == DateRange("2026-01-01", None)
    assert parse("title:harbour").root.scope == "title"
    assert parse("source:bbc*").root == Prefix("source", "bbc")


def test_state_filters_and_sorting_are_lifted_out():
    parsed = parse("harbour is:bookmarked -is:unread NOT is:bookmarked sort:date")
    assert parsed.required == {"bookmarked", "read"}
    assert parsed.excluded == {"bookmarked"}
    assert parsed.sort_by_date and not parsed.ranked
    assert words(parsed.root) == ["harbour"]
    only = parse("is:unread")
    assert only.root is None and only.excluded == {"read"} and not only.is_empty


def test_fallback_keeps_the_plain_words_with_their_positions():
    parsed = parse('harbour "strike')
    assert parsed.fallback
    assert [(w.text, w.start) for w in parsed.words] == [("harbour", 0), ("strike", 9)]
    assert parse("title:").is_empty and parse("OR").is_empty and parse("*").is_empty


QUERY_ALPHABET = st.sampled_from(
    [*list('abcxyzÄöüßé "*-()[]:~^\\\'\t\n'), "OR", "NOT", "AND", "title:", "tag:", "is:", "sort:", "lang:", "published:", "source:", " to ", "2026-01", "bookmarked", "unread", "date", "ü" * 70]
)


@settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.one_of(st.text(max_size=40), st.lists(QUERY_ALPHABET, max_size=12).map("".join)))
def test_no_query_makes_a_search_raise(library_index, state_class, query):
    result = library_index.search(query, limit=5, state=state_class(bookmarked={"x"}))
    assert result.total >= len(result.hits)
    for hit in result.hits:
        assert all(0 <= s < e <= len(hit.snippet) for s, e in hit.matches)
        assert all(0 <= s < e <= len(hit.title) for s, e in hit.title_matches)
    library_index.highlight_spans(query, "Die Häfen und the harbour", "de")
