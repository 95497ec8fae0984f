"""Snippets, match offsets, highlight spans, suggestions and more-like-this."""

from __future__ import annotations

from reader.search import highlight_spans
from reader.search.snippets import ELLIPSIS, SNIPPET_WIDTH, Marker, snippet


def marked(text: str, spans) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_hits_carry_a_snippet_with_the_matched_words_marked(library_index, library):
    hit = library_index.search("cooperate hamburg").hits[0]
    assert hit.id == library["strike"].id
    assert "\n" not in hit.snippet and "  " not in hit.snippet
    assert len(hit.snippet) <= SNIPPET_WIDTH + 2
    assert marked(hit.snippet, hit.matches) == ["Hamburg", "cooperation"]
    assert hit.title == library["strike"].title
    assert (hit.source, hit.language, hit.published) == ("Harbour Herald", "en", "2026-01-12T09:30:00Z")


def test_german_stems_and_folded_accents_are_marked(library_index, library):
    hit = library_index.search("offnungszeit hafen").hits[0]
    assert marked(hit.title, hit.title_matches) == ["Öffnungszeiten", "Hafen"]
    assert {w.lower() for w in marked(hit.snippet, hit.matches)} >= {"öffnungszeiten", "häfen"}


def test_snippet_falls_back_to_the_summary_start_for_title_only_hits(library_index, library):
    hit = library_index.search("title:results").hits[0]
    assert hit.snippet == library["election"].summary
    assert hit.matches == ()
    assert marked(hit.title, hit.title_matches) == ["results"]


def test_snippet_window_is_centred_on_the_best_match_and_cut_at_words():
    body = " ".join(["filler"] * 80) + " the harbour strike ended " + " ".join(["tail"] * 80)
    text, spans = snippet(Marker(["harbour", "strike"]), ["", body], "en")
    assert text.startswith(ELLIPSIS) and text.endswith(ELLIPSIS)
    assert marked(text, spans) == ["harbour", "strike"]
    assert SNIPPET_WIDTH - 20 <= len(text) <= SNIPPET_WIDTH + 2
    assert all(word in ("filler", "tail", "the", "harbour", "strike", "ended") for word in text.strip(ELLIPSIS).split())


def test_snippet_prefers_the_window_with_more_distinct_words():
    body = "harbour " * 5 + "x " * 200 + "harbour strike"
    text, spans = snippet(Marker(["harbour", "strike"]), [body], "en")
    assert marked(text, spans)[-2:] == ["harbour", "strike"]


def test_snippet_collapses_paragraph_breaks_and_keeps_offsets():
    text, spans = snippet(Marker(["beta"]), ["alpha\n\nbeta   gamma\n delta"], "en")
    assert text == "alpha beta gamma delta"
    assert marked(text, spans) == ["beta"]


def test_highlight_spans_find_inflected_and_accented_forms():
    text = "Die Häfen haben neue Öffnungszeiten; der Hafen öffnet um acht."
    assert marked(text, highlight_spans("Hafen offnungszeit", text, "de")) == ["Häfen", "Öffnungszeiten", "Hafen"]
    english = "Cooperation, cooperating and cooperative co-operation."
    assert marked(english, highlight_spans("cooperate", english, "en")) == ["Cooperation", "cooperating", "cooperative"]
    assert marked(english, highlight_spans("coop*", english, "en")) == ["Cooperation", "cooperating", "cooperative"]
    # a phrase's words are marked one by one, stemmed like the rest
    assert marked(english, highlight_spans('"cooperative co"', english, "en"))[-2:] == ["cooperative", "co"]
    assert highlight_spans("-cooperate", english, "en") == []
    assert highlight_spans("", english, "en") == []


def test_highlight_spans_handle_text_whose_length_changes_when_lowercased(library_index):
    text = "İstanbul harbour"  # "İ".lower() is two characters
    assert marked(text, library_index.highlight_spans("harbour", text, "en")) == ["harbour"]


def test_suggestion_from_the_index_vocabulary(library_index):
    result = library_index.search("harbur")
    assert (result.total, result.suggestion) == (0, "harbour")
    assert library_index.search("Hafen Strreik").suggestion == "Hafen streik"
    assert library_index.search('"contianer terminal"').suggestion == '"container terminal"'
    assert library_index.search("offnungzeiten").suggestion == "öffnungszeiten"  # accents found again
    assert library_index.search("Hafen Strase").suggestion == "Hafen straße"


def test_suggestions_keep_the_accents_the_library_writes(fresh_index, make_article):
    fresh_index.add([make_article("Pflegekräfte gesucht", "Es fehlen Pflegekräfte in Köln.", language="de"),
                     make_article("Cologne", "Travel to Koln, or Cologne.", language="en")])
    assert fresh_index.search("pflegekrafre").suggestion == "pflegekräfte"
    assert fresh_index.search("Mehr pflegekarfte").suggestion == "Mehr pflegekräfte"  # "mehr": nothing close
    assert fresh_index.search("pflegekarfte").suggestion == "pflegekräfte"
    assert fresh_index.search("clogne").suggestion == "cologne"


def test_no_suggestion_when_something_matches_or_nothing_is_close(library_index):
    assert library_index.search("harbour").suggestion is None
    assert library_index.search("xqzvw").suggestion is None
    # every word is known, they just never meet
    assert library_index.search("election Hafen").suggestion is None


def test_more_like_this(library_index, library, state_class):
    state = state_class(bookmarked={library["offnung"].id})
    similar = library_index.more_like_this(library["streik"].id, state=state)
    assert similar and library["streik"].id not in {h.id for h in similar}
    assert similar[0].id == library["offnung"].id
    assert similar[0].bookmarked
    assert similar[0].snippet
    again = library_index.more_like_this(library["streik"].id, state=state_class())
    assert [h.id for h in again] == [h.id for h in similar] and not again[0].bookmarked
    assert len(library_index.more_like_this(library["strike"].id, limit=2)) <= 2
    assert library_index.more_like_this("no-such-id") == []


def test_a_swap_of_two_letters_counts_as_one_edit(fresh_index, make_article):
    fresh_index.add([make_article("Poetry night", "Poetry and power.") for _ in range(1)]
                    + [make_article(f"Power {i}", "power plant") for i in range(5)])
    assert fresh_index.search("potery").suggestion == "poetry"
