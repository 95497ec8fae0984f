"""Saved searches in the app (Pilot): S saves the search box's query under a name, the
sources pane lists them with their counts, choosing one runs it, Delete forgets it
(remappable), the palette does both; names are drawn as typed, never as markup."""

from __future__ import annotations

from reader.config import Config
from reader.library import Library
from reader.tui.saved_searches import HEADER_ID, NamePrompt
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.search_box import SearchBox
from reader.tui.widgets.sources import SourcesPane

from .conftest import HOSTILE
from .helpers import settle, shown_at, toasts, wait_until

SIZE = (120, 40)


def pane_lines(pilot) -> list[str]:
    """The lines of the sources pane, as its options' Content (plain text)."""
    pane = pilot.app.screen.query_one(SourcesPane)
    return [pane.get_option_at_index(i).prompt.plain for i in range(pane.option_count)]


def saved(pilot) -> list[tuple[str, str]]:
    return [(s.name, s.query) for s in pilot.app.library.saved_searches.all()]


async def choose_line(pilot, text: str) -> None:
    """Highlight the pane's line that starts with ``text`` (from the keyboard) and press Enter."""
    pane = pilot.app.screen.query_one(SourcesPane)
    pane.focus()
    await pilot.press("home")
    for _ in range(pane.option_count):
        if pane.highlighted is not None and pane.get_option_at_index(pane.highlighted).prompt.plain.startswith(text):
            break
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def test_s_saves_the_search_under_a_name_and_the_pane_lists_it(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert not pilot.app.screen.query_one(SourcesPane).display  # no feeds, no saved searches
        await pilot.press("slash", *"ferry", "down")  # ↓: from the box to the list, the query stays
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NamePrompt)
        assert "“ferry”" in shown_at(pilot.app, "#name-prompt-title")
        await pilot.press(*"Ferries", "enter")
        await settle(pilot)
        assert saved(pilot) == [("Ferries", "ferry")]
        assert "Saved the search as “Ferries”" in toasts(pilot.app)
        await wait_until(pilot, lambda: "Ferries" in " ".join(pane_lines(pilot)))
        assert pilot.app.screen.query_one(SourcesPane).display
        lines = pane_lines(pilot)
        assert lines[0] == "Saved searches" and lines[1].startswith("Ferries")


async def test_saving_under_a_name_in_use_asks_for_a_second_enter(make_test_app, library_dir):
    with Library.open(library_dir) as lib:
        lib.saved_searches.save("Trains", "train")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"library", "down", "S")
        await settle(pilot)
        await pilot.press(*"trains", "enter")
        assert isinstance(pilot.app.screen, NamePrompt)
        assert "“Trains” is saved already" in shown_at(pilot.app, "#name-prompt-hint")
        assert saved(pilot) == [("Trains", "train")]
        await pilot.press("enter")
        await settle(pilot)
        assert saved(pilot) == [("Trains", "library")]  # replaced, under the name it had


async def test_s_without_a_query_or_escape_in_the_prompt_saves_nothing(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, NamePrompt)
        assert "Type a search first" in toasts(pilot.app)
        await pilot.press("slash", *"ferry", "down", "S")
        await settle(pilot)
        await pilot.press(*"Never", "escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, NamePrompt)
        assert saved(pilot) == []


async def test_the_pane_counts_each_search_and_choosing_one_runs_it(make_test_app, library_dir):
    with Library.open(library_dir) as lib:
        lib.saved_searches.save("Trains", "train")
        lib.saved_searches.save("Harbour", "harbour")
        [harbour_pact] = [r for r in lib.list_articles() if r.title.startswith("Kelmouth and Lindholm")]
        lib.set_read(harbour_pact.id, True)
        totals = {q: (lib.search(f"is:unread {q}", limit=1).total, lib.search(q, limit=1).total) for q in ("harbour", "train")}
    assert totals == {"harbour": (0, 1), "train": (1, 2)}  # (unread, all): what the lines show
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: any("/" in line for line in pane_lines(pilot)))
        lines = pane_lines(pilot)
        assert lines[0] == "Saved searches"
        assert "Harbour 1" in lines  # nothing unread: only how many it finds
        assert "Trains 1/2" in lines  # unread, of all
        await choose_line(pilot, "Trains")
        box = pilot.app.screen.query_one(SearchBox)
        assert box.value == "train"
        assert isinstance(pilot.app.focused, ArticleList)
        assert "2 results for “train”" in shown_at(pilot.app, "#status")
        assert "Night train to the Alps returns" in shown_at(pilot.app, "#articles")


