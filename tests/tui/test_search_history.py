"""The search box's history: ↑/↓ walk the searches made before, kept across runs;
↓ still moves to the list when no walk is under way."""

from __future__ import annotations

import reader.store
from reader.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.library import HISTORY_PREFERENCE
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.search_box import HISTORY_LIMIT, SearchBox, SearchHistory

from .helpers import settle, toasts

SIZE = (120, 40)


async def search(pilot, query: str) -> None:
    """Type ``query`` in a cleared box and press Enter (which opens the top result), then back."""
    await pilot.press("escape", "slash", *query, "enter")
    await settle(pilot)
    if isinstance(pilot.app.screen, ArticleScreen):
        await pilot.press("escape")
        await settle(pilot)


def box(pilot) -> SearchBox:
    return pilot.app.screen.query_one(SearchBox)


async def test_up_and_down_walk_the_searches_and_give_back_the_draft(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query in ("pilots", "ferry", "library"):
            await search(pilot, query)
        await pilot.press("escape", "slash", *"tid")
        await pilot.press("up")
        assert box(pilot).value == "library"
        assert box(pilot).cursor_position == len("library")
        await pilot.press("up", "up")
        assert box(pilot).value == "pilots"
        await pilot.press("up")  # the oldest stays
        assert box(pilot).value == "pilots"
        await pilot.press("down")
        assert box(pilot).value == "ferry"
        await pilot.press("down", "down")
        assert box(pilot).value == "tid"  # what was being typed
        assert isinstance(pilot.app.focused, SearchBox)
        await pilot.press("down")  # no walk under way: to the list, as before
        assert isinstance(pilot.app.focused, ArticleList)
        assert box(pilot).value == "tid"


async def test_editing_a_recalled_search_ends_the_walk(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "pilots")
        await pilot.press("escape", "slash", "up", *" quay")
        assert box(pilot).value == "pilots quay"
        await pilot.press("down")  # the walk is over: ↓ goes to the list
        assert isinstance(pilot.app.focused, ArticleList)
        await pilot.press("slash", "up")  # a new walk starts at the newest
        assert box(pilot).value == "pilots"


async def test_a_search_made_again_is_kept_once_most_recent_first(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query in ("pilots", "ferry", "ferry", "pilots"):
            await search(pilot, query)
        assert box(pilot).history.entries == ["pilots", "ferry"]


async def test_opening_a_result_with_the_mouse_or_keys_records_the_search(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"train")
        await settle(pilot)
        await pilot.press("down", "enter")  # to the list, open the result there: no Enter in the box
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert box(pilot).history.entries == ["train"]


async def test_the_history_outlives_the_run(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "pilots")
        await search(pilot, "[b]ferry[/b]")  # untrusted-looking text is a query like any other
    with Library.open(library_dir) as library:
        assert SearchHistory.loads(library.preference(HISTORY_PREFERENCE) or "").entries == ["[b]ferry[/b]", "pilots"]
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "up")
        assert box(pilot).value == "[b]ferry[/b]"
        await pilot.press("up")
        assert box(pilot).value == "pilots"


async def test_an_unreadable_saved_history_is_said_and_replaced(make_test_app, library_dir):
    with Library.open(library_dir) as library:
        library.set_preference(HISTORY_PREFERENCE, "{not json")
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "search history was unreadable" in toasts(pilot.app)
        await pilot.press("slash", "up")
        assert box(pilot).value == ""
        await search(pilot, "pilots")
    with Library.open(library_dir) as library:
        assert library.preference(HISTORY_PREFERENCE) == '["pilots"]'


def test_the_history_is_bounded_newest_first():
    history = SearchHistory()
    for n in range(HISTORY_LIMIT + 50):
        history.add(f"query {n}")
    assert len(history.entries) == HISTORY_LIMIT
    assert history.entries[0] == f"query {HISTORY_LIMIT + 49}"
    assert history.entries[-1] == "query 50"
    assert not history.add("   ")
    assert SearchHistory.loads(history.dumps()).entries == history.entries


async def test_a_read_only_library_keeps_the_history_for_the_run_only(make_test_app, library_dir, monkeypatch):
    monkeypatch.setattr(reader.store, "writable", lambda path: False)
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await search(pilot, "pilots")
        await pilot.press("escape", "slash", "up")
        assert box(pilot).value == "pilots"
        assert "Could not save" not in toasts(pilot.app)
    monkeypatch.undo()
    with Library.open(library_dir) as library:
        assert library.preference(HISTORY_PREFERENCE) is None
