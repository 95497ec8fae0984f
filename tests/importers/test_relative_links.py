"""Relative links resolve as a browser resolves them: against the document's address.

A fetched feed or page has an address (``parse_bytes(..., address=URL)``, what
reader/web passes); a file has none, and then a page's canonical URL stands in for one,
as it did before there was an address.
"""

from __future__ import annotations

import json

from reader.importers import parse_bytes

# Each entry opens with a plain paragraph: a lead paragraph becomes the plain summary.
FEED_URL = "https://news.example/feeds/all.xml"
PAGE_URL = "https://news.example/2026/12/story.html"
TEXT = "A sentence of the entry that is long enough to be read as a paragraph of its own."


def _rss(content: str, link: str = "/2026/12/first.html", guid: str = "", base: str = "") -> bytes:
    attrs = f' xml:base="{base}"' if base else ""
    guid_tag = f"<guid>{guid}</guid>" if guid else ""
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        "<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        f"<channel{attrs}><title>News</title><link>https://news.example/</link>"
        f"<item><title>First</title><link>{link}</link>{guid_tag}"
        f"<content:encoded><![CDATA[<p>{TEXT}</p>{content}]]></content:encoded></item></channel></rss>"
    ).encode()


def test_a_fetched_feeds_relative_links_resolve_against_its_address() -> None:
    data = _rss(f"<p>{TEXT} <a href='/topics/trade'>Trade</a> and <a href='more.html'>more</a>.</p>")
    [article] = parse_bytes(data, "feed.xml", address=FEED_URL)
    assert article.url == "https://news.example/2026/12/first.html"
    assert "[Trade](https://news.example/topics/trade)" in article.body
    assert "[more](https://news.example/feeds/more.html)" in article.body


def test_resolving_links_changes_no_id() -> None:
    """A guid-less entry is known by its link as the feed wrote it: the articles an
    update stored before links were resolved keep their ids (and bookmarks)."""
    data = _rss(f"<p>{TEXT}</p>")
    [as_file] = parse_bytes(data, "feed.xml")
    [fetched] = parse_bytes(data, "feed.xml", address=FEED_URL)
    assert as_file.url == "" and fetched.url == "https://news.example/2026/12/first.html"
    assert fetched.id == as_file.id


def test_a_relative_xml_base_is_resolved_against_the_address_too() -> None:
    data = _rss(f"<p>{TEXT} <a href='deals.html'>Deals</a>.</p>", link="first.html", base="/blog/")
    [article] = parse_bytes(data, "feed.xml", address=FEED_URL)
    assert article.url == "https://news.example/blog/first.html"
    assert "[Deals](https://news.example/blog/deals.html)" in article.body


def test_an_absolute_xml_base_wins_over_the_address() -> None:
    data = _rss(f"<p>{TEXT} <a href='deals.html'>Deals</a>.</p>", link="first.html", base="https://blog.example/a/")
    [article] = parse_bytes(data, "feed.xml", address=FEED_URL)
    assert article.url == "https://blog.example/a/first.html"
    assert "[Deals](https://blog.example/a/deals.html)" in article.body


def test_links_into_the_document_itself_stay_text() -> None:
    """A footnote (``#fn1``) or an empty href would point into the feed: text, as before."""
    data = _rss(f"<p>{TEXT} See <a href='#fn1'>note 1</a> and <a href=''>this</a>.</p>")
    [article] = parse_bytes(data, "feed.xml", address=FEED_URL)
    assert "note 1" in article.body and "this" in article.body
    assert "](" not in article.body


def test_a_feed_file_keeps_relative_links_as_text() -> None:
    data = _rss(f"<p>{TEXT} <a href='/topics/trade'>Trade</a>.</p>")
    [article] = parse_bytes(data, "feed.xml")
    assert "Trade" in article.body and "](" not in article.body


def _page(head: str = "", related_href: str = "/2026/12/other.html") -> bytes:
    return (
        f"<html><head><title>Story</title>{head}</head><body><article><h1>Story</h1>"
        f"<p>{TEXT}</p><p>{TEXT} Read <a href='/topics/trade'>the trade pages</a> for more.</p>"
        f"<p>The last paragraph of the story, which ends it.</p></article>"
        f"<aside class='related'><a href='{related_href}'>Another story of the day</a></aside></body></html>"
    ).encode()


