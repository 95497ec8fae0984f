"""The app's sources pane with feeds served on 127.0.0.1 (Pilot)."""

from __future__ import annotations

import asyncio

from pytest_httpserver import HTTPServer

from reader.config import Config
from reader.library import Library
from reader.tui.widgets.sources import SourcesPane

LONG = "Words of a story that is long enough to be the whole text of it. " * 12


def rss(title: str, items: list[str]) -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>http://127.0.0.1/{i}-{title}</link><description>{LONG}</description></item>"
        for i, t in enumerate(items)
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>{entries}</channel></rss>"


def _screen(app) -> str:
    import sys

    sys.path.insert(0, "tests/tui")
    from helpers import screen_text

    return screen_text(app)


async def _settle(pilot) -> None:
    import sys

    sys.path.insert(0, "tests/tui")
    from helpers import settle

    await settle(pilot, rounds=6)


async def test_sources_pane_filters_updates_and_shows_errors(httpserver: HTTPServer, data_dir) -> None:
    from reader.tui import make_app

    httpserver.expect_request("/harbour.xml").respond_with_data(rss("Harbour", ["Pilots strike", "Ferry late"]))
    httpserver.expect_request("/rail.xml").respond_with_data(rss("Rail", ["Night train back"]))
    httpserver.expect_request("/broken.xml").respond_with_data("no", status=404)
    def subscribe_and_update() -> None:  # in a thread: updates run their own event loop
        with Library.open(data_dir) as lib:
            for name in ("harbour", "rail", "broken"):
                lib.feeds.db.add(httpserver.url_for(f"/{name}.xml"), name.title() if name == "broken" else "")
            lib.update_feeds()

    await asyncio.to_thread(subscribe_and_update)
    app = make_app(data_dir, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        pane = app.screen.query_one(SourcesPane)
        assert pane.display
        text = _screen(app)
        assert "All articles 3" in text and "Harbour 2" in text and "Rail 1" in text
        assert "! 404 Not Found" in text
        assert "Night train back" in text and "Pilots strike" in text
        # Choose "Rail" (the lines: All articles, Broken, Harbour, Rail): only its article is listed.
        pane.focus()
        await pilot.press("down", "down", "down")
        await pilot.press("enter")
        await _settle(pilot)
        text = _screen(app)
        assert "Night train back" in text and "Pilots strike" not in text
        # r updates the highlighted feed: a new entry appears.
        httpserver.clear()
        httpserver.expect_request("/rail.xml").respond_with_data(rss("Rail", ["Night train back", "Sleeper sold out"]))
        pane.focus()
        await pilot.press("r")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        text = _screen(app)
        assert "Sleeper sold out" in text and "Rail 2" in text


async def test_no_feeds_no_pane(data_dir) -> None:
    from reader.tui import make_app

    app = make_app(data_dir, Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        assert not app.screen.query_one(SourcesPane).display


async def test_add_url_key_saves_and_lists_the_page(httpserver: HTTPServer, data_dir) -> None:
    from reader.tui import make_app

    page = f"<html><head><title>Saved for later</title></head><body><article><h1>Saved for later</h1><p>{LONG}</p></article></body></html>"
    httpserver.expect_request("/later.html").respond_with_data(page, content_type="text/html")
    with Library.open(data_dir) as lib:
        lib.mark_samples_offered()
    app = make_app(data_dir, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("a")
        await _settle(pilot)
        await pilot.press(*httpserver.url_for("/later.html"), "enter")
        await _settle(pilot)
        assert "Saved for later" in _screen(app)
