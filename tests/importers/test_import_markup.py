"""HTML pages and Markdown files."""

from __future__ import annotations

from reader.body import BlockKind, Link, links
from reader.body import parse as parse_body
from reader.importers import parse_bytes, parse_file
from reader.importers.html import html_to_paragraphs


def test_html_page_keeps_the_article_only(fixture_path, assert_safe) -> None:
    articles = parse_file(fixture_path("page.html"))
    assert_safe(articles)
    [article] = articles
    assert article.title == "Harbour museum reopens with a working steam crane"
    assert article.source == "Harbour Gazette"
    assert article.url == "https://harbour-gazette.example/culture/museum"
    assert article.published == "2026-06-05T10:00:00+01:00"
    assert article.tags == ("culture", "history")
    assert article.language == "en"
    assert article.summary.startswith("After two years of restoration")
    assert article.paragraphs == [
        "The crane was built in 1911 and worked until 1967. Volunteers spent 4,000 hours on it.",
        "It lifts a one-tonne crate in under a minute.",
        "What visitors can see",
        "The crane in steam on Sundays",
        "A model of the 1911 harbour",
        "Entry stays free. Text such as [@click=app.quit]Tap here[/] stays literal.",
    ]
    # The stored form keeps the structure and escapes the text (reader.body).
    assert "spent *4,000 hours* on it" in article.body
    assert "## What visitors can see\n\n- The crane in steam on Sundays\n- A model of the 1911 harbour" in article.body
    assert "\\[@click=app.quit\\]Tap here\\[/\\]" in article.body
    everything = article.summary + article.body
    for dropped in ("tracking", "color", "Home", "Share on X", "ADVERTISEMENT", "cookies", "Great news",
                    "By Jane Doe", "Image generated", "Enable JavaScript", "your local paper"):
        assert dropped not in everything, dropped


def test_html_related_block_becomes_related_links(fixture_path) -> None:
    [article] = parse_file(fixture_path("page.html"))
    assert [(link.title, link.url) for link in article.related] == [
        ("Steam fair returns to the quay", "https://harbour-gazette.example/culture/steam-fair"),
        ("A short history of harbour cranes", "https://harbour-gazette.example/history/cranes"),
    ]
    assert article.related[0].summary == "Engines from all over the county."


def test_html_without_article_element_uses_the_densest_block(fixture_path) -> None:
    [article] = parse_file(fixture_path("page_no_article.html"))
    assert article.title == "Ferry timetable changes"  # <title> without " — Nordsee Kurier"
    assert article.source == "Nordsee Kurier"
    assert article.published == "2026-10-01"
    assert article.language == "de"
    assert "Wetter" not in article.body and "Lokales" not in article.body
    assert article.summary.startswith("Ab November gelten")


def test_html_to_paragraphs_decodes_entities_and_breaks() -> None:
    markup = (
        "<p>Fish &amp; chips&nbsp;&mdash; &#8220;good&#8221;</p>"
        "Loose text<br><br>after breaks<div>block <b>bold</b>er</div>"
    )
    assert html_to_paragraphs(markup) == "Fish & chips — “good”\n\nLoose text\n\nafter breaks\n\nblock bolder"


def test_html_dateline_is_dropped_and_gives_the_date() -> None:
    page = (
        "<html><body><article><h1>Bücher per Seilbahn</h1><p><em>Sankt Aurel, 8. Dezember 2025</em></p>"
        "<p>Die kleinste Bibliothek der Region liegt auf 1.900 Metern Höhe "
        "und bekommt ihre Bücher jetzt per Seilbahn.</p>"
        "</article></body></html>"
    )
    [article] = parse_bytes(page.encode(), "page.html")
    assert article.published == "2025-12-08"
    assert "Sankt Aurel, 8." not in article.summary + article.body


def test_markdown_with_front_matter(fixture_path, assert_safe) -> None:
    articles = parse_file(fixture_path("article_front_matter.md"))
    assert_safe(articles)
    [article] = articles
    assert article.title == "Wie Seehunde im Wattenmeer schlafen"
    assert (article.source, article.language) == ("Wissenschaft Aktuell", "de")
    assert article.url == "https://wissenschaft-aktuell.example/natur/seehunde"
    assert article.published == "2025-11-19T09:00:00+01:00"
    assert article.tags == ("Wissenschaft", "Natur")
    paragraphs = article.paragraphs
    assert paragraphs[0] == "Eine Überschrift, die nicht der Titel ist"
    assert "Das zeigt eine neue Studie aus Lindholm." in paragraphs[1]  # link text kept, ** gone
    assert "Auf Sandbänken schlafen Seehunde lang und tief." in paragraphs
    assert "Der Befehl sleep 5 und ein Bild Seehund bleiben Text. Auch [@click=app.quit]Tap here[/] bleibt stehen." in (
        paragraphs
    )
    assert "code block stays" in paragraphs
    assert paragraphs[-1] == "Eingebettetes HTML wird zu Absätzen."
    assert "alert" not in article.body
    # The structure is kept in the stored body.
    kinds = [block.kind for block in parse_body(article.body).blocks]
    assert kinds == [
        BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.PARAGRAPH,
        BlockKind.BULLET_LIST, BlockKind.PARAGRAPH, BlockKind.CODE, BlockKind.PARAGRAPH,
    ]
    assert links(article.body) == [Link("Lindholm", "https://example.org/lindholm")]  # seehund.png: not a web URL


def test_markdown_without_front_matter_takes_the_h1(fixture_path) -> None:
    [article] = parse_file(fixture_path("article_plain.md"))
    assert article.title == "Harbour seals return to the inner basin"
    assert article.summary.startswith("For the first time in decades")
    assert article.paragraphs[-2:] == ["Keep 50 metres away.", "Do not feed them."]
    assert parse_body(article.body).blocks[-1].kind is BlockKind.ORDERED_LIST
    assert article.language == "en"


def test_markdown_front_matter_date_and_comma_tags(fixture_path) -> None:
    [article] = parse_file(fixture_path("article_date_only.md"))
    assert article.title == "Council budget puts flood defences first"
    assert article.published == "2026-02-11"
    assert article.tags == ("economy", "climate", "city")


def test_markdown_without_heading_takes_its_first_line() -> None:
    [article] = parse_bytes(b"Short first line\n\nThe body is here, a full sentence.\n", "note.md")
    assert article.title == "Short first line"
    assert article.summary == "The body is here, a full sentence."
