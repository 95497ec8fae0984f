"""Searching by highlights: ``has:note``, ``has:highlight`` (document-number filters like
``is:bookmarked``) and ``in:highlights WORDS`` (the words in a highlighted passage or a
note, not in the article's text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.highlights import article_text
from reader.library import Library
from reader.model import Article, article_id
from reader.search.query import parse


def _article(title: str, body: str, language: str = "en") -> Article:
    url = f"https://news.example/{title.lower().replace(' ', '-')}"
    return Article(article_id(url=url, source="S", title=title, published="2026-03-01"), title, body=body,
                   language=language, source="S", url=url, published="2026-03-01")


@pytest.fixture
def library(data_dir: Path):
    with Library.open(data_dir) as lib:
        lib.add_articles([
            _article("Ferry strike ends", "The ferry crews went back to work on Monday. The harbour reopened."),
            _article("Harbour budget", "The harbour gets a new budget. The ferry terminal is not in it."),
            _article("Tram line opens", "The tram runs every ten minutes. Tickets cost two euros."),
            _article("Neue Fähre", "Die Fähre fährt ab Juni elektrisch.", language="de"),
        ])
        yield lib


def _mark(lib: Library, title: str, passage: str, note: str = "") -> None:
    row = next(r for r in lib.list_articles() if r.title == title)
    article = lib.get(row.id)
    text = article_text(article.body, article.summary).text
    start = text.index(passage)
    lib.add_highlight(row.id, start, start + len(passage), note)


def _titles(lib: Library, query: str) -> set[str]:
    return {hit.title for hit in lib.search(query, 50).hits}


def test_has_highlight_and_has_note(library: Library) -> None:
    assert _titles(library, "has:highlight") == set()
    _mark(library, "Ferry strike ends", "The harbour reopened.")
    _mark(library, "Tram line opens", "Tickets cost two euros.", "cheaper than the bus")
    assert _titles(library, "has:highlight") == {"Ferry strike ends", "Tram line opens"}
    assert _titles(library, "has:note") == {"Tram line opens"}
    assert _titles(library, "harbour has:highlight") == {"Ferry strike ends"}  # with words, ranked
    assert _titles(library, "harbour -has:highlight") == {"Harbour budget"}
    assert library.search("has:notes", 5).total == 1


def test_in_highlights_looks_in_passages_and_notes_not_in_the_text(library: Library) -> None:
    _mark(library, "Ferry strike ends", "The harbour reopened.")
    _mark(library, "Tram line opens", "Tickets cost two euros.", "Cheaper than the ferry")
    _mark(library, "Neue Fähre", "Die Fähre fährt ab Juni elektrisch.", "Öffnungszeiten prüfen")
    # "ferry" is in the text of two articles, but in the highlights and notes of one only.
    assert _titles(library, "ferry") >= {"Ferry strike ends", "Harbour budget"}
    assert _titles(library, "in:highlights ferry") == {"Tram line opens"}
    assert _titles(library, "in:highlights harb") == {"Ferry strike ends"}  # a word's start
    assert _titles(library, 'in:highlights "two euros"') == {"Tram line opens"}
    assert _titles(library, "in:highlights offnungszeiten") == {"Neue Fähre"}  # accents folded
    assert _titles(library, "in:highlights fahre lang:de") == {"Neue Fähre"}
    assert _titles(library, "in:highlights fahre lang:en") == set()
    assert _titles(library, "in:highlights") == {"Ferry strike ends", "Tram line opens", "Neue Fähre"}
    assert _titles(library, "in:highlights budget") == set()


def test_unknown_has_value_falls_back_to_words() -> None:
    parsed = parse("has:colour harbour")
    assert parsed.fallback and not parsed.required
