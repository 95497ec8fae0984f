"""An update keeps one connection a host (per ``per_host``) open for its next feed.

Feeds of many hosts interleaved, as 1,000 feeds of 50 hosts are: a pool smaller than
the hosts needs closes an idle connection of one host for the next feed of another,
and reconnects to it a moment later (600 connections for 1,000 feeds).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from reader.importers import parse_bytes
from reader.library import Library
from reader.web.feeds import Updater
from reader.web.http import Limits

HOSTS = 4
FEEDS_A_HOST = 5


class _Counting(http.server.ThreadingHTTPServer):
    daemon_threads = True
    connections = 0
    lock = threading.Lock()

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        with self.lock:
            type(self).connections += 1
        super().process_request(request, client_address)


def _document(name: str) -> bytes:
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title><item><title>{name} story</title>"
        f"<guid>{name}-1</guid><description>The one story of {name}.</description></item></channel></rss>"
    ).encode()


class _Feeds(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        name = self.path.strip("/").split(".")[0]
        body = _document(name)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hosts() -> Iterator[list[str]]:
    """HOSTS servers on 127.0.0.1 .. 127.0.0.HOSTS (one port), counting connections."""
    _Counting.connections = 0
    first = _Counting(("127.0.0.1", 0), _Feeds)
    port = first.server_address[1]
    servers = [first] + [_Counting((f"127.0.0.{h}", port), _Feeds) for h in range(2, HOSTS + 1)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [f"http://127.0.0.{h}:{port}" for h in range(1, HOSTS + 1)]
    for server in servers:
        server.shutdown()
        server.server_close()


def test_an_update_of_interleaved_hosts_opens_one_connection_a_host(hosts: list[str]) -> None:
    # The first parse of a process loads the language model (seconds on a busy machine):
    # done before, so that no connection sits idle past httpx's keep-alive expiry (5 s).
    parse_bytes(_document("warm-up"), "feed.xml")
    with Library.open() as lib:
        # Interleaved: host 1, 2, 3, 4, 1, 2, ... each feed of a host after the three others.
        feeds = [lib.feeds.db.add(f"{hosts[h]}/f{n}-{h}.xml")[0] for n in range(FEEDS_A_HOST) for h in range(HOSTS)]
        limits = Limits(per_host=1, connections=2)
        report = Updater(lib.feeds.db, limits, concurrency=2, processes=0).update(feeds)
    assert report.summary() == f"{HOSTS * FEEDS_A_HOST} feeds: {HOSTS * FEEDS_A_HOST} new articles, 0 updated, 0 not modified, 0 failed"
    assert _Counting.connections == HOSTS
