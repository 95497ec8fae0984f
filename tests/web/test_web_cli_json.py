"""``--format json`` of the network commands, against feeds and pages on 127.0.0.1:
subscriptions, updates and saved pages as data, their failures as data too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request
from werkzeug import Response as WResponse

from reader.cli import main

LONG = "A paragraph of the article that is long enough to count as full text. " * 12
ITEMS = [("a1", "First story", LONG), ("a2", "Second story", LONG), ("a3", "Third story", LONG)]


def rss(title: str, items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<item><title>{t}</title><link>http://127.0.0.1/{path}</link><guid>{path}</guid>"
        f"<description>{d}</description><pubDate>Tue, 01 Dec 2026 0{i}:00:00 GMT</pubDate></item>"
        for i, (path, t, d) in enumerate(items)
    )
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>{body}</channel></rss>"


def serve_feed(server: HTTPServer, path: str, document: str, etag: str = '"v1"') -> None:
    def handler(request: Request) -> WResponse:
        if request.headers.get("If-None-Match") == etag:
            return WResponse(status=304)
        return WResponse(document, content_type="application/rss+xml; charset=utf-8", headers={"ETag": etag})

    server.expect_request(path).respond_with_handler(handler)

HOSTILE = 'Harbour "News" \x1b[31m[b]x[/b]'


def as_json(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> dict:
    got = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert got == code, err
    assert "\x1b" not in out
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def test_feed_commands_and_update_as_json(httpserver: HTTPServer, capsys, tmp_path: Path) -> None:
    serve_feed(httpserver, "/feed.xml", rss("Harbour &quot;News&quot; [b]x[/b]", ITEMS))
    httpserver.expect_request("/missing.xml").respond_with_data("no", status=404)
    added = as_json(capsys, "feed", "add", httpserver.url_for("/feed.xml"), "--tag", "port")
    assert added["subscribed"] is True and added["feed"]["url"] == httpserver.url_for("/feed.xml")
    assert added["feed"]["tags"] == ["port"]
    feed_id = added["feed"]["id"]
    assert as_json(capsys, "feed", "add", httpserver.url_for("/feed.xml"))["subscribed"] is False

    report = as_json(capsys, "update")
    assert (report["feeds"], report["added"], report["updated"], report["failed"]) == (1, 3, 0, 0)
    [result] = report["results"]
    assert result["id"] == feed_id and result["status"] == "updated" and result["added"] == 3
    assert result["title"] == 'Harbour "News" [b]x[/b]'
    again = as_json(capsys, "update")
    assert again["not_modified"] == 1 and again["results"][0]["status"] == "not modified"

    renamed = as_json(capsys, "feed", "rename", feed_id[:6], HOSTILE)
    assert renamed["id"] == feed_id and "[b]x[/b]" in renamed["title"]
    configured = as_json(capsys, "feed", "set", feed_id[:6], "--full-text", "on", "--interval", "30")
    assert configured["full_text"] is True and configured["update_interval"] == 30
    code = main(["feed", "list", "--format", "json"])
    [listed] = json.loads(capsys.readouterr().out)
    assert code == 0 and listed["unread"] == 3 and listed["total"] == 3 and listed["title"] == renamed["title"]

    opml = tmp_path / "feeds.opml"
    opml.write_text(
        "<?xml version='1.0'?><opml version='2.0'><body>"
        f"<outline type='rss' text='Known' xmlUrl='{httpserver.url_for('/feed.xml')}'/>"
        f"<outline type='rss' text='Missing' xmlUrl='{httpserver.url_for('/missing.xml')}'/>"
        "</body></opml>", encoding="utf-8",
    )
    imported = as_json(capsys, "feed", "import", str(opml))
    assert [f["url"] for f in imported["added"]] == [httpserver.url_for("/missing.xml")]
    assert [f["id"] for f in imported["known"]] == [feed_id]

    failing = as_json(capsys, "update", code=1)  # the missing feed fails: a result that says why
    failed = [r for r in failing["results"] if r["status"] == "failed"]
    assert failing["failed"] == 1 and failed[0]["url"] == httpserver.url_for("/missing.xml") and failed[0]["error"]

    removed = as_json(capsys, "feed", "remove", feed_id[:6], "--delete-articles")
    assert removed == {"unsubscribed": renamed["title"], "deleted_articles": 3, "kept_bookmarked": 0}


def test_feed_add_on_a_page_with_several_feeds_gives_the_choices_as_data(httpserver: HTTPServer, capsys) -> None:
    links = "".join(
        f"<link rel='alternate' type='application/rss+xml' title='Feed {n}' href='/f{n}.xml'>" for n in (1, 2)
    )
    httpserver.expect_request("/two.html").respond_with_data(f"<html><head>{links}</head></html>", content_type="text/html")
    choice = as_json(capsys, "feed", "add", httpserver.url_for("/two.html"), code=1)
    assert choice["error"]
    assert [(c["number"], c["title"], c["url"]) for c in choice["choices"]] == [
        (1, "Feed 1", httpserver.url_for("/f1.xml")), (2, "Feed 2", httpserver.url_for("/f2.xml")),
    ]


def test_add_saves_pages_and_reports_failures_as_data(httpserver: HTTPServer, capsys) -> None:
    page = f"<html><head><title>Saved page</title></head><body><article><h1>Saved page</h1><p>{LONG}</p><p>Second paragraph.</p></article></body></html>"
    httpserver.expect_request("/story.html").respond_with_data(page, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/404.html").respond_with_data("no", status=404)
    report = as_json(capsys, "add", httpserver.url_for("/story.html"), httpserver.url_for("/404.html"), code=1)
    [saved] = report["saved"]
    # the lead paragraph is kept as the summary: its words are the article's words too
    assert saved["words"] == len(LONG.split()) + 2
    assert saved["title"] == "Saved page" and saved["new"] is True and len(saved["id"]) > 8
    [failed] = report["failed"]
    assert failed["url"] == httpserver.url_for("/404.html") and "404" in failed["error"]
    again = as_json(capsys, "add", httpserver.url_for("/story.html"))
    assert again["saved"][0]["new"] is False and again["failed"] == []


def test_add_counts_the_words_of_a_page_of_one_paragraph(httpserver: HTTPServer, capsys) -> None:
    """A page of one paragraph keeps it as its summary; "saved … 0 words" read as a page lost."""
    page = f"<html><head><title>One paragraph</title></head><body><article><h1>One paragraph</h1><p>{LONG}</p></article></body></html>"
    httpserver.expect_request("/one.html").respond_with_data(page, content_type="text/html; charset=utf-8")
    [saved] = as_json(capsys, "add", httpserver.url_for("/one.html"))["saved"]
    assert saved["words"] == len(LONG.split())
