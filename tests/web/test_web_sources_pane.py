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
    """What the screen's widgets draw (tests/tui/helpers.py)."""
    import sys

    sys.path.insert(0, "tests/tui")
    from helpers import drawn

    return drawn(app)


def _toasts(app) -> str:
    import sys

    sys.path.insert(0, "tests/tui")
    from helpers import toasts

    return toasts(app)


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
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
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
        empty_entry = "<item><guid>empty-entry</guid></item></channel>"  # no text: left out, and said
        document = rss("Rail", ["Night train back", "Sleeper sold out"]).replace("</channel>", empty_entry)
        httpserver.expect_request("/rail.xml").respond_with_data(document)
        pane.focus()
        await pilot.press("r")
        for _ in range(50):  # the update is a task: its closing note comes when it ends
            if "skipped" in _toasts(app):
                break
            await pilot.pause(0.1)
        assert "Rail: entry 3 (“empty-entry”) skipped: no title found" in _toasts(app)
        await pilot.press("enter")
        await _settle(pilot)
        text = _screen(app)
        assert "Sleeper sold out" in text and "Rail 2" in text


async def test_no_feeds_no_pane(data_dir) -> None:
    from reader.tui import make_app

    with Library.open(data_dir) as lib:  # no samples either: their tags would bring the pane's Tags section
        lib.mark_samples_offered()
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


async def test_reader_key_fetches_the_full_text_and_a_cards_page(httpserver: HTTPServer, data_dir) -> None:
    from reader.model import Article, RelatedLink, article_id
    from reader.tui import make_app
    from reader.tui.screens.article import ArticleScreen

    full = f"<html><body><article><h1>Cut</h1><p>{LONG}</p><p>The ending nobody saw.</p></article></body></html>"
    httpserver.expect_request("/cut.html").respond_with_data(full, content_type="text/html")
    httpserver.expect_request("/broken.html").respond_with_data("no", status=500)
    other = f"<html><head><title>Related elsewhere</title></head><body><article><h1>Related elsewhere</h1><p>{LONG}</p></article></body></html>"
    httpserver.expect_request("/other.html").respond_with_data(other, content_type="text/html")
    cut_url, broken_url = httpserver.url_for("/cut.html"), httpserver.url_for("/broken.html")
    articles = [
        Article(id=article_id(url=cut_url), title="Cut", body="Only the beginning…", url=cut_url, source="S",
                published="2026-12-01",
                related=(RelatedLink("Related elsewhere", "A card only.", "en", httpserver.url_for("/other.html")),)),
        Article(id=article_id(url=broken_url), title="Broken", body="Kept as it was.", url=broken_url, source="S",
                published="2026-11-30"),
    ]
    with Library.open(data_dir) as lib:
        lib.mark_samples_offered()
        lib.add_articles(articles)
    app = make_app(data_dir, Config())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _settle(pilot)
        app.push_screen(ArticleScreen(articles[1].id))
        await _settle(pilot)
        await pilot.press("F")
        await _settle(pilot)
        assert "Kept as it was." in _screen(app)
        assert "500 Internal Server Error" in _toasts(app)
        app.pop_screen()
        app.push_screen(ArticleScreen(articles[0].id))
        await _settle(pilot)
        await pilot.press("F")
        await _settle(pilot)
        assert "The ending nobody saw." in _screen(app)
        # The related card is not in the library: F on it saves its page and opens it.
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await pilot.press("tab")
        await pilot.press("enter")
        await _settle(pilot)
        assert "Not in your library" in _screen(app)
        assert "F fetches and saves it" in _screen(app)  # the offer
        await pilot.press("F")
        await _settle(pilot)
        text = _screen(app)
        assert "Related elsewhere" in text and "Not in your library" not in text
    with Library.open(data_dir) as lib:
        assert lib.count() == 3
