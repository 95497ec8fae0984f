"""Page captures: article text kept, related cards found, labels, captions and furniture dropped."""

from __future__ import annotations

import pytest

from reader.importers import parse_bytes, parse_file
from reader.importers.capture import parse

FURNITURE = (
    "cookie", "Cookie", "Accept", "Decline", "Ablehnen", "akzeptieren", "Einstellungen", "Settings",
    "Share", "Teilen", "Advertisement", "Anzeige", "Reported by AI", "Von KI berichtet",
    "generated", "generiert", "min read", "Lesezeit", "Skip to content", "Source:", "By Morgan",
)


def all_text(article) -> str:
    parts = [article.title, article.summary, article.body]
    for link in article.related:
        parts += [link.title, link.summary]
    return "\n".join(parts)


def test_english_capture(fixture_path) -> None:
    [article] = parse_file(fixture_path("capture_en.txt"))
    assert article.title == "Tidal barrier opens ahead of winter storms"
    assert article.summary.startswith("The new tidal barrier across the mouth of the Kel estuary")
    assert len(article.paragraphs) == 3
    assert article.body.endswith('"Tonight people will sleep a little easier."')
    assert (article.language, article.source, article.published) == ("en", "Estuary Herald", "2026-03-04")
    assert [link.title for link in article.related] == [
        "Kelmouth and Lindholm sign harbour cooperation pact",
        "Sea wall repairs finish early",  # its caption and credit are gone
        "The ferry to Lindholm will run a reduced timetable in January while the berth is dredged",
        "Stormflutsperrwerk an der Elbe wird erneuert",
        "Why flood insurance keeps getting more expensive",  # "Opinion | Reported by AI" dropped
    ]
    assert [link.language for link in article.related] == ["en", "en", "en", "de", "en"]
    assert article.related[2].summary.startswith("The ferry to Lindholm will run")  # title-less card
    assert article.related[1].summary == (
        "Crews finished repairing the sea wall at Fish Quay a month ahead of plan. The work cost less than expected."
    )
    text = all_text(article)
    for word in FURNITURE:
        assert word not in text, word
    assert "Workers check the gates" not in text  # the hero image caption
    assert "A storm surge seen from the promenade" not in text  # a card's caption


def test_german_capture(fixture_path) -> None:
    [article] = parse_file(fixture_path("capture_de.txt"))
    assert article.title == "Neue Fahrradbrücke über den Hafen freigegeben"
    assert article.summary.startswith("Die neue Fahrradbrücke über das alte Hafenbecken")
    assert article.language == "de"
    assert article.published == "2026-02-12T10:30:00"
    assert len(article.paragraphs) == 3  # the cookie notice in the middle is gone, the text after it is not
    assert article.paragraphs[-1].startswith("„Die Brücke verbindet endlich")
    titles = [link.title for link in article.related]
    assert titles == [
        "Radwege am Kai werden breiter",
        "Cycling lanes on Quay Road cut commute times",
        "Im Sommer fährt wieder die Hafenfähre zwischen Altstadt und Werft",
        "Mehr Platz für Fußgänger am Bahnhof",
    ]
    assert [link.language for link in article.related] == ["de", "en", "de", "de"]
    text = all_text(article)
    for word in FURNITURE:
        assert word not in text, word
    assert "Radfahrer auf einer Holzbrücke" not in text


@pytest.mark.parametrize(
    "name",
    ["capture_latin1.txt", "capture_cp1252.txt", "capture_utf16le_bom.txt", "capture_utf16be_nobom.txt"],
)
def test_legacy_and_utf16_encodings(fixture_path, name: str) -> None:
    [article] = parse_file(fixture_path(name))
    assert article.language == "de"
    assert "\ufffd" not in all_text(article)
    assert any(ch in all_text(article) for ch in "äöüß")
    assert len(article.related) == 1


def test_windows_1252_punctuation(fixture_path) -> None:
    [article] = parse_file(fixture_path("capture_cp1252.txt"))
    assert article.summary.startswith("„Die Straßenbahn kommt – oder sie kommt nie“")
    assert "38 Mio. €" in article.summary
    assert article.related[0].title == "Night train links Kelmouth with the Alps"
    assert article.related[0].language == "en"
    assert "—" in article.related[0].summary


