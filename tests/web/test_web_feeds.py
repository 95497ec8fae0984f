"""Subscriptions and updates end to end: the reader command against feeds on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request
from werkzeug import Response as WResponse

from reader.cli import main
from reader.library import Library


def rss(title: str, items: list[tuple[str, str, str]], channel_extra: str = "") -> str:
    """An RSS 2.0 document; items are (guid/link path, title, description)."""
    body = "".join(
        f"<item><title>{t}</title><link>http://127.0.0.1/{path}</link><guid>{path}</guid>"
        f"<description>{d}</description><pubDate>Tue, 01 Dec 2026 0{i % 10}:00:00 GMT</pubDate></item>"
        for i, (path, t, d) in enumerate(items)
    )
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>{channel_extra}{body}</channel></rss>"


LONG = "A paragraph of the article that is long enough to count as full text. " * 12
ITEMS = [("a1", "First story", LONG), ("a2", "Second story", LONG), ("a3", "Third story", LONG)]


def serve_feed(server: HTTPServer, path: str, document: str, etag: str = '"v1"') -> None:
    def handler(request: Request) -> WResponse:
        if request.headers.get("If-None-Match") == etag:
            return WResponse(status=304)
        return WResponse(document, content_type="application/rss+xml; charset=utf-8", headers={"ETag": etag})

    server.expect_request(path).respond_with_handler(handler)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_update_list_and_not_modified(httpserver: HTTPServer, capsys) -> None:
    serve_feed(httpserver, "/feed.xml", rss("Harbour News", ITEMS))
    code, out, _ = run(capsys, "feed", "add", httpserver.url_for("/feed.xml"))
    assert code == 0 and "subscribed to" in out
    code, _, err = run(capsys, "update")
    assert code == 0
    assert err.strip().endswith("1 feed: 3 new articles, 0 updated, 0 not modified, 0 failed")
    code, _, err = run(capsys, "update")
    assert "1 feed: 0 new articles, 0 updated, 1 not modified, 0 failed" in err
    code, out, _ = run(capsys, "feed", "list", "--format", "json")
    [feed] = json.loads(out)
    assert feed["title"] == "Harbour News" and feed["unread"] == 3 and feed["total"] == 3
    assert feed["last_update"] and feed["last_error"] == ""
    code, out, _ = run(capsys, "feed", "list")
    assert "Harbour News" in out and "3/3" in out


def test_edited_and_removed_entries_keep_user_state(httpserver: HTTPServer, capsys) -> None:
    documents = {"doc": rss("News", ITEMS), "etag": '"1"'}

    def handler(request: Request) -> WResponse:
        if request.headers.get("If-None-Match") == documents["etag"]:
            return WResponse(status=304)
        return WResponse(documents["doc"], content_type="application/rss+xml", headers={"ETag": documents["etag"]})

    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    run(capsys, "feed", "add", httpserver.url_for("/feed.xml"))
    run(capsys, "update")
    with Library.open() as lib:
        ids = {row.title: row.id for row in lib.list_articles()}
        lib.set_read(ids["First story"], True)
        lib.set_bookmarked(ids["Second story"], True)
        lib.set_position(ids["First story"], 0.5)
        lib.delete([ids["Third story"]])
    # The server edits the first entry, drops the second, keeps the third (which the user removed).
    documents["doc"] = rss("News", [("a1", "First story, corrected", LONG), ("a3", "Third story", LONG)])
    documents["etag"] = '"2"'
    code, _, err = run(capsys, "update")
    assert code == 0 and "0 new articles, 1 updated, 0 not modified, 0 failed" in err
    with Library.open() as lib:
        first = lib.get(ids["First story"])
        assert first.title == "First story, corrected" and first.read
        assert lib.position(first.id) == 0.5
        assert lib.get(ids["Second story"]).bookmarked  # gone from the feed, kept in the library
        assert {row.title for row in lib.list_articles()} == {"First story, corrected", "Second story"}  # no resurrection


def test_autodiscovery_one_and_several(httpserver: HTTPServer, capsys) -> None:
    serve_feed(httpserver, "/atom.xml", rss("Atom one", ITEMS[:1]))
    serve_feed(httpserver, "/rss.xml", rss("RSS two", ITEMS[1:2]))
    httpserver.expect_request("/one.html").respond_with_data(
        "<html><head><link rel='alternate' type='application/rss+xml' title='Main' href='/atom.xml'></head><body>x</body></html>",
        content_type="text/html",
    )
    httpserver.expect_request("/two.html").respond_with_data(
        "<html><head><link rel='alternate' type='application/rss+xml' title='Main' href='/atom.xml'>"
        "<link rel='alternate' type='application/atom+xml' title='Comments' href='rss.xml'></head></html>",
        content_type="text/html",
    )
    code, out, _ = run(capsys, "feed", "add", httpserver.url_for("/one.html"))
    assert code == 0 and httpserver.url_for("/atom.xml") in out
    code, _, err = run(capsys, "feed", "add", httpserver.url_for("/two.html"))
    assert code == 1 and "links to 2 feeds" in err and "1. Main" in err and "2. Comments" in err
    code, out, _ = run(capsys, "feed", "add", httpserver.url_for("/two.html"), "Comments")
    assert code == 0 and httpserver.url_for("/rss.xml") in out
    code, out, _ = run(capsys, "feed", "add", httpserver.url_for("/two.html"), "--first")
    assert code == 0 and "already subscribed" in out
    httpserver.expect_request("/none.html").respond_with_data("<html><body>No feeds</body></html>", content_type="text/html")
    code, _, err = run(capsys, "feed", "add", httpserver.url_for("/none.html"))
    assert code == 1 and "neither a feed nor a page that links to one" in err


def test_autodiscovery_follows_base_href_and_passes_over_links_that_are_no_urls(httpserver: HTTPServer, capsys) -> None:
    serve_feed(httpserver, "/feeds/main.xml", rss("Main feed", ITEMS[:1]))
    httpserver.expect_request("/blog/post.html").respond_with_data(
        "<html><head><base href='/feeds/'>"
        "<link rel='alternate' type='application/rss+xml' title='Broken' href='http://[bad/x'>"
        "<link rel='alternate' type='application/rss+xml' title='Main' href='main.xml'></head><body>x</body></html>",
        content_type="text/html",
    )
    code, out, err = run(capsys, "feed", "add", httpserver.url_for("/blog/post.html"))
    assert code == 0, err
    assert httpserver.url_for("/feeds/main.xml") in out


def test_faults_each_give_one_line_and_exit_1(httpserver: HTTPServer, capsys) -> None:
    serve_feed(httpserver, "/ok.xml", rss("Fine", ITEMS[:1]))
    httpserver.expect_request("/missing.xml").respond_with_data("no", status=404)
    httpserver.expect_request("/gone.xml").respond_with_data("bye", status=410)
    httpserver.expect_request("/busy.xml").respond_with_data("later", status=429, headers={"Retry-After": "3600"})
    httpserver.expect_request("/page.xml").respond_with_data("<html><body><p>hello</p></body></html>", content_type="text/html")
    httpserver.expect_request("/bad.xml").respond_with_data("<rss><channel><item>", content_type="text/xml")
    for path in ("/ok.xml", "/missing.xml", "/gone.xml", "/busy.xml", "/page.xml", "/bad.xml"):
        with Library.open() as lib:
            lib.feeds.db.add(httpserver.url_for(path), path.strip("/"))
    code, _, err = run(capsys, "update")
    lines = err.strip().splitlines()
    assert code == 1
    assert lines[-1] == "6 feeds: 1 new articles, 0 updated, 0 not modified, 5 failed"
    assert any(line.startswith("missing.xml") and "404 Not Found" in line for line in lines)
    assert any(line.startswith("gone.xml") and "410 Gone" in line for line in lines)
    assert any(line.startswith("busy.xml") and "retry after 3600 s" in line for line in lines)
    assert any(line.startswith("page.xml") and "not a feed" in line for line in lines)
    # A truncated feed is read as feedparser reads it: here its one entry has no title.
    assert any(line.startswith("bad.xml") and "no readable entries" in line for line in lines)
    # The gone feed and the rate-limited one are not due any more; the others are.
    code, _, err = run(capsys, "update")
    assert err.strip().splitlines()[-1] == "4 feeds: 0 new articles, 0 updated, 1 not modified, 3 failed"
    code, out, _ = run(capsys, "feed", "list", "--format", "json")
    gone = next(f for f in json.loads(out) if f["title"] == "gone.xml")
    assert gone["gone"] and "410" in gone["last_error"]


def test_an_entry_left_out_of_an_update_gets_a_line(httpserver: HTTPServer, capsys) -> None:
    """An entry with no text at all is skipped, as an import skips it, and said (an
    update used to drop it without a word); the rest of the feed is stored."""
    document = rss("Sloppy", ITEMS[:2]).replace("</channel>", "<item><guid>empty-one</guid></item></channel>")
    serve_feed(httpserver, "/feed.xml", document)
    run(capsys, "feed", "add", httpserver.url_for("/feed.xml"))
    code, _, err = run(capsys, "update")
    lines = err.strip().splitlines()
    assert code == 0 and lines[-1] == "1 feed: 2 new articles, 0 updated, 0 not modified, 0 failed"
    assert f"Sloppy ({httpserver.url_for('/feed.xml')}): entry 3 (“empty-one”) skipped: no title found" in lines
    code, out, _ = run(capsys, "update", "Sloppy", "--format", "json")  # 304 now: nothing read, nothing said
    assert json.loads(out)["results"][0]["skipped"] == []


def test_a_url_with_a_control_character_is_refused_and_a_stored_one_stays_on_its_row(capsys) -> None:
    code, _, err = run(capsys, "feed", "add", "http://127.0.0.1:1/\x1b[31mred")
    assert code == 1 and "not a valid URL" in err and "\x1b" not in err
    with Library.open() as lib:  # stored before check_url refused them
        lib.feeds.db.add("http://127.0.0.1:1/a\nb", "Broken")
    code, out, _ = run(capsys, "feed", "list")
    assert code == 0 and len(out.strip().splitlines()) == 2 and "http://127.0.0.1:1/a b" in out


def test_a_malformed_redirect_fails_its_feed_not_the_update(httpserver: HTTPServer, malformed_redirect_server, capsys) -> None:
    """It used to end the whole update with "unexpected error (ValueError: Invalid IPv6 URL)"."""
    serve_feed(httpserver, "/ok.xml", rss("Fine", ITEMS[:1]))
    with Library.open() as lib:
        lib.feeds.db.add(httpserver.url_for("/ok.xml"), "ok.xml")
        lib.feeds.db.add(malformed_redirect_server.url, "moved.xml")
    code, _, err = run(capsys, "update")
    lines = err.strip().splitlines()
    assert code == 1 and lines[-1] == "2 feeds: 1 new articles, 0 updated, 0 not modified, 1 failed"
    assert any(line.startswith("moved.xml") and "redirect to a malformed URL (http://[bad/x)" in line for line in lines)


def test_permanent_redirect_updates_the_stored_url(httpserver: HTTPServer, capsys) -> None:
    httpserver.expect_request("/old.xml").respond_with_data("", status=301, headers={"Location": "/new.xml"})
    serve_feed(httpserver, "/new.xml", rss("Moved", ITEMS[:1]))
    with Library.open() as lib:
        lib.feeds.db.add(httpserver.url_for("/old.xml"))
    code, _, err = run(capsys, "update")
    assert code == 0 and "moved permanently" in err
    code, out, _ = run(capsys, "feed", "list", "--format", "json")
    assert json.loads(out)[0]["url"] == httpserver.url_for("/new.xml")


def test_rename_set_remove(httpserver: HTTPServer, capsys) -> None:
    serve_feed(httpserver, "/feed.xml", rss("Original", ITEMS))
    run(capsys, "feed", "add", httpserver.url_for("/feed.xml"))
    run(capsys, "update")
    code, out, _ = run(capsys, "feed", "rename", "Original", "My feed")
    assert code == 0 and "My feed" in out
    code, out, _ = run(capsys, "feed", "set", "My feed", "--full-text", "on", "--interval", "90")
    assert "full text on, updated every 90 min" in out
    for bad in ("0", "-5", "\u00b2", "ten"):  # "²" passes str.isdigit, which int refuses
        code, _, err = run(capsys, "feed", "set", "My feed", "--interval", bad)
        assert code == 2 and "--interval takes a number of minutes" in err
    with Library.open() as lib:
        feed = lib.feeds.find("my feed")
        assert feed.full_text and feed.update_interval == 90
        lib.set_bookmarked(lib.list_articles()[0].id, True)
    code, out, _ = run(capsys, "feed", "remove", feed.id[:6], "--delete-articles")
    assert code == 0 and "deleted 2 articles, kept 1 bookmarked" in out
    with Library.open() as lib:
        assert lib.count() == 1 and lib.subscribed() == []
    code, _, err = run(capsys, "feed", "remove", "nothing")
    assert code == 1 and "no feed matches 'nothing'" in err


def test_remove_keeps_articles_by_default(httpserver: HTTPServer, capsys) -> None:
    serve_feed(httpserver, "/feed.xml", rss("Keep", ITEMS))
    run(capsys, "feed", "add", httpserver.url_for("/feed.xml"))
    run(capsys, "update")
    _code, out, _ = run(capsys, "feed", "remove", httpserver.url_for("/feed.xml"))
    assert "its articles stay" in out
    with Library.open() as lib:
        assert lib.count() == 3


def test_hostile_feed_stays_text(httpserver: HTTPServer, capsys) -> None:
    """Markup and escape sequences in a feed reach the terminal as text; a raw escape
    (illegal in XML) is read as feedparser reads it, and removed by the cleaning."""
    hostile = "Evil \u001b]0;pwned\u0007 [@click=app.quit]click[/] \u001b[31mred\u202e"
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Chan \u001b[2J[b]bold[/b]",
        "items": [{"id": "h1", "url": "http://127.0.0.1/h1", "title": hostile,
                   "content_html": "<script>alert(1)</script><p>Body \u001b[5m text</p>" + LONG}],
    }
    httpserver.expect_request("/feed.json").respond_with_data(json.dumps(feed), content_type="application/feed+json")
    raw = rss("Raw", [("r1", "Raw \x1b[31m escape", LONG)])
    httpserver.expect_request("/raw.xml").respond_with_data(raw.encode(), content_type="application/rss+xml")
    run(capsys, "feed", "add", httpserver.url_for("/feed.json"))
    with Library.open() as lib:
        lib.feeds.db.add(httpserver.url_for("/raw.xml"), "Raw")
    code, _, err = run(capsys, "update")
    assert code == 0 and "2 feeds: 2 new articles, 0 updated, 0 not modified, 0 failed" in err
    assert "\x1b" not in err
    code, out, _ = run(capsys, "feed", "list")
    assert "\x1b" not in out and "[b]bold[/b]" in out
    code, out, _ = run(capsys, "list")
    assert "\x1b" not in out and "[@click=app.quit]" in out
    with Library.open() as lib:
        article = lib.get(next(row.id for row in lib.list_articles() if "Evil" in row.title))
    assert "\x1b" not in article.title + article.body and "\u202e" not in article.title
    assert "[@click=app.quit]" in article.title and "alert(1)" not in article.body


def test_read_later_saves_a_page(httpserver: HTTPServer, capsys) -> None:
    page = (
        "<html><head><title>Saved page</title><meta property='og:site_name' content='The Site'></head><body>"
        f"<article><h1>Saved page</h1><p>{LONG}</p><p>Second paragraph.</p></article>"
        "<aside class='related'><a href='/other.html'>Another story</a></aside></body></html>"
    )
    httpserver.expect_request("/story.html").respond_with_data(page, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/404.html").respond_with_data("no", status=404)
    code, out, err = run(capsys, "add", httpserver.url_for("/story.html"), httpserver.url_for("/404.html"))
    assert code == 1
    assert out.startswith("saved ") and "Saved page" in out and "The Site" in out and "words" in out
    assert "404 Not Found" in err
    with Library.open() as lib:
        [row] = lib.list_articles()
        article = lib.get(row.id)
    assert article.url == httpserver.url_for("/story.html") and "Second paragraph." in article.body
    # The page links it relatively and has no canonical URL: resolved against its address.
    assert [link.url for link in article.related] == [httpserver.url_for("/other.html")]


def test_relative_links_of_a_fetched_feed_resolve_against_its_address(httpserver: HTTPServer, capsys) -> None:
    document = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Relative</title>"
        "<item><title>First story</title><link>/news/first.html</link>"
        f"<description>&lt;p&gt;{LONG}&lt;/p&gt;&lt;p&gt;See &lt;a href='/topics/trade'&gt;trade&lt;/a&gt;.&lt;/p&gt;</description>"
        "</item></channel></rss>"
    )
    serve_feed(httpserver, "/feeds/all.xml", document)
    run(capsys, "feed", "add", httpserver.url_for("/feeds/all.xml"))
    assert run(capsys, "update")[0] == 0
    with Library.open() as lib:
        [row] = lib.list_articles()
        article = lib.get(row.id)
    assert article.url == httpserver.url_for("/news/first.html")
    assert f"[trade]({httpserver.url_for('/topics/trade')})" in article.body


def test_full_text_for_cut_entries(httpserver: HTTPServer, capsys) -> None:
    page = f"<html><body><article><h1>Story</h1><p>{LONG}</p><p>The rest of the story.</p></article></body></html>"
    httpserver.expect_request("/story").respond_with_data(page, content_type="text/html")
    item = (
        "<item><title>Cut story</title><link>{url}</link><description>Only the start…</description></item>"
        .format(url=httpserver.url_for("/story"))
    )
    document = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Cuts</title>{item}</channel></rss>"
    httpserver.expect_request("/feed.xml").respond_with_data(document, content_type="application/rss+xml")
    run(capsys, "feed", "add", httpserver.url_for("/feed.xml"))
    run(capsys, "feed", "set", "Cuts", "--full-text", "on")
    run(capsys, "update")
    with Library.open() as lib:
        article = lib.get(lib.list_articles()[0].id)
    assert "The rest of the story." in article.body and article.title == "Cut story"


OPML_SHAPES = {
    "newsboat": """<?xml version="1.0"?>
