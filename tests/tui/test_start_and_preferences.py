"""Start-up behaviour: samples only once, a read-only library, outside changes repaired,
and the theme and reading width remembered across starts (config.toml still wins)."""

from __future__ import annotations

import pytest

import reader.store
import reader.tui.screens.library as library_screen
from reader.config import Config
from reader.library import Library
from reader.model import Article
from reader.paths import database_path
from reader.store import Store
from reader.tui import make_app
from reader.tui.screens.article import ArticleScreen
from reader.tui.widgets.article_list import ArticleList

from .conftest import find_id
from .helpers import run_command, settle, shown, shown_at, toasts

SIZE = (120, 40)


# -- samples once ---------------------------------------------------------------------


async def test_samples_are_offered_on_the_first_start_only(data_dir):
    async with make_app(data_dir, Config()).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, rounds=5)
        assert len(pilot.app.query_one(ArticleList).entries) > 20
        assert "Welcome to Reader" in toasts(pilot.app)
    with Library.open(data_dir) as library:
        assert library.samples_offered()
        library.delete([row.id for row in library.list_articles()])  # the user empties it on purpose
    async with make_app(data_dir, Config()).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, rounds=5)
        assert "Welcome to Reader" not in toasts(pilot.app)
        assert shown_at(pilot.app, "#status").startswith("Your library is empty: import articles from the command palette")
        assert pilot.app.query_one(ArticleList).entries == []
    with Library.open(data_dir) as library:
        assert library.count() == 0


def test_importing_the_samples_marks_them_offered(data_dir):
    with Library.open(data_dir) as library:
        assert not library.samples_offered()
        library.import_samples()
        assert library.samples_offered()


def test_a_library_that_ever_held_articles_counts_as_offered(library_dir):
    with Library.open(library_dir) as library:
        library.delete([row.id for row in library.list_articles()])
        assert library.count() == 0 and library.samples_offered()


# -- read-only ------------------------------------------------------------------------


@pytest.fixture
def read_only(monkeypatch):
    """Every library opened from here on is read-only, as on a read-only mount."""
    monkeypatch.setattr(reader.store, "writable", lambda path: False)


async def test_read_only_library_says_so_once_and_writes_nothing(make_test_app, library_dir, read_only):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert pilot.app.library.read_only
        assert toasts(pilot.app).count("This library is read-only") == 1
        await pilot.press("b", "b", "u")
        await settle(pilot)
        entry = pilot.app.query_one(ArticleList).entry
        assert not entry.bookmarked and not entry.read  # no star that would never be saved
        assert toasts(pilot.app).count("this change cannot be saved") == 1
        assert "★" not in shown(pilot.app.query_one(ArticleList))
        await pilot.press("enter")  # opening it would mark it read and remember the position
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert "☆ Not bookmarked" in shown_at(pilot.app, "#article-header")
        await pilot.press("ctrl+d", "b", "greater_than_sign", "escape")
        await settle(pilot)
        assert "Could not save" not in toasts(pilot.app)
        assert not pilot.app.query_one(ArticleList).entry.read
    with Library.open(library_dir) as library:  # still read-only here: only reading
        article = library.get(find_id("Kelmouth"))
        assert not article.read and not article.bookmarked
        assert library.position(article.id) == 0
        assert library.preference("ui.reading_width") is None


async def test_empty_read_only_library_gets_no_samples(data_dir, read_only):
    Library.open(data_dir).close()  # create the (empty) database while it may still be written
    async with make_app(data_dir, Config()).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, rounds=5)
        text = toasts(pilot.app)
        assert "This library is read-only" in text and "Welcome to Reader" not in text
        assert pilot.app.query_one(ArticleList).entries == []


# -- outside changes --------------------------------------------------------------------


async def test_an_import_killed_elsewhere_is_indexed_when_noticed(make_test_app, library_dir, monkeypatch):
    monkeypatch.setattr(library_screen, "INDEX_CHECK_DELAY", 0.05)
    app = make_test_app()
    synced: list[object] = []
    real_sync = app.library.sync_index

    def sync_index(*args, **kwargs):
        report = real_sync(*args, **kwargs)
        synced.append(report)
        return report

    app.library.sync_index = sync_index
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # bounded: the start-up check is a timer, then a worker
            if synced:
                break
            await pilot.pause(0.05)
        await settle(pilot)
        assert synced  # the start-up index check has run: what follows is an outside change
        # What a killed import leaves: the article in the store, not in the index.
        store = Store.open(database_path(library_dir))
        store.upsert([Article(id="e" * 16, title="Zeppelin mooring mast restored", body="The zeppelin mast.",
                              published="2026-04-02")])
        store.close()
        pilot.app.poll_changes()
        await settle(pilot, rounds=5)
        assert pilot.app.query_one(ArticleList).entries[0].title == "Zeppelin mooring mast restored"
        await pilot.press("slash", *"zeppelin")
        await settle(pilot, rounds=5)
        assert shown_at(pilot.app, "#status").startswith("1 result for “zeppelin”")


# -- remembered choices -----------------------------------------------------------------


async def test_theme_and_reading_width_are_remembered(library_dir):
    async with make_app(library_dir, Config()).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, "theme")
        await pilot.press(*"nord")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.theme == "nord"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("greater_than_sign", "greater_than_sign")
        await settle(pilot)
        assert pilot.app.reading_width == 88
    with Library.open(library_dir) as library:
        assert library.preference("ui.theme") == "nord"
        assert library.preference("ui.reading_width") == "88"
    async with make_app(library_dir, Config()).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "nord" and pilot.app.reading_width == 88
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen.query_one("#article-column").size.width == 88 - 4


async def test_config_toml_wins_over_remembered_choices(library_dir, config_dir):
    with Library.open(library_dir) as library:
        library.set_preference("ui.theme", "nord")
        library.set_preference("ui.reading_width", "100")
    (config_dir / "config.toml").write_text('theme = "gruvbox"\nreading_width = 60\n')
    async with make_app(library_dir).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "gruvbox" and pilot.app.reading_width == 60
    (config_dir / "config.toml").write_text('reading_width = 64\n')  # theme not set: remembered one
    async with make_app(library_dir).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "nord" and pilot.app.reading_width == 64
    with Library.open(library_dir) as library:  # starting with config values saved nothing
        assert library.preference("ui.theme") == "nord"
        assert library.preference("ui.reading_width") == "100"