def test_utf16_card_with_caption_but_no_title_gets_a_derived_title(fixture_path) -> None:
    [article] = parse_file(fixture_path("capture_utf16le_bom.txt"))
    link = article.related[0]
    assert link.title.startswith("Researchers measured an average loss")
    assert "Alpine glacier" not in link.title + link.summary  # the line before the credit is a caption


def test_utf8_with_and_without_bom_are_the_same(fixture_path) -> None:
    assert parse_file(fixture_path("capture_utf8_bom.txt")) == parse_file(fixture_path("capture_no_related.txt"))


def test_capture_without_related_section(fixture_path) -> None:
    [article] = parse_file(fixture_path("capture_no_related.txt"))
    assert article.title == "Library opens on Sundays"
    assert article.summary.startswith("The central library")
    assert article.related == ()


def test_one_paragraph_gets_a_derived_title(fixture_path) -> None:
    [article] = parse_file(fixture_path("capture_one_paragraph.txt"))
    assert article.title.startswith("The harbour master said on Monday")
    assert len(article.title) <= 91
    assert article.summary.startswith("The harbour master said on Monday")


def test_hostile_text_is_cleaned_but_markup_stays_literal(fixture_path, assert_safe) -> None:
    articles = parse_file(fixture_path("capture_hostile.txt"))
    assert_safe(articles)
    [article] = articles
    assert article.title == "Hostile [@click=app.quit]Tap here[/] title"
    assert "[link=file:///etc/passwd]x[/link]" in article.summary
    assert "[bold red]markup[/]" in article.summary
    assert "ZXZpbA" not in article.body and "evil.example" not in article.body
    assert "reversed and isolate" in article.body


def test_cards_without_blank_lines_and_labels_on_one_line() -> None:
    text = (
        "Main title here\n"
        "The lead paragraph of the article says what happened and where it happened.\n"
        "Related stories\n"
        "First card title\n"
        "Reported by AI • 2 min read\n"
        "The first card summary is a full sentence.\n"
        "Second card title\n"
        "The second card summary is also a sentence.\n"
        "A third card has no title and only a summary sentence.\n"
    )
    [article] = parse(text)
    assert [link.title for link in article.related] == [
        "First card title",
        "Second card title",
        "A third card has no title and only a summary sentence",
    ]


def test_caption_is_told_from_title_by_its_credit_line() -> None:
    text = (
        "Main title here\n\nThe lead paragraph of the article, long enough to be a paragraph.\n\n"
        "Verwandte Artikel\n\n"
        "Ein Kran im Hafen bei Nacht\nBild generiert von KI\nDer Kran ist repariert\n"
        "Der alte Kran im Hafen dreht sich wieder. Die Reparatur dauerte ein Jahr.\n\n"
        "Hafenfest mit Rekord\nMehr als 100.000 Menschen kamen zum Hafenfest.\n"
    )
    [article] = parse(text)
    assert [link.title for link in article.related] == ["Der Kran ist repariert", "Hafenfest mit Rekord"]
    assert article.language == "en" and article.related[0].language == "de"


def test_heading_is_matched_as_a_whole_line_only() -> None:
    text = "A title\n\nWe read related articles every day, and this line says so.\n\nMore text follows here.\n"
    [article] = parse(text)
    assert article.related == ()
    assert "More text follows here." in article.body


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "A wrapped article\n\n"
        "This paragraph was wrapped at a fixed width by the tool that saved it, so\n"
        "its lines continue in lower case and belong together.\n"
    )
    [article] = parse_bytes(text.encode(), "wrapped.txt")
    assert article.summary == (
        "This paragraph was wrapped at a fixed width by the tool that saved it, so "
        "its lines continue in lower case and belong together."
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe and John Roe · 4 March 2026", "2026-03-04"),
        ("Veröffentlicht am 4. März 2026", "2026-03-04"),
        ("Updated: March 5, 2026", "2026-03-05"),
        ("Kelmouth · 2 October 2026 · 10:15", "2026-10-02"),
    ],
)
def test_date_lines_set_published_and_are_dropped(line: str, expected: str) -> None:
    [article] = parse(f"A title for it\n{line}\nThe lead paragraph is a sentence of its own.\n")
    assert article.published == expected
    assert line not in article.summary + article.body