<opml version="1.0"><head><title>newsboat - Exported Feeds</title></head><body>
<outline type="rss" xmlUrl="http://127.0.0.1/a.xml" htmlUrl="http://127.0.0.1/" title="A feed"/>
<outline type="rss" xmlUrl="http://127.0.0.1/b.xml" htmlUrl="http://127.0.0.1/" title="B feed"/>
</body></opml>""",
    "freshrss": """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>FreshRSS</title></head><body>
<outline text="Tech"><outline text="A feed" type="rss" xmlUrl="http://127.0.0.1/a.xml" htmlUrl="http://127.0.0.1/" description=""/></outline>
<outline text="News"><outline text="B feed" type="rss" xmlUrl="http://127.0.0.1/b.xml" category="/News,/Daily"/></outline>
</body></opml>""",
    "miniflux": """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Miniflux</title><dateCreated>Tue, 01 Dec 2026 10:00:00 UTC</dateCreated></head><body>
<outline text="Tech"><outline title="A feed" text="A feed" xmlUrl="http://127.0.0.1/a.xml" htmlUrl="http://127.0.0.1/"></outline></outline>
<outline text="News"><outline title="B feed" text="B feed" xmlUrl="http://127.0.0.1/b.xml" htmlUrl="http://127.0.0.1/"></outline></outline>
</body></opml>""",
    "feedly": """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Feedly subscriptions</title></head><body>
