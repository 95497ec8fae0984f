"""RSS, Atom and JSON Feed: one article per entry."""

from __future__ import annotations

from reader.importers import parse_file


def test_rss_with_html_content_and_entities(fixture_path, assert_safe) -> None:
    articles = parse_file(fixture_path("feed_rss.xml"))
    assert_safe(articles)
    first, second, third = articles
    assert first.title == "Heat plan passes its first test"
    assert first.source == "The Civic Review & Friends"
    assert first.url == "https://civic-review.example/news/heat-plan?utm_source=rss"
    assert first.published == "2026-07-29T17:45:00+01:00"
    assert first.tags == ("climate", "health")
    assert first.summary == "Volunteers phoned 3,200 older residents during last week’s heatwave."
    assert first.paragraphs == [
        "Kelmouth’s heat plan was put to the test when temperatures reached 34 °C — a record.",
        "“Most people just needed a reminder,” said Ian Fairweather. Fish & chips <3.",
        "• Cool rooms in the library",
        "• Free transport",
        "Markup stays text: [@click=app.quit]Tap here[/]",
    ]
    assert "alert" not in first.body
    assert second.title == "Market hall reopens"  # HTML in the title is text, tags gone
    assert second.summary == "The covered market reopened after a year of repairs."
    assert second.body == "Traders said the new roof lets in far more light."
    assert second.published == "2026-08-04T08:00:00+00:00"
    assert third.title == "An entry without a title"
    assert third.url == ""  # javascript: is not a page
    assert {article.language for article in articles} == {"en"}
    assert len({article.id for article in articles}) == 3


def test_atom_in_latin1_with_xhtml_content(fixture_path) -> None:
    first, second = parse_file(fixture_path("feed_atom.xml"))
    assert first.source == "Nordsee Kurier"
    assert first.title == "Handballerinnen steigen in die zweite Liga auf"
    assert first.summary.startswith("Mit einem Sieg im letzten Saisonspiel")
    assert first.paragraphs[1] == "Vor 1.600 Zuschauern in der ausverkauften Halle gewannen sie mit 31:27."
    assert first.published == "2026-09-06T20:15:00+02:00"
    assert first.tags == ("Sport",)
    assert second.title == "Fähre fährt wieder"
    assert second.published == "2026-09-01"
    assert second.summary == "Die Fähre nach Süderwarf fährt wieder nach Plan. Die Reparatur hat drei Wochen gedauert."
    assert (first.language, second.language) == ("de", "de")


def test_json_feed(fixture_path, assert_safe) -> None:
    articles = parse_file(fixture_path("jsonfeed.json"))
    assert_safe(articles)
    first, second, third = articles
    assert first.source == "Tech Ledger"
    assert first.summary == "Five years of measurements are now open to everyone."
    assert first.paragraphs == [
        "The operator has published five years of measurements — wind speed, wave height and output.",
        "Anyone can download the data.",
    ]
    assert first.tags == ("open data", "energy")
    assert first.published == "2026-11-12T10:00:00+01:00"
    assert second.title == "A short note without a title"
    assert second.summary == "A short note without a title. It still becomes an article."
    assert second.body == "A second paragraph."
    assert third.url == "https://wissenschaft-aktuell.example/quantensensor"
    assert (first.language, third.language) == ("en", "de")
