"""Where an update parses: parser processes under every start method, never short."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from reader.errors import ImporterCrashed
from reader.library import Library
from reader.web.feeds import PARSER_NICENESS, Parsers, Updater
from reader.web.http import Response

METHODS = [m for m in ("fork", "forkserver", "spawn") if m in multiprocessing.get_all_start_methods()]
ENTRY = "<item><title>{0} story {1}</title><link>http://127.0.0.1/{0}/{1}</link><guid>{0}-{1}</guid><description>Story {1} of {0}, told in a sentence or two.</description></item>"


def feed(name: str, entries: int = 3) -> str:
    items = "".join(ENTRY.format(name, i) for i in range(entries))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title>{items}</channel></rss>"


def subscribe(lib: Library, server: HTTPServer, names: list[str]) -> list:
    for name in names:
        server.expect_request(f"/{name}.xml").respond_with_data(feed(name), content_type="application/rss+xml")
    return [lib.feeds.db.add(server.url_for(f"/{name}.xml"))[0] for name in names]


@pytest.mark.parametrize("method", METHODS)
def test_parser_processes_store_what_a_thread_would(httpserver: HTTPServer, method: str, tmp_path: Path) -> None:
    names = [f"feed{n}" for n in range(6)]
    with Library.open() as lib:
        feeds = subscribe(lib, httpserver, names)
        report = Updater(lib.feeds.db, processes=2, start_method=method).update(feeds)
        in_processes = {a.id: (a.title, a.body, a.language) for a in lib.export()}
    assert report.summary() == "6 feeds: 18 new articles, 0 updated, 0 not modified, 0 failed"
    with Library.open(tmp_path / "threaded") as lib:
        report = Updater(lib.feeds.db, processes=0).update(subscribe(lib, httpserver, names))
        in_a_thread = {a.id: (a.title, a.body, a.language) for a in lib.export()}
    assert in_processes == in_a_thread and len(in_a_thread) == 18


def _niceness(response: Response) -> int:
    return os.nice(0)


@pytest.mark.parametrize("method", METHODS)
def test_parser_processes_yield_the_cores_to_the_update(method: str) -> None:
    """The event loop that fetches must not wait for a core behind the parsers."""
    response = Response("http://127.0.0.1/feed.xml", 200, b"<rss/>")

    async def parse(parsers: Parsers) -> int:
        return await parsers.run(_niceness, response)

    with Parsers(1, method) as parsers:
        assert asyncio.run(parse(parsers)) == min(19, os.nice(0) + PARSER_NICENESS)


def _dies_in_a_parser_process(response: Response) -> str:
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return f"parsed {response.url} here"


def test_a_parser_process_that_dies_is_replaced_by_a_thread() -> None:
    response = Response("http://127.0.0.1/feed.xml", 200, b"<rss/>")

    async def parse(parsers: Parsers) -> list[str]:
        return await asyncio.gather(*(parsers.run(_dies_in_a_parser_process, response) for _ in range(3)))

    with Parsers(1, "fork") as parsers:
        assert asyncio.run(parse(parsers)) == ["parsed http://127.0.0.1/feed.xml here"] * 3


def test_an_importer_crash_fails_its_feed_and_the_update_goes_on(httpserver: HTTPServer, monkeypatch) -> None:
    import reader.importers

    real = reader.importers.parse_bytes

    def crashing(data: bytes, name: str = "", skipped: list[str] | None = None, *, address: str = ""):
        if b"<title>bad</title>" in data:
            raise ImporterCrashed(ValueError("a parser bug"))
        return real(data, name, skipped)

    monkeypatch.setattr(reader.importers, "parse_bytes", crashing)
    with Library.open() as lib:
        report = Updater(lib.feeds.db, processes=0).update(subscribe(lib, httpserver, ["good", "bad"]))
        assert lib.count() == 3
    assert report.summary() == "2 feeds: 3 new articles, 0 updated, 0 not modified, 1 failed"
    assert report.failed[0].error == "importer crashed (ValueError: a parser bug)"


_ORPHAN = """
import os, sys
from reader.web.feeds import Parsers
with Parsers(1, sys.argv[1]) as parsers:
    pool = parsers._pool
    print(pool.submit(os.getpid).result(), flush=True)
    sys.stdin.read()
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize("method", METHODS)
def test_parser_processes_end_with_a_killed_update(method: str) -> None:
    update = subprocess.Popen([sys.executable, "-c", _ORPHAN, method], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert update.stdout is not None
        worker = int(update.stdout.readline())
        update.send_signal(signal.SIGKILL)
        update.wait(30)
        status = Path(f"/proc/{worker}/status")
        for _ in range(300):  # at most 30 s for the parser to notice
            try:
                if "\nState:\tZ" in status.read_text():
                    break  # ended; nobody reaped it yet
            except FileNotFoundError:
                break  # ended and reaped
            time.sleep(0.1)
        else:
            os.kill(worker, signal.SIGKILL)
            pytest.fail(f"the parser process {worker} outlived its killed parent")
    finally:
        update.kill()
