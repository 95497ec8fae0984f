"""The library's sort key (date → title → source) and its "unread only" filter."""

from __future__ import annotations

from reader.config import Config
from reader.library import Library
from reader.model import ListOrder
from reader.tui import make_app
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.article_list import ArticleList

from .conftest import HOSTILE
from .helpers import footer_keys, settle, shown, shown_at, toasts, wait_until

SIZE = (120, 40)
HARBOUR, NIGHT, FERRY, CITY = (
    "Kelmouth and Lindholm sign harbour pact",
    "Night train to the Alps returns",
    "Neue Elektrofähre für die Lindholmer Bucht",
    "City library extends opening hours",
)
NEWEST_FIRST = [HARBOUR, NIGHT, FERRY, CITY, HOSTILE]
BY_TITLE = [HOSTILE, CITY, HARBOUR, FERRY, NIGHT]  # "[" before letters, case folded
BY_SOURCE = [HOSTILE, HARBOUR, NIGHT, CITY, FERRY]  # "[red]Evil…", Kelmouth Gazette newest first, Lindholmer Rundschau


async def search(pilot, query: str) -> None:
    """Type ``query`` in the search box and wait for its results (the search thread
    waits KEYS_SETTLE before it runs, outside the workers settle() knows)."""
    await pilot.press("slash", *query)
    await wait_until(pilot, lambda: "results for" in shown_at(pilot.app, "#status"))


def titles(app) -> list[str]:
    return [entry.title for entry in app.query_one(ArticleList).entries]