<outline text="Tech" title="Tech"><outline type="rss" text="A feed" title="A feed" xmlUrl="http://127.0.0.1/a.xml" htmlUrl="http://127.0.0.1/"/></outline>
<outline text="News" title="News"><outline type="rss" text="B feed" title="B feed" xmlUrl="http://127.0.0.1/b.xml" htmlUrl="http://127.0.0.1/"/></outline>
</body></opml>""",
    "netnewswire": """<?xml version="1.0" encoding="UTF-8"?>
<!-- OPML generated by NetNewsWire -->
<opml version="1.1"><head><title>Subscriptions-OnMyMac.opml</title></head><body>
<outline text="Tech" title="Tech"><outline text="A feed" title="A feed" description="" type="rss" version="RSS" htmlUrl="http://127.0.0.1/" xmlUrl="http://127.0.0.1/a.xml"/></outline>
<outline text="B feed" title="B feed" description="" type="rss" version="RSS" htmlUrl="http://127.0.0.1/" xmlUrl="http://127.0.0.1/b.xml"/>
</body></opml>""",
}


@pytest.mark.parametrize("shape", sorted(OPML_SHAPES))
def test_opml_shapes_import_and_export_round_trip(shape: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / f"{shape}.opml"
    path.write_text(OPML_SHAPES[shape], encoding="utf-8")
    code, out, _ = run(capsys, "feed", "import", str(path))
    assert code == 0 and "subscribed to 2 feeds" in out
    with Library.open() as lib:
        feeds = {f.url: f for f in lib.subscribed()}
    assert set(feeds) == {"http://127.0.0.1/a.xml", "http://127.0.0.1/b.xml"}
    assert feeds["http://127.0.0.1/a.xml"].title == "A feed"
    if shape != "newsboat":
        assert feeds["http://127.0.0.1/a.xml"].tags == ("Tech",)
    if shape == "freshrss":
        assert feeds["http://127.0.0.1/b.xml"].tags == ("News", "Daily")
    code, exported, _ = run(capsys, "feed", "export")
    assert exported.startswith('<?xml version="1.0" encoding="UTF-8"?>') and '<opml version="2.0">' in exported
    again = tmp_path / "again.opml"
    again.write_text(exported, encoding="utf-8")
    code, out, _ = run(capsys, "feed", "import", str(again))
    assert "subscribed to 0 feeds (2 already subscribed)" in out


def test_opml_refuses_entities(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bomb.opml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body>&a;</body></opml>')
    code, _, err = run(capsys, "feed", "import", str(path))
    assert code == 1 and "refused" in err


def test_opml_outlines_that_are_no_feed_url_are_named_not_dropped(tmp_path: Path, capsys) -> None:
    """They used to be passed over without a word: "subscribed to 1 feeds"."""
    path = tmp_path / "mixed.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline type="rss" text="Broken" xmlUrl="http://[bad/x"/>'
        '<outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>'
        '<outline type="rss" text="Lost" htmlUrl="https://news.example/"/>'
        '<outline text="Folder"><outline type="rss" text="Good" xmlUrl="https://news.example/feed.xml"/></outline>'
        "</body></opml>"
    )
    code, out, err = run(capsys, "feed", "import", str(path))
    assert code == 1 and "subscribed to 1 feeds (0 already subscribed; 3 skipped)" in out
    lines = err.strip().splitlines()
    assert lines == [
        f"{path}: outline “Broken” (http://[bad/x) skipped: not a valid URL",
        f"{path}: outline “Script” (javascript:alert(1)) skipped: not an http(s) URL",
        f"{path}: outline “Lost” skipped: no xmlUrl",
    ]
    code, out, _ = run(capsys, "feed", "import", str(path), "--format", "json")
    report = json.loads(out)
    assert code == 1 and [f["url"] for f in report["known"]] == ["https://news.example/feed.xml"]
    assert [(s["title"], s["reason"]) for s in report["skipped"]] == [
        ("Broken", "not a valid URL"), ("Script", "not an http(s) URL"), ("Lost", "no xmlUrl")
    ]
    assert report["known"][0]["tags"] == ["Folder"]


_UPDATE = [sys.executable, "-m", "reader", "update"]


def test_sigkill_mid_update_loses_nothing_and_the_next_update_finishes(tmp_path: Path, data_dir: Path) -> None:
    """One feed answers at once; the other holds the update open until the test kills it."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    held = threading.Event()
    release = threading.Event()
    fast_items = [(f"f{i}", f"Fast {i}", LONG) for i in range(30)]
    slow_items = [(f"s{i}", f"Slow {i}", LONG) for i in range(5)]
    try:
        serve_feed(server, "/fast.xml", rss("Fast", fast_items))

        def slow(request: Request) -> WResponse:
            held.set()
            release.wait(30)
            return WResponse(rss("Slow", slow_items), content_type="application/rss+xml")

        server.expect_request("/slow.xml").respond_with_handler(slow)
        with Library.open() as lib:
            lib.feeds.db.add(server.url_for("/fast.xml"))
            lib.feeds.db.add(server.url_for("/slow.xml"))
        process = subprocess.Popen(_UPDATE, env=os.environ.copy(), stderr=subprocess.PIPE)
        assert held.wait(60)
        database = data_dir / "library.sqlite3"
        for _ in range(600):  # wait (at most 60 s) for the fast feed's update to be committed
            with sqlite3.connect(database) as db:
                if db.execute("SELECT COUNT(*) FROM feed_articles").fetchone()[0] == 30:
                    break
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        release.set()
        with Library.open() as lib:
            assert lib.count() == 30  # everything committed is there
        result = subprocess.run(_UPDATE, check=False, env=os.environ.copy(), capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "2 feeds: 5 new articles, 0 updated, 1 not modified, 0 failed" in result.stderr
        with Library.open() as lib:
            assert lib.count() == 35
            assert lib.search("Slow").total == 5 and lib.search("Fast").total == 30
    finally:
        release.set()
        server.clear()
        server.stop()


def test_a_feed_update_does_not_bring_a_deleted_entry_back(httpserver: HTTPServer, capsys) -> None:
    serve_feed(httpserver, "/feed.xml", rss("Harbour News", ITEMS))
    url = httpserver.url_for("/feed.xml")
    assert main(["feed", "add", url]) == 0 and main(["update"]) == 0
    with Library.open() as library:
        second = {r.title: r.id for r in library.list_articles()}["Second story"]
        library.delete([second])
        library.empty_trash()
    # Unsubscribed and subscribed again: the feed's own memory of the entry is gone, the deletion is not.
    assert main(["feed", "remove", url]) == 0 and main(["feed", "add", url]) == 0
    capsys.readouterr()
    assert main(["update"]) == 0
    assert "0 new articles" in capsys.readouterr().err
    with Library.open() as library:
        assert sorted(r.title for r in library.list_articles()) == ["First story", "Third story"]
