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
        assert {f.etag for f in lib.feeds.all()} == {f'"{name}"' for name in names}
    assert report.summary() == "10 feeds: 10 new articles, 0 updated, 0 not modified, 0 failed"
    assert statements.count("COMMIT") == 1
