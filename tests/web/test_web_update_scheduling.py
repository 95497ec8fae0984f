"""How an update shares its slots (by host first, then in all) and its commits; events, never timings."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request
from werkzeug import Response as WResponse

import reader.web.feeds
from reader.library import Library
from reader.web.feeds import Updater
from reader.web.http import Limits

ITEM = "<item><title>{0}</title><link>http://127.0.0.1/{0}</link><guid>{0}</guid><description>{0} text.</description></item>"


def feed(name: str) -> str:
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title>{ITEM.format(name)}</channel></rss>"


@pytest.fixture
def second_server() -> Iterator[HTTPServer]:
    """Another host for per-host limits: the same address, another port."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_a_feed_waiting_for_its_host_leaves_the_slot_to_another_host(httpserver: HTTPServer, second_server: HTTPServer) -> None:
    """Two slots in all, one per host; host A's first feed answers only once host B's feed
    has been asked for. A's second feed waits for A's slot: if it held one of the two
    update slots meanwhile, B's feed would never start and A's first feed would give up."""
    other_host_asked = threading.Event()
    answered_after_b: list[bool] = []

    def slow_a(request: Request) -> WResponse:
        answered_after_b.append(other_host_asked.wait(20))
        return WResponse(feed("a1"), content_type="application/rss+xml")

    def b(request: Request) -> WResponse:
        other_host_asked.set()
        return WResponse(feed("b1"), content_type="application/rss+xml")

    httpserver.expect_request("/a1.xml").respond_with_handler(slow_a)
    httpserver.expect_request("/a2.xml").respond_with_data(feed("a2"), content_type="application/rss+xml")
    second_server.expect_request("/b1.xml").respond_with_handler(b)
    with Library.open() as lib:
        feeds = [lib.feeds.db.add(url)[0] for url in (
            httpserver.url_for("/a1.xml"), httpserver.url_for("/a2.xml"), second_server.url_for("/b1.xml"))]
        report = Updater(lib.feeds.db, Limits(per_host=1), concurrency=2, processes=0).update(feeds)
    assert answered_after_b == [True]
    assert report.summary() == "3 feeds: 3 new articles, 0 updated, 0 not modified, 0 failed"


def test_the_feeds_of_an_update_are_committed_together(httpserver: HTTPServer, monkeypatch) -> None:
    """Ten feeds' articles, links and validators in one commit (an fsync), not two a feed.
    (The batch's time limit is lifted: the last feed fetched commits the batch.)"""
    monkeypatch.setattr(reader.web.feeds, "WRITE_SECONDS", 600)
    names = [f"feed{n}" for n in range(10)]
    for name in names:
        httpserver.expect_request(f"/{name}.xml").respond_with_data(
            feed(name), content_type="application/rss+xml", headers={"ETag": f'"{name}"'})
    statements: list[str] = []
    with Library.open() as lib:
        feeds = [lib.feeds.db.add(httpserver.url_for(f"/{name}.xml"))[0] for name in names]
        lib._store._db.set_trace_callback(statements.append)
        report = Updater(lib.feeds.db, concurrency=10, processes=0).update(feeds)
        lib._store._db.set_trace_callback(None)
        assert {f.etag for f in lib.subscribed()} == {f'"{name}"' for name in names}
    assert report.summary() == "10 feeds: 10 new articles, 0 updated, 0 not modified, 0 failed"
    assert statements.count("COMMIT") == 1


def test_a_feed_waiting_for_a_parser_leaves_its_network_slot(httpserver: HTTPServer, monkeypatch) -> None:
    """One slot in all; the first feed's parse waits until the second feed has been asked
    for. Had the parse held the slot, the second feed could not be asked for meanwhile."""
    second_asked = threading.Event()
    parsed_after_second: list[bool] = []
    entries = reader.web.feeds._entries

    def slow_entries(response):
        if response.url.endswith("/f1.xml"):
            parsed_after_second.append(second_asked.wait(20))
        return entries(response)

    def f2(request: Request) -> WResponse:
        second_asked.set()
        return WResponse(feed("f2"), content_type="application/rss+xml")

    monkeypatch.setattr(reader.web.feeds, "_entries", slow_entries)
    httpserver.expect_request("/f1.xml").respond_with_data(feed("f1"), content_type="application/rss+xml")
    httpserver.expect_request("/f2.xml").respond_with_handler(f2)
    with Library.open() as lib:
        feeds = [lib.feeds.db.add(httpserver.url_for(f"/{name}.xml"))[0] for name in ("f1", "f2")]
        report = Updater(lib.feeds.db, concurrency=1, processes=0).update(feeds)
    assert parsed_after_second == [True]
    assert report.summary() == "2 feeds: 2 new articles, 0 updated, 0 not modified, 0 failed"


def test_full_text_pages_are_fetched_when_every_slot_is_taken(httpserver: HTTPServer, monkeypatch) -> None:
    """One network slot and a backlog of one feed: the parsed feed fetches its entry's page
    while the next feed, fetched, waits for the backlog holding the only network slot.
    The pages have slots of their own, so the update ends, every page fetched."""
    monkeypatch.setattr(reader.web.feeds, "BACKLOG_FACTOR", 1)
    names = [f"cut{n}" for n in range(3)]
    for name in names:
        item = (f"<item><title>{name}</title><link>{httpserver.url_for('/' + name + '.html')}</link>"
                f"<guid>{name}</guid><description>Only the start…</description></item>")
        httpserver.expect_request(f"/{name}.xml").respond_with_data(
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title>{item}</channel></rss>",
            content_type="application/rss+xml")
        page = f"<html><body><article><h1>{name}</h1>" + f"<p>The whole of {name}, at length. </p>" * 40 + "</article></body></html>"
        httpserver.expect_request(f"/{name}.html").respond_with_data(page, content_type="text/html")
    with Library.open() as lib:
        for name in names:
            added, _ = lib.feeds.db.add(httpserver.url_for(f"/{name}.xml"))
            lib.feeds.configure(added.id, full_text=True)
        reports = []
        # In a thread with a time limit: a deadlock must fail this test, not hang the run.
        update = threading.Thread(
            target=lambda: reports.append(Updater(lib.feeds.db, concurrency=1, processes=0).update(lib.subscribed())),
            daemon=True,
        )
        update.start()
        update.join(60)
        assert not update.is_alive(), "the update never ended: a page waited for a slot held by a waiting feed"
        bodies = [lib.get(row.id).body for row in lib.list_articles()]
    [report] = reports
    assert report.summary() == "3 feeds: 3 new articles, 0 updated, 0 not modified, 0 failed"
    assert len(bodies) == 3 and all("at length" in body for body in bodies)
