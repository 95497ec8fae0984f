"""The reader screen's header names the author beside source and date, as text."""

from __future__ import annotations

from pathlib import Path

from reader.config import Config
from reader.library import Library
from reader.model import Article
from reader.tui import make_app
from reader.tui.screens.article import ArticleScreen


async def test_header_names_the_author_as_text(data_dir: Path) -> None:
    article = Article(
        id="a1b2c3d4e5f60718", title="Harbour reopens", body="The ferries run again from Monday.",
        source="Kelmouth Gazette", published="2026-03-10", language="en", author="[b]Ann[/b] Lee, Bo Kim",
    )
    with Library.open(data_dir) as library:
        library.add_articles([article])
    app = make_app(data_dir, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, ArticleScreen)
        header = pilot.app.screen.query_one("#article-header").render()
        text = str(getattr(header, "plain", header))
        # drawn as typed (no bold); the header may put "1 min read" on the bookmark's line
        assert "by [b]Ann[/b] Lee, Bo Kim · Kelmouth Gazette · 2026-03-10 · English" in text
        assert "1 min read" in text
