"""Who wrote it: every format that names its authors gives Article.author, and none is made up."""

from __future__ import annotations

import json

from reader.importers import parse_bytes

_TEXT = "The harbour wall was rebuilt over the winter, and the ferries run again from Monday. " * 6


def _page(head: str = "", byline: str = "") -> bytes:
    return (
        f"<html lang='en'><head><title>Harbour reopens</title>{head}</head><body><article>"
        f"<h1>Harbour reopens</h1>{byline}<p>{_TEXT}</p><p>{_TEXT}</p></article></body></html>"
    ).encode()


def test_html_author_meta_tag() -> None:
    [article] = parse_bytes(_page(head='<meta name="author" content="Jane Doe, John Roe">'), "page.html")
    assert article.author == "Jane Doe, John Roe"
    assert "Jane Doe" not in article.body


def test_html_byline_in_the_page() -> None:
    [article] = parse_bytes(_page(byline='<p class="byline">By <span class="author">Ines Laurent</span></p>'), "page.html")
    assert article.author == "Ines Laurent"


def test_html_without_author_has_none() -> None:
    [article] = parse_bytes(_page(), "page.html")
    assert article.author == ""


def test_html_author_that_is_markup_stays_text() -> None:
    [article] = parse_bytes(_page(head='<meta name="author" content="[b]Eve[/b] \x1b[31m">'), "page.html")
    assert "Eve" in article.author and "\x1b" not in article.author  # shown as text (Content), never parsed


_RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Civic Review</title><link>https://civic.example/</link>
<managingEditor>editor@civic.example (The Editor)</managingEditor>
<item><title>One</title><link>https://civic.example/one</link><description>First story text.</description>
  <author>jane@civic.example (Jane Doe)</author></item>
<item><title>Two</title><link>https://civic.example/two</link><description>Second story text.</description>
  <dc:creator>Ann Lee</dc:creator><dc:creator>Bo Kim</dc:creator></item>
<item><title>Three</title><link>https://civic.example/three</link><description>Third story text.</description>
  <author>only-an-address@civic.example</author></item>
<item><title>Five</title><link>https://civic.example/five</link><description>Fifth story text.</description>
  <author>Ray Ortiz &lt;ray@civic.example&gt;</author></item>
<item><title>Four</title><link>https://civic.example/four</link><description>Fourth story text.</description></item>
</channel></rss>"""


def test_rss_authors_from_author_and_dc_creator() -> None:
    articles = {a.title: a for a in parse_bytes(_RSS, "feed.xml")}
    assert articles["One"].author == "Jane Doe"
    assert articles["Two"].author == "Ann Lee, Bo Kim"
    assert articles["Three"].author == ""  # an address is not a name
    assert articles["Five"].author == "Ray Ortiz"
    assert articles["Four"].author == ""  # the managing editor is not the author


_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Field Notes</title><id>urn:field-notes</id>
<updated>2026-03-01T00:00:00Z</updated><author><name>Feed Owner</name></author>
<entry><title>Own authors</title><id>urn:one</id><link href="https://notes.example/one"/>
  <updated>2026-03-01T00:00:00Z</updated><summary>First note.</summary>
  <author><name>Ann Lee</name></author><author><name>Bo &amp; Co</name><email>bo@notes.example</email></author></entry>
<entry><title>Feed author</title><id>urn:two</id><link href="https://notes.example/two"/>
  <updated>2026-03-02T00:00:00Z</updated><summary>Second note.</summary></entry>
</feed>"""


def test_atom_authors_and_the_feed_author_for_entries_without() -> None:
    articles = {a.title: a for a in parse_bytes(_ATOM, "feed.atom")}
    assert articles["Own authors"].author == "Ann Lee, Bo & Co"
    assert articles["Feed author"].author == "Feed Owner"  # RFC 4287: the feed's author stands for it


def test_json_feed_authors_of_both_versions() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Blog",
        "authors": [{"name": "Feed Writer"}],
        "items": [
            {"id": "1", "title": "Two", "content_text": "One text.", "authors": [{"name": "Ann Lee"}, {"name": "Bo Kim"}, {"url": "https://x.example"}]},
            {"id": "2", "title": "Old style", "content_text": "Two text.", "author": {"name": "Cy Old"}},
            {"id": "3", "title": "Inherits", "content_text": "Three text."},
        ],
    }
    articles = {a.title: a for a in parse_bytes(json.dumps(feed).encode(), "feed.json")}
    assert articles["Two"].author == "Ann Lee, Bo Kim"
    assert articles["Old style"].author == "Cy Old"
    assert articles["Inherits"].author == "Feed Writer"
    bare = dict(feed, authors=[])
    assert {a.author for a in parse_bytes(json.dumps(bare).encode(), "feed.json")} == {"Ann Lee, Bo Kim", "Cy Old", ""}


def test_markdown_front_matter_author() -> None:
    one = b"---\ntitle: Notes\nauthor: Ines   Laurent\n---\nThe text of the notes.\n"
    [article] = parse_bytes(one, "notes.md")
    assert article.author == "Ines Laurent"
    several = b"---\ntitle: Notes\nauthors:\n  - Ann Lee\n  - name: Bo Kim\n  - ann lee\n---\nThe text.\n"
    [article] = parse_bytes(several, "notes.md")
    assert article.author == "Ann Lee, Bo Kim"
    [article] = parse_bytes(b"---\ntitle: Notes\n---\nBy Nobody In Particular.\n", "notes.md")
    assert article.author == ""
