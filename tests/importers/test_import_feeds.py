"""RSS, Atom and JSON Feed: one article per entry."""

from __future__ import annotations

import json

import pytest

from reader.errors import ImportFailure
from reader.importers import parse_file, read_bytes


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
        "Cool rooms in the library",
        "Free transport",
        "Markup stays text: [@click=app.quit]Tap here[/]",
    ]
    # The stored form keeps the structure and escapes the text (reader.body).
    assert "said **Ian Fairweather**. Fish \\& chips \\<3." in first.body
    assert "- Cool rooms in the library\n- Free transport" in first.body
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


# Feeds as they come from the wild: the cases that lost or merged entries before.


def _rss(items: str, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0" {head}><channel><title>Wild</title>'
        f"<link>https://wild.example/</link>{items}</channel></rss>"
    ).encode()


def _item(title: str, link: str = "", guid: str = "", text: str = "A sentence of text.") -> str:
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    parts.append(f"<description>{text}</description>")
    return "<item>" + "".join(parts) + "</item>"


def test_links_that_differ_only_by_fragment_are_distinct_articles() -> None:
    items = "".join(_item(f"Post {i}", f"http://scripting.example/2026/03/04.html#a{i}") for i in range(50))
    parsed = read_bytes(_rss(items), "feed.xml")
    assert len({article.id for article in parsed.articles}) == 50
    assert parsed.articles[7].url.endswith("#a7")


def test_ref_parameters_are_part_of_the_page() -> None:
    items = _item("One", "https://news.example/a?reference=1001") + _item("Two", "https://news.example/a?reference=2002")
    first, second = read_bytes(_rss(items), "feed.xml").articles
    assert first.id != second.id


def test_utm_parameters_do_not_make_a_new_article() -> None:
    from reader.model import article_id

    [article] = read_bytes(_rss(_item("One", "https://news.example/a?utm_source=rss")), "feed.xml").articles
    assert article.id == article_id(url="https://news.example/a")


def test_the_same_guid_on_two_different_entries_does_not_merge_them() -> None:
    items = _item("One", "https://k.example/1", guid="42") + _item("Two", "https://k.example/2", guid="42")
    parsed = read_bytes(_rss(items), "feed.xml")
    assert [a.title for a in parsed.articles] == ["One", "Two"]
    assert len({a.id for a in parsed.articles}) == 2


def test_an_entry_repeated_exactly_is_skipped_with_a_line() -> None:
    items = _item("One", "https://k.example/1", guid="42") * 2
    parsed = read_bytes(_rss(items), "feed.xml")
    assert len(parsed.articles) == 1
    assert parsed.skipped == ("entry 2 (“One”) skipped: it repeats an earlier entry",)


def test_one_empty_item_is_skipped_not_the_feed() -> None:
    items = "".join(_item(f"Post {i}", f"https://k.example/{i}") for i in range(9)) + "<item></item>"
    parsed = read_bytes(_rss(items), "feed.xml")
    assert len(parsed.articles) == 9
    assert parsed.skipped == ("entry 10 skipped: no title found",)


def test_guid_without_link_is_scoped_to_its_feed() -> None:
    one = read_bytes(_rss(_item("Same", guid="1")), "a.xml").articles[0]
    other = _rss(_item("Same", guid="1")).replace(b"https://wild.example/", b"https://other.example/")
    assert read_bytes(other, "b.xml").articles[0].id != one.id


def test_undeclared_prefix_is_read_as_feedparser_reads_it() -> None:
    items = "<item><title>Episode 1</title><itunes:duration>12:00</itunes:duration><wfw:commentRss>x</wfw:commentRss>" \
        "<link>https://pod.example/1</link><description>Notes.</description></item>"
    [article] = read_bytes(_rss(items), "feed.xml").articles
    assert article.title == "Episode 1"


def test_html_entity_and_truncated_end_are_read() -> None:
    items = _item("Caf&eacute;&nbsp;news", "https://k.example/1") + _item("Second", "https://k.example/2")
    data = _rss(items)
    data = data[: data.index(b"</channel>") - 20]  # cut inside the last item
    parsed = read_bytes(data, "feed.xml")
    assert parsed.articles[0].title == "Café news"
    assert len(parsed.articles) == 2


def test_entity_declarations_stay_refused_in_a_malformed_document() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "x">]><rss><channel><item><title>&a;&nbsp;</title>'
    with pytest.raises(ImportFailure, match="entity declarations are refused"):
        read_bytes(data, "feed.xml")
    data = b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://evil.example/x.dtd"><rss><channel><item>&nbsp;'
    with pytest.raises(ImportFailure, match="external DTD is refused"):
        read_bytes(data, "feed.xml")


def test_plain_text_fields_are_decoded() -> None:
    [article] = read_bytes(_rss(_item("Fish &amp;amp; chips", "https://k.example/1")), "feed.xml").articles
    assert article.title == "Fish & chips"


def test_the_entrys_own_title_not_its_authors() -> None:
    items = (
        '<item><title>Shadow IT clues</title><link>https://cloud.example/a</link><description>Text.</description>'
        '<author xmlns:author="http://www.w3.org/2005/Atom"><name>Diane</name><title>Product Manager</title></author>'
        "</item>"
    )
    [article] = read_bytes(_rss(items), "feed.xml").articles
    assert article.title == "Shadow IT clues"


@pytest.mark.parametrize(
    "version", ["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1", "http://jsonfeed.org/version/1"]
)
def test_every_json_feed_version(version: str) -> None:
    items = [{"id": str(i), "url": f"https://j.example/{i}", "content_text": f"Post {i} says a thing."} for i in range(20)]
    feed = {"version": version, "title": "J", "items": items}
    parsed = read_bytes(json.dumps(feed).encode(), "feed.json")
    assert len({a.id for a in parsed.articles}) == 20


def test_a_bad_json_feed_item_is_skipped_with_a_line() -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "content_text": "Fine."}, {"id": "2"}, 7]}
    parsed = read_bytes(json.dumps(feed).encode(), "feed.json")
    assert len(parsed.articles) == 1
    assert parsed.skipped == ("entry 2 skipped: no title found", "entry 3 skipped: not a JSON object")


def test_an_import_names_the_skipped_entry_and_keeps_the_others(tmp_path) -> None:
    from reader.library import Library

    feed = tmp_path / "feed.xml"
    feed.write_bytes(_rss("".join(_item(f"Post {i}", f"https://k.example/{i}") for i in range(3)) + "<item></item>"))
    with Library.open(tmp_path / "data") as library:
        report = library.import_paths([feed])
        assert report.added == 3
        assert report.failures == [(str(feed), "entry 4 skipped: no title found")]


def test_an_atom_feed_saved_inside_an_xhtml_page_is_read_as_a_feed() -> None:
    entries = "".join(
        f"<entry><title>Post {i}</title><id>https://a.example/{i}</id><link href='https://a.example/{i}'/>"
        f"<summary>Text {i}.</summary></entry>"
        for i in range(3)
    )
    page = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/x.dtd">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Blog</title>{entries}</feed></body></html>"
    )
    assert [a.title for a in read_bytes(page.encode(), "feed.xml").articles] == ["Post 0", "Post 1", "Post 2"]
