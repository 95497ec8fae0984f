"""Anchoring highlights (reader/highlights.py): a passage is found again when the
article's text changes around it, moved, edited, or not at all (orphaned)."""

from __future__ import annotations

import random

from reader.body import escape_text
from reader.highlights import (
    MAX_FUZZY_CHARS,
    Highlight,
    article_text,
    make_anchor,
    reanchor,
    refind,
)

PARAGRAPHS = [
    "The ferry to Lindholm leaves at dawn. It carries forty cars and two hundred people.",
    "Rotor sails were fitted during a refit in the spring. They spin to pull the ship along.",
    "The harbour master said fuel use fell by a fifth. Crews were trained for a month.",
]


def _text(paragraphs: list[str], summary: str = "") -> str:
    return article_text(escape_text("\n\n".join(paragraphs)), summary).text


def _anchor_of(text: str, passage: str):
    start = text.index(passage)
    return make_anchor(text, start, start + len(passage))


def test_article_text_is_the_blocks_the_reader_shows() -> None:
    body = "# Heading\n\nA *styled* [link](https://x.example) here.\n\n- one\n- two\n\n---\n\n> quoted"
    text = article_text(body, "The summary.")
    assert text.blocks == ("The summary.", "Heading", "A styled link here.", "one", "two", "", "quoted")
    assert text.text.split("\n\n") == list(text.blocks)
    assert text.locate(text.starts[2] + 2) == (2, 2)
    assert text.offset(2, 2) == text.starts[2] + 2


def test_sentences_stay_inside_their_block() -> None:
    text = article_text(escape_text("\n\n".join(PARAGRAPHS)))
    sentences = [text.text[a:b] for a, b in text.sentences()]
    assert sentences[:3] == [
        "The ferry to Lindholm leaves at dawn.",
        "It carries forty cars and two hundred people.",
        "Rotor sails were fitted during a refit in the spring.",
    ]
    assert len(sentences) == 6


def test_anchor_trims_spaces_and_keeps_context() -> None:
    text = _text(PARAGRAPHS)
    start = text.index("Rotor")
    anchor = make_anchor(text, start - 2, start + len("Rotor sails") + 1)
    assert anchor.exact == "Rotor sails"
    assert anchor.prefix.endswith("people.\n\n")
    assert anchor.suffix.startswith(" were fitted")


def test_unchanged_text_keeps_the_place() -> None:
    text = _text(PARAGRAPHS)
    anchor = _anchor_of(text, "They spin to pull the ship along.")
    assert refind(text, anchor) == anchor


def test_moved_passage_is_found_where_it_went() -> None:
    text = _text(PARAGRAPHS)
    anchor = _anchor_of(text, "They spin to pull the ship along.")
    edited = _text(["A new first paragraph, added by an update of the article.", *PARAGRAPHS[::-1]])
    found = refind(edited, anchor)
    assert found is not None and edited[found.start : found.end] == "They spin to pull the ship along."


def test_the_occurrence_with_the_same_context_wins() -> None:
    repeated = ["It was late.", "The ferry left. It was late.", "The tram came. It was late."]
    text = _text(repeated)
    start = text.index("It was late.", text.index("tram"))
    anchor = make_anchor(text, start, start + len("It was late."))
    shifted = _text(["An added paragraph at the top.", *repeated])
    found = refind(shifted, anchor)
    assert found is not None
    assert shifted[: found.start].endswith("The tram came. ")


def test_edited_passage_is_found_by_similarity() -> None:
    text = _text(PARAGRAPHS)
    anchor = _anchor_of(text, "Rotor sails were fitted during a refit in the spring.")
    edited_paragraphs = [
        PARAGRAPHS[0],
        "Two rotor sails were fitted during a refit in late spring. They spin to pull the ship along.",
        PARAGRAPHS[2],
    ]
    edited = _text(edited_paragraphs)
    found = refind(edited, anchor)
    assert found is not None
    assert edited[found.start : found.end] == "Two rotor sails were fitted during a refit in late spring."


def test_a_passage_that_is_gone_is_orphaned_not_dropped() -> None:
    text = article_text(escape_text("\n\n".join(PARAGRAPHS)))
    start = text.text.index("The harbour master")
    anchor = make_anchor(text.text, start, start + len("The harbour master said fuel use fell by a fifth."))
    highlight = Highlight("abcdef012345", "a" * 16, anchor, note="keep me", text_digest=text.digest)
    other = article_text(escape_text("Completely different words about a tram strike in another city altogether."))
    orphan = reanchor(highlight, other)
    assert orphan.orphaned and orphan.note == "keep me" and orphan.text == anchor.exact
    back = reanchor(orphan, text)  # the text came back: found again
    assert not back.orphaned and back.anchor == anchor


def test_reanchor_skips_the_search_when_the_text_did_not_change() -> None:
    text = article_text(escape_text("\n\n".join(PARAGRAPHS)))
    stale = Highlight("abcdef012345", "a" * 16, make_anchor(text.text, 0, 9), text_digest=text.digest)
    assert reanchor(stale, text) is stale


def test_fuzzy_search_is_bounded_on_a_long_text() -> None:
    rng = random.Random(7)
    words = ["harbour", "ferry", "tram", "strike", "council", "budget", "river", "bridge", "night", "train"]
    text = " ".join(rng.choice(words) for _ in range(60_000))  # about 400,000 characters
    anchor = make_anchor("x" * 10 + "a passage that is nowhere in the long text at all", 10, 59)
    assert refind(text, anchor) is None  # and no false find
    too_long = make_anchor("y" * (MAX_FUZZY_CHARS + 10), 0, MAX_FUZZY_CHARS + 10)
    assert refind(text, too_long) is None
