"""The library screen: list keys, search as you type, bookmarks, read state, filters."""

from __future__ import annotations

from reader.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.search_box import SearchBox

from .helpers import open_top_hit, settle, shown, shown_at, wait_until

SIZE = (120, 40)


async def test_first_paint_lists_titles_newest_first(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown_at(pilot.app, "#status") == "5 articles · 5 unread · 0 bookmarked"
        titles = [e.title for e in pilot.app.query_one(ArticleList).entries]
        assert titles[0].startswith("Kelmouth and Lindholm")
        assert titles[-1].startswith("[@click")
        assert "Night train to the Alps returns" in shown(pilot.app.query_one(ArticleList))
        assert pilot.app.focused is pilot.app.query_one(ArticleList)


async def test_cursor_keys_move_through_the_list(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = pilot.app.query_one(ArticleList)
        for key, expected in [("j", 1), ("down", 2), ("k", 1), ("up", 0), ("G", 4), ("g", 0), ("end", 4), ("home", 0),
                              ("ctrl+d", 4), ("ctrl+u", 0), ("pagedown", 4), ("pageup", 0), ("space", 4)]:
            await pilot.press(key)
            assert articles.cursor == expected, key


async def test_enter_opens_the_highlighted_article(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert shown_at(pilot.app, "#article-header").startswith("Night train to the Alps returns\n")


async def test_bookmark_key_toggles_and_saves_at_once(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert pilot.app.query_one(ArticleList).entry.bookmarked
        assert shown_at(pilot.app, "#status") == "5 articles · 5 unread · 1 bookmarked"
        with Library.open(library_dir) as other:
            assert [a.title for a in other.bookmarks()] == ["Kelmouth and Lindholm sign harbour pact"]
        await pilot.press("b")
        await settle(pilot)
        with Library.open(library_dir) as other:
            assert other.bookmarks() == []


async def test_bookmarks_only_filter(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "b", "B")
        await settle(pilot)
        entries = pilot.app.query_one(ArticleList).entries
        assert [e.title for e in entries] == ["Neue Elektrofähre für die Lindholmer Bucht"]
        assert "· showing bookmarks only (B for all)" in shown_at(pilot.app, "#status")
        await pilot.press("B")
        assert len(pilot.app.query_one(ArticleList).entries) == 5
        await pilot.press("B", "escape")  # Escape also leaves the filter
        assert len(pilot.app.query_one(ArticleList).entries) == 5


async def test_u_toggles_read_state(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert pilot.app.query_one(ArticleList).entry.read
        assert shown_at(pilot.app, "#status") == "5 articles · 4 unread · 0 bookmarked"
        with Library.open(library_dir) as other:
            assert other.count(unread=True) == 4


async def test_search_as_you_type_and_enter_opens_top_hit(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(pilot.app.focused, SearchBox)
        for letter in "train":
            await pilot.press(letter)
        await settle(pilot)
        entries = pilot.app.query_one(ArticleList).entries
        assert entries and entries[0].title == "Night train to the Alps returns"
        assert shown_at(pilot.app, "#status").startswith(f"{len(entries)} results for “train”")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert pilot.app.screen.page.query == "train"


async def test_enter_right_after_typing_opens_the_top_hit_when_it_arrives(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_top_hit(pilot, "pilots")
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert shown_at(pilot.app, "#article-header").startswith("Kelmouth and Lindholm sign harbour pact\n")


async def test_a_search_typed_during_the_start_up_catch_up_is_redone_after_it(make_test_app, monkeypatch):
    """During the index's start-up catch-up a search reads the index as it is: articles
    imported but not yet indexed are missing. When the catch-up ends, the search on screen
    runs again and finds them (it stayed at "No results")."""
    import reader.tui.screens.library as library_screen
    from reader.model import SearchResult

    monkeypatch.setattr(library_screen, "INDEX_CHECK_DELAY", 3.0)  # after the query is typed
    app = make_test_app()
    real_search = app.library.search
    calls: list[str] = []

    def search(query, *args, **kwargs):  # the first answer: an index still catching up
        calls.append(query)
        return SearchResult(query, 0) if calls.count("pilots") == 1 else real_search(query, *args, **kwargs)

    app.library.search = search
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pilots")
        await settle(pilot)
        assert shown_at(pilot.app, "#status").startswith("No results for “pilots”")
        articles = pilot.app.query_one(ArticleList)
        await wait_until(pilot, lambda: articles.entries, seconds=10)
        assert [e.title for e in articles.entries] == ["Kelmouth and Lindholm sign harbour pact"]
        assert shown_at(pilot.app, "#status").startswith("1 result for “pilots”")
        assert calls.count("pilots") == 2, calls


async def test_stale_search_results_are_dropped(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press("slash", *"library")
        await settle(pilot)
        from reader.model import SearchResult
        from reader.tui.screens.library import SearchFinished

        screen.post_message(SearchFinished(0, "library", SearchResult("library", 0), None))  # an old generation
        await settle(pilot)
        assert [e.title for e in pilot.app.query_one(ArticleList).entries] == ["City library extends opening hours"]


async def test_fast_typing_runs_one_search_at_a_time_and_ends_on_the_last_text(make_test_app):
    """Keys faster than searches: no pile of threads; the newest text is searched next."""
    import threading

    app = make_test_app()
    searched: list[str] = []
    running = {"now": 0, "most": 0}
    guard = threading.Lock()
    typed = threading.Event()  # the first search lasts until every key has been pressed
    real_search = app.library.search

    def slow_search(query, *args, **kwargs):
        with guard:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        searched.append(query)
        if len(searched) == 1:
            typed.wait(10)
        try:
            return real_search(query, *args, **kwargs)
        finally:
            with guard:
                running["now"] -= 1

    app.library.search = slow_search
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"library")
        typed.set()
        await settle(pilot)
        assert 1 <= len(searched) <= 2 and searched[-1] == "library"  # nothing in between
        assert running["most"] == 1
        assert [e.title for e in pilot.app.query_one(ArticleList).entries] == ["City library extends opening hours"]


async def test_keys_that_come_together_are_one_search(make_test_app, monkeypatch):
    import reader.tui.screens.library as library_screen

    monkeypatch.setattr(library_screen, "KEYS_SETTLE", 2.0)  # Pilot presses keys slowly
    app = make_test_app()
    searched: list[str] = []
    real_search = app.library.search
    app.library.search = lambda query, *a, **k: (searched.append(query), real_search(query, *a, **k))[1]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"library")  # a burst of keys, well within KEYS_SETTLE
        await settle(pilot)
        assert searched == ["library"]
        assert [e.title for e in pilot.app.query_one(ArticleList).entries] == ["City library extends opening hours"]


async def test_typing_does_not_recompose_the_footer_on_every_key(make_test_app):
    """Refreshing the bindings recomposes the Footer: only a change of "did you mean" may."""
    from textual.widgets import Footer

    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # the focus moves: the footer shows the search box's keys
        await settle(pilot)
        composed = []
        footer = pilot.app.screen.query_one(Footer)
        original = footer.compose
        footer.compose = lambda: (composed.append(1), original())[1]
        await pilot.press(*"library")
        await settle(pilot)
        assert composed == []


async def test_escape_clears_the_search_and_focuses_the_list(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ferry")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.query_one(SearchBox).value == ""
        assert pilot.app.focused is pilot.app.query_one(ArticleList)
        assert len(pilot.app.query_one(ArticleList).entries) == 5


async def test_did_you_mean_is_shown_and_taken_with_tab(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"harbr")
        await settle(pilot)
        assert "Did you mean “harbour”? Press Tab" in shown_at(pilot.app, "#status")
        await pilot.press("tab")
        await settle(pilot)
        assert pilot.app.query_one(SearchBox).value == "harbour"
        assert pilot.app.query_one(ArticleList).entries


async def test_q_quits_from_the_library(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not pilot.app.is_running


async def test_question_mark_opens_help_with_every_key_and_the_syntax(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        text = "\n".join(shown(part) for part in pilot.app.screen.query("#help-scroll Static"))
        for expected in ("Bookmarks only", "bookmarks_only", "Previous match", "^p", "Close help",
                         "Search syntax", '"night train"', "is:bookmarked", "config.toml"):
            assert expected in text
        scroll = pilot.app.screen.query_one("#help-scroll")
        await pilot.press("end")
        assert scroll.scroll_y == scroll.max_scroll_y > 0  # the syntax and the settings are at the end
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_changes_from_another_process_appear(make_test_app, library_dir):
    from reader.model import Article

    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        with Library.open(library_dir) as other:
            other.add_articles([Article(id="f" * 16, title="Imported elsewhere", body="x", published="2026-04-01")])
        pilot.app.poll_changes()
        await settle(pilot)
        assert pilot.app.query_one(ArticleList).entries[0].title == "Imported elsewhere"


async def test_preview_shows_the_summary_when_wide(make_test_app):
    async with make_test_app().run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        preview = pilot.app.screen.query_one("#preview")
        assert preview.display and preview.size.width > 0
        assert "A ten-year cooperation" in shown(preview)


async def test_the_list_draws_only_what_is_on_screen_at_100000_rows(make_test_app):
    from reader.model import ArticleRow

    rows = [ArticleRow(f"{i:016x}", f"Article number {i}", "Source", "2026-01-01", "en", False, i % 2 == 0) for i in range(100_000)]
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = pilot.app.query_one(ArticleList)
        drawn: set[int] = set()  # the list's lines the compositor asked for
        real_render_line = articles.render_line

        def render_line(y: int):
            drawn.add(y + int(articles.scroll_y))
            return real_render_line(y)

        articles.render_line = render_line
        articles.set_entries(rows)
        await pilot.press("G", "k", "ctrl+u", "g", "pagedown")
        await pilot.pause()
        assert articles.cursor == articles.scrollable_content_region.height  # a page down from the top
        assert 0 < len(drawn) < 400  # only rows that were on screen were drawn (two lines a row)
        assert f"Article number {articles.cursor}" in shown(articles)


async def test_search_box_completes_the_word_being_typed(make_test_app):
    """Half a word already finds the article: the last word typed also matches as a prefix."""
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"harbours coopera")
        await settle(pilot)
        entries = pilot.app.query_one(ArticleList).entries
        assert [entry.title for entry in entries] == ["Kelmouth and Lindholm sign harbour pact"]