async def test_delete_in_the_pane_forgets_the_highlighted_search_and_is_remappable(make_test_app, library_dir):
    with Library.open(library_dir) as lib:
        lib.saved_searches.save("Trains", "train")
        lib.saved_searches.save("Harbour", "harbour")
    async with make_test_app(Config(keys={"delete_saved_search": "x"})).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        pane = pilot.app.screen.query_one(SourcesPane)
        pane.focus()
        await pilot.press("home", "down")  # the title line is stepped over: Harbour, then Trains
        assert pane.get_option_at_index(pane.highlighted).prompt.plain.startswith("Trains")
        offered = pilot.app.screen.active_bindings.get("x")
        assert offered is not None and offered.binding.description == "Delete saved search"  # in the footer
        await pilot.press("delete")  # remapped away: nothing happens
        await settle(pilot)
        assert [name for name, _ in saved(pilot)] == ["Harbour", "Trains"]
        await pilot.press("x")
        await settle(pilot)
        assert saved(pilot) == [("Harbour", "harbour")]
        assert "Deleted the saved search “Trains” (train)" in toasts(pilot.app)
        await wait_until(pilot, lambda: not any(line.startswith("Trains") for line in pane_lines(pilot)))
        assert [line.split()[0] for line in pane_lines(pilot)] == ["Saved", "Harbour"]
        assert pane.get_option(HEADER_ID).disabled


async def test_a_hostile_saved_search_name_is_drawn_as_typed(make_test_app, library_dir):
    with Library.open(library_dir) as lib:
        lib.saved_searches.save(HOSTILE, "ferry")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pane_lines(pilot)[1].startswith(HOSTILE)  # the markup's brackets are text
        await choose_line(pilot, HOSTILE[:10])  # its [@click=app.quit] runs nothing
        assert pilot.app.is_running
        assert pilot.app.screen.query_one(SearchBox).value == "ferry"


async def test_the_palette_saves_the_search_and_runs_a_saved_one(make_test_app, library_dir):
    with Library.open(library_dir) as lib:
        lib.saved_searches.save("Trains", "train")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"saved search: trains")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen.query_one(SearchBox).value == "train"
        await pilot.press("ctrl+p", *"save this search")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NamePrompt)
        await pilot.press(*"Night trains", "enter")
        await settle(pilot)
        assert saved(pilot) == [("Night trains", "train"), ("Trains", "train")]


async def test_beside_feeds_the_section_comes_after_them_and_feeds_work_as_before(make_test_app, library_dir):
    with Library.open(library_dir) as lib:
        lib.feeds.db.add("http://127.0.0.1:9/harbour.xml", "Harbour feed")  # never fetched here
        lib.saved_searches.save("Trains", "train")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "Trains 2/2" in pane_lines(pilot))
        lines = pane_lines(pilot)
        assert [line.split(" ")[0] for line in lines] == ["All", "Harbour", "Saved", "Trains"]
        pane = pilot.app.screen.query_one(SourcesPane)
        pane.focus()
        await pilot.press("home", "down")  # the feed: no Delete offered, and it is the feed r updates
        assert pane.selected_id is not None
        offered = pilot.app.screen.active_bindings.get("delete")
        assert offered is None or offered.binding.action != "delete_saved_search"
        await pilot.press("enter")  # the feed holds none of the articles: the list is empty
        await settle(pilot)
        assert "Night train" not in shown_at(pilot.app, "#articles")
        await choose_line(pilot, "Trains")
        assert pane.selected_id is None  # a saved search is no feed to update
        assert pilot.app.screen.query_one(SearchBox).value == "train"


async def test_a_reload_keeps_the_counts_on_screen_while_they_are_counted_again(make_test_app, library_dir):
    from reader.tui.saved_searches import saved_lines
    from reader.tui.widgets.sources import TagSection

    with Library.open(library_dir) as lib:
        lib.saved_searches.save("Trains", "train")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "Trains 2/2" in pane_lines(pilot))
        pane = pilot.app.screen.query_one(SourcesPane)
        pane.post_message(SourcesPane.Loaded([], TagSection({}), saved_lines(pilot.app)))  # the names, before their counts
        await pilot.pause()
        assert pane_lines(pilot) == ["Saved searches", "Trains 2/2"]
        pilot.app.library.saved_searches.save("Trains", "library")  # another query: its old count is not its own
        pane.post_message(SourcesPane.Loaded([], TagSection({}), saved_lines(pilot.app)))
        await pilot.pause()
        assert pane_lines(pilot) == ["Saved searches", "Trains"]
