"""Issue 15: Escape while the command palette is still gathering bookmarks must not crash the app.

Textual builds each hit's help line with ``get_component_styles``, which raises KeyError
once the palette is closing; on a big library our bookmark and article hits still arrive
then (2 of 5 runs crashed with an 860-line traceback). Our providers put the details in
the prompt itself (Content), so no hit needs the palette's styles.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.library import Library
from reader.model import Article
from reader.paths import database_path


def _bookmarked_library(data_dir: Path, count: int) -> None:
    with Library.open(data_dir) as library:
        library.add_articles(
            [Article(id=f"{i:032x}", title=f"Harbour story {i}", source="Kelmouth Post", body="Harbour words.", published="2024-01-01") for i in range(count)]
        )
    db = sqlite3.connect(database_path(data_dir), isolation_level=None)
    db.execute("INSERT INTO state (article_id, bookmarked) SELECT id, 1 FROM articles")
    db.close()


async def test_escape_while_the_palette_gathers_does_not_crash(data_dir: Path) -> None:
    from textual.command import CommandPalette

    from reader.config import Config
    from reader.tui import make_app

    from .helpers import settle

    _bookmarked_library(data_dir, 2000)
    app = make_app(data_dir, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for round_ in range(8):
            await pilot.press("ctrl+p")
            for _ in range(round_):
                await pilot.pause(0.05)  # close at a different point of the gathering each round
            await pilot.press("escape")
            await settle(pilot)
            assert app.is_running
            assert not isinstance(app.screen, CommandPalette)
        await pilot.press("ctrl+p", *"ha")
        await pilot.pause(0.05)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running

        # The crash path: a hit with help= is styled from the palette's component styles.
        from textual.command import CommandList

        await pilot.press("ctrl+p")
        await settle(pilot)  # the palette gathers in a worker
        options = app.screen.query_one(CommandList).options
        ours = [option.hit for option in options if str(option.hit.text or "").startswith("Harbour story")]
        assert ours, "the bookmarks are offered"
        assert all(hit.help is None for hit in ours)
        assert "Kelmouth Post" in str(ours[0].prompt)  # the details are in the prompt instead
        await pilot.press("escape")
    assert app.return_code in (0, None), app.return_code