async def test_s_cycles_date_title_source_and_says_so_in_the_status(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("G")  # the cursor at the bottom: a new order starts from its top
        assert titles(pilot.app) == NEWEST_FIRST
        await pilot.press("s")
        await settle(pilot)
        assert titles(pilot.app) == BY_TITLE
        assert pilot.app.query_one(ArticleList).cursor == 0
        status = shown_at(pilot.app, "#status")
        assert status == "5 articles · 5 unread · 0 bookmarked · by title (s)"
        await pilot.press("s")
        await settle(pilot)
        assert titles(pilot.app) == BY_SOURCE
        assert shown_at(pilot.app, "#status").endswith(" · by source (s)")
        await pilot.press("s")
        await settle(pilot)
        assert titles(pilot.app) == NEWEST_FIRST
        assert shown_at(pilot.app, "#status") == "5 articles · 5 unread · 0 bookmarked"


async def test_unread_only_hides_read_articles_until_pressed_again_or_escape(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "u")  # Night train read
        await settle(pilot)
        await pilot.press("U")
        await settle(pilot)
        assert titles(pilot.app) == [HARBOUR, FERRY, CITY, HOSTILE]
        assert shown_at(pilot.app, "#status") == "5 articles · 4 unread · 0 bookmarked · unread only (U)"
        await pilot.press("s")  # the filter holds in every order
        await settle(pilot)
        assert titles(pilot.app) == [t for t in BY_TITLE if t != NIGHT]
        await pilot.press("U")
        await settle(pilot)
        assert titles(pilot.app) == BY_TITLE
        await pilot.press("U", "escape")
        await settle(pilot)
        assert not pilot.app.screen.unread_only
        assert titles(pilot.app) == BY_TITLE


async def test_unread_only_with_bookmarks_only_and_with_a_search(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b", "u", "j", "b")  # Harbour bookmarked and read, Night train bookmarked
        await settle(pilot)
        await pilot.press("B", "U")
        await settle(pilot)
        assert titles(pilot.app) == [NIGHT]
        await pilot.press("B")
        await settle(pilot)
        await search(pilot, "kelmouth")
        found = titles(pilot.app)
        assert NIGHT in found and HARBOUR not in found  # the read one is hidden from the results too
        assert f"{len(found)} unread" in shown_at(pilot.app, "#status")
        await pilot.press("escape", "U")  # clear the search, back to the list; U: everything again
        await settle(pilot)
        assert HARBOUR in titles(pilot.app)


async def test_sort_during_a_search_says_how_results_are_sorted(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await search(pilot, "kelmouth")
        await pilot.press("down")  # to the results
        found = titles(pilot.app)
        await pilot.press("s")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.order == ListOrder.DATE and titles(pilot.app) == found
        assert "newest first with sort:date in it" in toasts(pilot.app)


async def test_the_sort_and_the_filter_are_remembered(library_dir):
    async with make_app(library_dir, Config()).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "s", "U")
        await settle(pilot)
    with Library.open(library_dir) as library:
        assert library.preference("ui.list_order") == "source"
        assert library.preference("ui.unread_only") == "1"
        library.set_read(library.list_articles()[0].id, True)  # the newest: Harbour
    async with make_app(library_dir, Config()).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert titles(pilot.app) == [t for t in BY_SOURCE if t != HARBOUR]
        assert " · by source (s)" in shown_at(pilot.app, "#status")


async def test_an_unknown_remembered_order_leaves_the_default_and_keeps_the_filter(library_dir):
    with Library.open(library_dir) as library:
        library.set_preference("ui.list_order", "title; DROP TABLE articles")
        library.set_preference("ui.unread_only", "1")
        library.set_read(library.list_articles()[-1].id, True)  # the oldest: the hostile one
    async with make_app(library_dir, Config()).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert titles(pilot.app) == NEWEST_FIRST[:-1]
        assert shown_at(pilot.app, "#status") == "5 articles · 4 unread · 0 bookmarked · unread only (U)"


async def test_keys_are_in_help_and_can_be_remapped_while_the_footer_keeps_help_at_80_columns(make_test_app):
    config = Config(keys={"cycle_sort": "o", "unread_only": "x"})
    async with make_test_app(config).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = footer_keys(pilot.app)
        (help_text, _, help_end), (palette_text, palette_start, palette_end) = keys[-2:]
        assert (help_text, palette_text) == ("? Help", "^p palette")  # help kept, last before the palette
        assert help_end <= palette_start and palette_end <= 80  # both whole on the screen
        await pilot.press("o")
        await settle(pilot)
        assert titles(pilot.app) == BY_TITLE
        await pilot.press("x")
        await settle(pilot)
        status = shown_at(pilot.app, "#status")
        assert status.endswith(" · unread only (x) · by title (o)")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        lines = "\n".join(shown(part) for part in pilot.app.screen.query("#help-scroll Static")).splitlines()
        assert any(line.split()[:2] == ["o", "Sort:"] and line.rstrip().endswith("cycle_sort") for line in lines)
        assert any(line.split()[:3] == ["x", "Unread", "only"] and line.rstrip().endswith("unread_only") for line in lines)


async def test_l_cycles_the_library_s_languages_then_all_and_is_remembered(library_dir):
    async with make_app(library_dir, Config()).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")  # the most common language first: English (4 of 5)
        await settle(pilot)
        assert titles(pilot.app) == [t for t in NEWEST_FIRST if t != FERRY]
        assert shown_at(pilot.app, "#status") == "5 articles · 5 unread · 0 bookmarked · English only (L)"
        await pilot.press("L")
        await settle(pilot)
        assert titles(pilot.app) == [FERRY]
        assert shown_at(pilot.app, "#status").endswith(" · Deutsch only (L)")
        await search(pilot, "lindholm")  # results go through the filter too
        assert titles(pilot.app) == [FERRY]
        assert "· 1 Deutsch ·" in shown_at(pilot.app, "#status")
        await pilot.press("escape", "escape")  # the search, then the filter
        await settle(pilot)
        assert titles(pilot.app) == NEWEST_FIRST
        await pilot.press("L", "L", "L")  # English, German, all again
        await settle(pilot)
        assert titles(pilot.app) == NEWEST_FIRST
        await pilot.press("L", "L")
        await settle(pilot)
    with Library.open(library_dir) as library:
        assert library.preference("ui.language") == "de"
    async with make_app(library_dir, Config()).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert titles(pilot.app) == [FERRY]


async def test_mark_all_read_under_the_language_filter_marks_only_those_shown(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L", "L")  # German only
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
    with Library.open(library_dir) as library:
        assert [row.title for row in library.list_articles() if row.read] == [FERRY]
