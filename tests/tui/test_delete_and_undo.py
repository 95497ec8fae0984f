"""Deleting from the app: d to the trash with the cursor on the next article, z undoes,
the reader's d goes back to the list, the palette's trash, samples and confirmations."""

from __future__ import annotations

from reader.config import Config
from reader.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.trash import TrashScreen
from reader.tui.widgets.article_list import ArticleList

from .conftest import HOSTILE, find_id
from .helpers import run_command, settle, shown, shown_at, toasts, wait_until

SIZE = (120, 40)
PACT = "Kelmouth and Lindholm sign harbour pact"
TRAIN = "Night train to the Alps returns"


def _titles(app) -> list[str]:
    return [e.title for e in app.query_one(ArticleList).entries]


def _trashed(library_dir) -> list[str]:
    with Library.open(library_dir) as other:
        return [t.title for t in other.trash()]


async def test_d_deletes_the_article_under_the_cursor_and_moves_on(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        assert _titles(pilot.app)[0] == TRAIN  # at once, before the store is written
        assert pilot.app.query_one(ArticleList).entry.title == TRAIN
        assert shown_at(pilot.app, "#status") == "4 articles · 4 unread · 0 bookmarked · 1 in the trash"
        await settle(pilot)
        assert f"Deleted “{PACT}” — z to undo" in toasts(pilot.app)
        assert _trashed(library_dir) == [PACT]
        with Library.open(library_dir) as other:
            assert PACT not in [r.title for r in other.list_articles()]
            assert other.search("pilots training centre").total == 0


async def test_z_undoes_the_deletions_one_by_one_with_their_state(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("b", "j", "d")  # bookmark the pact, then delete the night train
        await pilot.press("k", "d")  # and the pact, bookmarked a moment ago
        await settle(pilot)
        assert PACT not in _titles(pilot.app) and TRAIN not in _titles(pilot.app)
        assert sorted(_trashed(library_dir)) == sorted([PACT, TRAIN])
        await pilot.press("z")
        assert _titles(pilot.app)[0] == PACT
        assert pilot.app.query_one(ArticleList).entry.title == PACT
        await settle(pilot)
        assert "Restored “Kelmouth and Lindholm" in toasts(pilot.app)
        with Library.open(library_dir) as other:
            assert other.get(find_id("Kelmouth and Lindholm")).bookmarked  # the bookmark came back with it
        await pilot.press("z")
        await settle(pilot)
        assert _titles(pilot.app)[:2] == [PACT, TRAIN]
        assert shown_at(pilot.app, "#status") == "5 articles · 5 unread · 1 bookmarked"  # the trash empty again
        assert _trashed(library_dir) == []
        await pilot.press("z")
        assert "Nothing to undo" in toasts(pilot.app)


async def test_b_d_z_handled_before_the_bookmark_is_shown_bring_it_back_bookmarked(make_test_app, library_dir):
    """b, d and z arriving together (tmux, a loaded machine): d took the row before the
    bookmark's FlagChanged reached it, and z put back the row unbookmarked ("0 bookmarked")."""
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        screen.action_toggle_bookmark()  # its FlagChanged is posted, not yet handled
        screen.action_delete_article()
        await settle(pilot)
        screen.action_undo_delete()
        await settle(pilot)
        assert pilot.app.query_one(ArticleList).entry.title == PACT
        assert pilot.app.query_one(ArticleList).entry.bookmarked
        assert "· 1 bookmarked" in shown_at(pilot.app, "#status")
        with Library.open(library_dir) as other:
            assert other.get(find_id("Kelmouth and Lindholm")).bookmarked


async def test_d_in_search_results_and_z_puts_the_hit_back(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", *"kelmouth")
        await settle(pilot)
        before = _titles(pilot.app)
        assert len(before) >= 2
        await pilot.press("down")  # to the list, the query kept
        await pilot.press("down", "d")
        await settle(pilot)
        assert before[1] not in _titles(pilot.app)
        assert _titles(pilot.app) == before[:1] + before[2:]
        await pilot.press("z")
        await settle(pilot)
        assert _titles(pilot.app) == before
        assert pilot.app.query_one(ArticleList).entry.title == before[1]


async def test_d_in_the_reader_deletes_and_goes_back_to_the_list(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert TRAIN not in _titles(pilot.app)
        assert _trashed(library_dir) == [TRAIN]
        with Library.open(library_dir) as other:
            assert other.trash()[0].id == find_id(TRAIN)
        await pilot.press("z")
        await settle(pilot)
        with Library.open(library_dir) as other:
            assert other.get(find_id(TRAIN)).read  # opened: read, and still read after the restore


async def test_a_title_with_markup_is_shown_as_typed_in_the_notice(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("G", "d")
        await settle(pilot)
        assert HOSTILE[:30] in toasts(pilot.app)  # markup shown as text, nothing run
        await run_command(pilot, "Show trash")
        listed = shown(pilot.app.screen.query_one("#trash-options"))
        assert HOSTILE[:30] in listed and "[red]Evil[/red] Source" in listed
        assert pilot.app.is_running


async def test_the_keys_can_be_remapped(make_test_app, library_dir):
    config = Config(keys={"delete_article": "x", "undo_delete": "U"})
    async with make_test_app(config).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert _trashed(library_dir) == [PACT]
        assert "— U to undo" in toasts(pilot.app)
        await pilot.press("U")
        await settle(pilot)
        assert _trashed(library_dir) == []


async def test_the_trash_lists_and_restores_and_empties_after_asking(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d", "d")  # the pact, then the night train (the cursor moved on to it)
        await settle(pilot)
        await run_command(pilot, "Show trash")
        assert isinstance(pilot.app.screen, TrashScreen)
        listed = shown(pilot.app.screen.query_one("#trash-options"))
        assert PACT in listed and TRAIN in listed and "emptied in 30 days" in listed
        await pilot.press("enter")  # restores the highlighted one: the last deleted
        await settle(pilot)
        assert _trashed(library_dir) == [PACT]
        await wait_until(pilot, lambda: TRAIN in _titles(pilot.app))
        assert TRAIN in _titles(pilot.app)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert _trashed(library_dir) == [PACT]
        await pilot.press("E", "y")
        await settle(pilot)
        assert _trashed(library_dir) == []
        assert "The trash is empty." in shown_at(pilot.app, "#prompt-title")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "trash" not in shown_at(pilot.app, "#status"))
        assert shown_at(pilot.app, "#status") == "4 articles · 4 unread · 0 bookmarked"
        with Library.open(library_dir) as other:
            assert PACT not in [r.title for r in other.list_articles()]


async def test_remove_all_samples_asks_then_deletes_only_the_samples(data_dir):
    from reader.tui import make_app

    with Library.open(data_dir) as library:
        library.import_samples()
        samples = library.count()
        library.import_data(b"My own note\n\nA paragraph of my own, kept when the samples go.\n", "mine.txt")
    async with make_app(data_dir, Config()).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_command(pilot, "Remove all samples")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert len(_titles(pilot.app)) == samples + 1
        await run_command(pilot, "Remove all samples")
        await pilot.press("y")
        await settle(pilot)
        await wait_until(pilot, lambda: len(_titles(pilot.app)) == 1)
        assert _titles(pilot.app) == ["My own note"]
        assert f"Deleted {samples} sample articles — z to undo" in toasts(pilot.app)
        await pilot.press("z")
        await settle(pilot)
        await wait_until(pilot, lambda: len(_titles(pilot.app)) == samples + 1)
        assert len(_titles(pilot.app)) == samples + 1


async def test_z_after_the_trash_screen_restored_it_adds_no_second_row(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await run_command(pilot, "Show trash")
        await pilot.press("enter", "escape")
        await settle(pilot)
        await wait_until(pilot, lambda: PACT in _titles(pilot.app))
        await pilot.press("z")
        await settle(pilot)
        assert _titles(pilot.app).count(PACT) == 1
        assert "“Kelmouth and Lindholm sign harbour pact” is back already." in toasts(pilot.app)


async def test_z_after_emptying_the_trash_says_it_cannot_come_back(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await run_command(pilot, "Empty trash")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert _trashed(library_dir) == []
        await pilot.press("z")
        await settle(pilot)
        await wait_until(pilot, lambda: PACT not in _titles(pilot.app))
        assert PACT not in _titles(pilot.app)
        assert "1 article had been emptied from the trash and cannot come back." in toasts(pilot.app)


async def test_the_palette_deletes_and_undoes_in_the_list_and_the_reader(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_command(pilot, "Delete article")
        assert _trashed(library_dir) == [PACT]
        await pilot.press("enter")  # the night train, now at the top
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        await run_command(pilot, "Delete article")
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert sorted(_trashed(library_dir)) == sorted([PACT, TRAIN])
        await run_command(pilot, "Undo delete")
        await run_command(pilot, "Undo delete")
        assert _trashed(library_dir) == []
        assert _titles(pilot.app)[:2] == [PACT, TRAIN]


async def test_the_status_line_counts_the_trash_from_the_start(make_test_app, library_dir):
    """Deleted with the CLI (or in an earlier run): the app's status line says so."""
    with Library.open(library_dir) as other:
        other.delete([find_id("Kelmouth and Lindholm"), find_id("Night train")])
    async with make_test_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown_at(pilot.app, "#status") == "3 articles · 3 unread · 0 bookmarked · 2 in the trash"
