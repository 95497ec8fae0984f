"""Every query is bounded: depth, terms, repeats, prefixes, phrase length (issue 15).

Each pathological query of the adversarial run parses into a small tree, says what it
left out, and runs. How fast they run is measured in benchmarks/pathological.py.
"""

from __future__ import annotations

from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.search import compiler
from reader.search.query import (
    MAX_DEPTH,
    MAX_PHRASE_WORDS,
    MAX_PREFIXES,
    MAX_TERMS,
    NOTE_DEPTH,
    NOTE_PHRASE,
    NOTE_PREFIXES,
    NOTE_REPEATED,
    NOTE_TERMS,
    AllOf,
    AnyOf,
    Not,
    Phrase,
    Prefix,
    Term,
    parse,
)


def leaves(node) -> list:
    if node is None:
        return []
    if isinstance(node, (AllOf, AnyOf)):
        return [leaf for child in node.nodes for leaf in leaves(child)]
    if isinstance(node, Not):
        return leaves(node.node)
    return [node]


def depth(node) -> int:
    if isinstance(node, (AllOf, AnyOf)):
        return 1 + max(depth(child) for child in node.nodes)
    if isinstance(node, Not):
        return 1 + depth(node.node)
    return 0


def test_deep_parentheses_are_flattened_not_a_recursion_error():
    parsed = parse("(" * 1000 + "harbour" + ")" * 1000)
    assert parsed.root == Term("text", parsed.words[0])
    assert parsed.notes == (NOTE_DEPTH,)
    unbalanced = parse("(" * 1000)
    assert unbalanced.fallback and unbalanced.is_empty


def test_groups_within_the_depth_are_kept():
    parsed = parse("(" * MAX_DEPTH + "a OR b" + ")" * MAX_DEPTH + " c")
    assert not parsed.notes
    assert isinstance(parsed.root, AllOf) and isinstance(parsed.root.nodes[0], AnyOf)


def test_runs_of_not_are_one_negation_or_none():
    even = parse("NOT " * 1000 + "strike")
    assert even.root == Term("text", even.words[0])
    odd = parse("NOT " * 999 + "strike").root
    assert isinstance(odd, Not) and odd.node.word.text == "strike"
    assert parse("NOT " * 1000).is_empty


def test_a_long_phrase_is_cut_with_a_note():
    parsed = parse('"' + " ".join(["harbour"] * 2000) + '"')
    assert isinstance(parsed.root, Phrase) and len(parsed.root.words) == MAX_PHRASE_WORDS
    assert parsed.notes == (NOTE_PHRASE,)


def test_prefixes_are_capped_and_said_so():
    parsed = parse(" OR ".join(f"word{i}*" for i in range(130)))
    assert [leaf.text for leaf in leaves(parsed.root)] == [f"word{i}" for i in range(MAX_PREFIXES)]
    assert parsed.notes == (NOTE_PREFIXES,)


def test_terms_are_capped_and_said_so():
    parsed = parse(" OR ".join(f"word{i}" for i in range(1000)))
    assert [leaf.word.text for leaf in leaves(parsed.root)] == [f"word{i}" for i in range(MAX_TERMS)]
    assert parsed.notes == (NOTE_TERMS,)


def test_repeats_count_once_whatever_their_case_or_accents():
    parsed = parse('"covid-19-"' * 1000)
    assert isinstance(parsed.root, Phrase) and [w.text for w in parsed.root.words] == ["covid", "19"]
    assert parsed.notes == (NOTE_REPEATED,)
    assert [w.text for w in parse("Hafen hafen HAFEN häfen").words] == ["Hafen"]  # the index folds all four alike
    assert not parse("harbour strike").notes


def test_ors_of_words_and_prefixes_are_one_or_of_terms(library_index):
    query = compiler.to_whoosh(parse("harbour OR coop* OR strike"), library_index.searcher().reader())
    assert type(query).__name__ == "Or" and all(type(q).__name__ == "Term" for q in query.subqueries)


def test_notes_reach_the_result(library_index):
    result = library_index.search(" OR ".join(f"harbour{i}*" for i in range(20)) + " OR harbour")
    assert result.notes == (NOTE_PREFIXES,)
    assert result.total >= 1  # the query still runs on what is kept


def test_suggestions_are_looked_for_once_per_distinct_word(library_index, monkeypatch):
    from reader.search import suggest

    calls: list[str] = []
    closest = suggest.closest_word
    monkeypatch.setattr(suggest, "closest_word", lambda reader, word: calls.append(word) or closest(reader, word))
    result = library_index.search(" ".join(["harbur", "strikr"] * 50), limit=5)
    assert sorted(calls) == ["harbur", "strikr"]
    assert result.suggestion == " ".join(["harbour", "strike"] * 50)


TOKENS = st.sampled_from(
    ["(", ")", "NOT ", "-", '"', "harbour ", "strike* ", "OR ", "covid-19-", "title:", "tag:ports ", "is:read ",
     "published:2026-01 ", "ü", "a", " "]
)


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(runs=st.lists(st.tuples(TOKENS, st.integers(1, 1500)), min_size=1, max_size=5))
def test_long_hostile_queries_stay_bounded_and_run(library_index, state_class, runs):
    query = "".join(token * count for token, count in runs)
    parsed = parse(query)
    found = leaves(parsed.root)
    assert len(found) <= MAX_TERMS
    assert sum(isinstance(leaf, Prefix) for leaf in found) <= MAX_PREFIXES
    assert all(len(leaf.words) <= MAX_PHRASE_WORDS for leaf in found if isinstance(leaf, Phrase))
    assert parsed.root is None or depth(parsed.root) <= 3 * MAX_DEPTH + 3
    result = library_index.search(query, limit=5, state=state_class(bookmarked={"x"}))
    assert result.total >= len(result.hits)


def test_a_state_filter_no_article_passes_finds_nothing(library_index, state_class):
    # Found by the fuzz test above: with nothing read, Whoosh took the empty filter for no
    # filter and listed 5 articles, while the count (which applies it) said 0.
    result = library_index.search("is:read NOT strike* ", limit=5, state=state_class(bookmarked={"x"}))
    assert (result.total, result.hits) == (0, ())
    result = library_index.search("is:bookmarked harbour", limit=5, state=state_class(bookmarked={"x"}))
    assert (result.total, result.hits) == (0, ())