def test_a_fetched_pages_links_resolve_against_its_address() -> None:
    [article] = parse_bytes(_page(), "page.html", address=PAGE_URL)
    [link] = article.related
    assert link.url == "https://news.example/2026/12/other.html"
    assert "(https://news.example/topics/trade)" in article.body


def test_a_base_element_wins_over_the_address() -> None:
    page = _page("<base href='https://static.example/mirror/'>", related_href="other.html")
    [article] = parse_bytes(page, "page.html", address=PAGE_URL)
    assert article.related[0].url == "https://static.example/mirror/other.html"


def test_the_address_wins_over_the_canonical_url_for_links_not_for_the_article() -> None:
    """A browser resolves links against the page it fetched; the canonical URL is the
    article's identity, not the base of its links (an AMP copy, a syndicated one)."""
    page = _page("<link rel='canonical' href='https://origin.example/story'>")
    [article] = parse_bytes(page, "page.html", address="https://mirror.example/amp/story.html")
    assert article.url == "https://origin.example/story"
    assert article.related[0].url == "https://mirror.example/2026/12/other.html"


def test_a_relative_canonical_url_is_resolved_against_the_address() -> None:
    [article] = parse_bytes(_page("<link rel='canonical' href='/2026/12/story'>"), "page.html", address=PAGE_URL)
    assert article.url == "https://news.example/2026/12/story"


def test_a_saved_page_without_an_address_resolves_against_its_canonical_url() -> None:
    [article] = parse_bytes(_page("<link rel='canonical' href='https://news.example/2026/12/story'>"), "page.html")
    assert article.related[0].url == "https://news.example/2026/12/other.html"


def test_a_link_to_a_place_in_the_page_is_no_related_article() -> None:
    page = _page().replace(b"<aside class='related'>", b"<aside class='related'><a href='#more'>Related stories here</a>")
    [article] = parse_bytes(page, "page.html", address=PAGE_URL)
    assert [link.title for link in article.related] == ["Another story of the day"]


def test_a_fetched_json_feeds_relative_links_resolve_against_its_address() -> None:
    item = {
        "id": "1",
        "url": "/2026/12/first.html",
        "title": "First",
        "content_html": f"<p>{TEXT}</p><p>See <a href='/topics/trade'>trade</a>.</p>",
    }
    data = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "News", "items": [item]}).encode()
    [article] = parse_bytes(data, "feed.json", address=FEED_URL)
    assert article.url == "https://news.example/2026/12/first.html"
    assert "[trade](https://news.example/topics/trade)" in article.body
    [as_file] = parse_bytes(data, "feed.json")
    assert as_file.id == article.id and as_file.url == ""


def test_a_base_element_that_gives_no_web_url_is_passed_over() -> None:
    page = _page("<base href='#top'>", related_href="other.html")
    [article] = parse_bytes(page, "page.html", address=PAGE_URL)
    assert article.related[0].url == "https://news.example/2026/12/other.html"
    page = _page("<base href='javascript:void(0)/'>", related_href="other.html")
    [article] = parse_bytes(page, "page.html", address=PAGE_URL)
    assert article.related[0].url == "https://news.example/2026/12/other.html"


def test_joined_url() -> None:
    from reader.importers.build import joined_url

    base = "https://news.example/feeds/all.xml"
    assert joined_url(base, "/a?b=1") == "https://news.example/a?b=1"
    assert joined_url(base, "//cdn.example/x") == "https://cdn.example/x"  # scheme-relative
    assert joined_url(base, " HTTPS://other.example/p#") == "HTTPS://other.example/p"  # as written, as urljoin gives it
    assert joined_url(base, "#fn1") == "#fn1" and joined_url(base, "") == ""
    assert joined_url(base, "http://[bad/x") == "http://[bad/x"  # left for the URL checks to refuse
    assert joined_url("", "/a") == "/a"
    assert joined_url("https://[bad", "/a") == "/a"
