"""The list reads the whole result of a search, page by page as it nears the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Config
from reader.library import Library
from reader.model import Article, ListOrder, article_id
from reader.tui import make_app
from reader.tui.screens.library import SEARCH_LIMIT, Counts, LibraryScreen, RowsLoaded
from reader.tui.widgets.article_list import ArticleList

from .helpers import settle, wait_until

COUNT = 260  # more than four pages of SEARCH_LIMIT


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    articles = []
    for n in range(COUNT):
        title = f"Harbour report number {n}"
        url = f"https://news.example/harbour-{n}"
        published = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
        articles.append(Article(id=article_id(url=url, source="Gazette", title=title, published=published), title=title,
                                summary="", body=f"The harbour saw {n} ships today." + " Quiet water." * (n % 7),
                                language="en", source="Gazette", url=url, published=published))
    with Library.open(root) as library:
        library.add_articles(articles)
    return root


async def _search(pilot, query: str) -> None:
    await settle(pilot)
    await pilot.press("slash", *query)
    # the search starts when the keys settle (a timer): wait for its status, then for its pages
    await wait_until(pilot, lambda: "result" in str(pilot.app.screen.query_one("#status").render()))
    await settle(pilot)


async def test_end_reaches_the_last_of_every_result(big_library):
    assert SEARCH_LIMIT < COUNT
    async with make_app(big_library, Config()).run_test(size=(120, 40)) as pilot:
        await _search(pilot, "harbour")
        articles = pilot.app.query_one(ArticleList)
        assert len(articles.entries) == SEARCH_LIMIT
        status = str(pilot.app.screen.query_one("#status").render())
        assert "best" not in status and "more as you scroll" in status
        await pilot.press("down")  # to the list
        for _ in range(8):  # End, and again once the next page came
            await pilot.press("end")
            await settle(pilot)
        assert len(articles.entries) == COUNT
        assert articles.cursor == COUNT - 1
        assert len({entry.id for entry in articles.entries}) == COUNT  # every result once
        assert "more as you scroll" not in str(pilot.app.screen.query_one("#status").render())


async def test_scrolling_with_the_mouse_wheel_loads_the_next_page(big_library):
    async with make_app(big_library, Config()).run_test(size=(120, 40)) as pilot:
        await _search(pilot, "harbour")
        articles = pilot.app.query_one(ArticleList)
        articles.scroll_to(y=articles.max_scroll_y, animate=False, immediate=True)
        await wait_until(pilot, lambda: len(articles.entries) >= 2 * SEARCH_LIMIT)
        await settle(pilot)
        assert len(articles.entries) == 2 * SEARCH_LIMIT
        assert articles.cursor == 0  # the cursor stayed where it was


async def test_counts_are_formatted_alike(make_test_app):
    async with make_test_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        rows = list(pilot.app.query_one(ArticleList).entries)
        screen.post_message(RowsLoaded(rows, Counts(3000, 3000, 1200, 0), ListOrder.DATE))  # what loading a big library posts
        await settle(pilot)
        assert str(screen.query_one("#status").render()).startswith("3,000 articles · 3,000 unread · 1,200 bookmarked")


async def test_mark_all_read_takes_the_whole_result_of_a_search(tmp_path, big_library):
    import shutil

    data = tmp_path / "copy"
    shutil.copytree(big_library, data)
    with Library.open(data) as library:
        library.add_articles([Article(id=article_id(source="Other", title="Unrelated note", published="2026-12-31"),
                                      title="Unrelated note", summary="", body="Nothing about ships.", language="en",
                                      source="Other", url="", published="2026-12-31")])
    async with make_app(data, Config()).run_test(size=(120, 40)) as pilot:
        await _search(pilot, "harbour")
        assert len(pilot.app.query_one(ArticleList).entries) == SEARCH_LIMIT  # one page loaded of COUNT
        await pilot.press("down", "A")
        await settle(pilot)
        await settle(pilot)
    with Library.open(data) as library:
        assert library.count(unread=True) == 1  # every harbour article, not only the page shown
        assert [row.title for row in library.list_articles(unread=True)] == ["Unrelated note"]
