"""The reader's find in the article (/, n/N, the count, Escape), copying the article as
text or Markdown (c, C), the mouse's selection copied with ctrl+c, the header laid out
at every width, and the library's o and y."""

from __future__ import annotations

import webbrowser

import pytest
from textual.geometry import Region

from reader.article_copy import article_as_markdown, article_as_text
from reader.config import Config
from reader.library import Library
from reader.model import Article, article_id
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.article_view import Block, Match
from reader.tui.widgets.find_bar import Finder, fold

from .helpers import open_top_hit, settle, shown_at, toasts

SIZE = (120, 40)
PACT_URL = "https://news.example/kelmouth-and-lindholm-sign"
SUMMARY = "A ten-year cooperation between two North Sea harbours."
FIRST = "The ports of Kelmouth and Lindholm will share pilots and a training centre."


async def open_first(pilot, *keys: str) -> ArticleScreen:
    await settle(pilot)
    await pilot.press(*keys, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ArticleScreen)
    return pilot.app.screen


def status(pilot) -> str:
    return shown_at(pilot.app, "#article-status")


def count(pilot) -> str:
    return shown_at(pilot.app, "#find-count")


def add(library_dir, **fields) -> Article:
    values = {"summary": "", "language": "en", "source": "Notes", "published": "2027-01-01", "url": "", **fields}
    article = Article(id=article_id(url=values["url"], source=values["source"], title=values["title"], published=values["published"]), **values)
    with Library.open(library_dir) as library:
        library.add_articles([article])
    return article


# -- find in the article ------------------------------------------------------------------


def test_the_finder_folds_case_and_accents_and_keeps_the_original_offsets():
    text = "Die neue FÄHRE fährt über die Straße."
    assert fold("Straße")[0] == "strasse"
    found = Finder([Block(text)]).find("fahre")
    assert [text[m.start:m.end] for m in found] == ["FÄHRE"]
    found = Finder([Block("x"), Block(text)]).find("STRASSE")
    assert found == [Match(1, text.index("Straße"), text.index("Straße") + len("Straße"))]
    assert Finder([Block(text)]).find("   ") == []


async def test_find_moves_to_the_first_match_as_you_type_and_n_steps_with_a_count(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        assert screen.scroller.scroll_y == 0
        await pilot.press("slash", *"paragraph 2")
        await pilot.pause()
        assert screen.find_bar.display
        # "Paragraph 2:" and "Paragraph 20" to "29": eleven, the first one in view
        assert count(pilot) == "1/11"
        await pilot.press(*"5")
        await pilot.pause()
        assert count(pilot) == "1/1"
        assert screen.scroller.scroll_y > 0  # paragraph 25 is below the first screen
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert not screen.find_bar.display
        assert "1/11" in status(pilot) and "n next, N previous" in status(pilot)
        await pilot.press("n", "n")
        assert "3/11" in status(pilot)
        await pilot.press("N", "N", "N")
        assert "11/11" in status(pilot)


async def test_find_is_case_insensitive_and_folds_accents(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_first(pilot, "down", "down")  # "Neue Elektrofähre für die Lindholmer Bucht"
        await pilot.press("slash", *"FAHRE")
        await pilot.pause()
        assert count(pilot) == "1/2"  # "Eine Fähre ohne Diesel." and "Die neue Fähre fährt"


async def test_no_match_says_so_and_escape_closes_and_clears(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("slash", *"zebra")
        await pilot.pause()
        assert count(pilot) == "no match"
        assert status(pilot) == "No match for “zebra” in this article."
        await pilot.press("ctrl+a", "ctrl+k", *"quay")  # clear the box, find another word
        await pilot.pause()
        assert count(pilot) == "1/30"
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.find_bar.display and status(pilot) == ""
        shown = {active.binding.id for active in screen.active_bindings.values()}
        assert "next_match" not in shown  # the matches are gone (none from a search either)
        assert screen.focused is screen.scroller


async def test_find_replaces_the_search_matches_while_in_force(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_top_hit(pilot, "pilots")
        assert isinstance(pilot.app.screen, ArticleScreen)
        searched = status(pilot)
        assert searched.startswith("Match 1 of ")
        await pilot.press("slash", *"quay", "enter")
        await pilot.pause()
        assert "1/30" in status(pilot)
        await pilot.press("escape")  # clears the find first: the reader stays open
        await pilot.pause()
        assert isinstance(pilot.app.screen, ArticleScreen)
        await pilot.press("n")
        assert status(pilot).startswith("Match ") and "/30" not in status(pilot)


async def test_find_keys_follow_a_remap(make_test_app):
    config = Config(keys={"find_in_article": "ctrl+f", "next_match": "x", "previous_match": "X"})
    async with make_test_app(config).run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("ctrl+f", *"quay", "enter")
        await pilot.pause()
        assert "1/30 · x next, X previous" in status(pilot)
        await pilot.press("x")
        assert "2/30" in status(pilot)


# -- copying the article -----------------------------------------------------------------

STRUCTURED = "## What changes\n\n- pilots are *shared*\n- a [training centre](https://port.example/centre)\n\nThe end."


def test_article_as_text_and_as_markdown():
    article = Article(id="a" * 32, title="Harbour [pact] signed", summary="Two ports.", body=STRUCTURED, language="en",
                      source="Kelmouth Gazette", url="https://news.example/pact", published="2026-03-10", author="Ann Berg")
    text = article_as_text(article)
    assert text.startswith("Harbour [pact] signed\nby Ann Berg · Kelmouth Gazette · 2026-03-10\nhttps://news.example/pact\n\nTwo ports.\n")
    assert "What changes\n------------" in text and "• a training centre [1]" in text and "[1] https://port.example/centre" in text
    markdown = article_as_markdown(article)
    assert markdown.startswith("# Harbour \\[pact\\] signed\n\n*by Ann Berg · Kelmouth Gazette · 2026-03-10*\n\n<https://news.example/pact>\n\n> Two ports.\n")
    assert markdown.endswith(STRUCTURED + "\n")


async def test_c_and_C_copy_the_article_as_text_and_as_markdown(make_test_app, library_dir):
    add(library_dir, title="Notes on the pact", body=STRUCTURED, url="https://news.example/notes", published="2027-02-02")
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await open_first(pilot)  # the newest: the notes
        await pilot.press("c")
        await pilot.pause()
        text = pilot.app.clipboard
        assert text.startswith("Notes on the pact\nNotes · 2027-02-02\nhttps://news.example/notes\n")
        assert "• a training centre [1]" in text
        assert f"Sent the article as text ({len(text):,} characters) to the terminal's clipboard" in toasts(pilot.app)
        await pilot.press("C")
        await pilot.pause()
        markdown = pilot.app.clipboard
        assert markdown.startswith("# Notes on the pact\n") and "- a [training centre](https://port.example/centre)" in markdown
        assert f"Sent the article as Markdown ({len(markdown):,} characters)" in toasts(pilot.app)


async def test_copy_keys_follow_a_remap(make_test_app):
    async with make_test_app(Config(keys={"copy_text": "ctrl+t", "copy_markdown": "ctrl+w"})).run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("ctrl+w")
        assert pilot.app.clipboard.startswith("# Kelmouth and Lindholm sign harbour pact\n")
        await pilot.press("ctrl+t")
        assert pilot.app.clipboard.startswith("Kelmouth and Lindholm sign harbour pact\n")


# -- the mouse -----------------------------------------------------------------------------


async def test_a_mouse_selection_and_ctrl_c_copy_exactly_the_selected_text(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(pilot)
        body = screen.body
        start = SUMMARY.index("cooperation")
        end = FIRST.index("ports") + len("ports") - 1  # the last character under the mouse
        await pilot.mouse_down(body, offset=(start, 0))
        await pilot.hover(body, offset=(end, 2))  # line 1 is the blank line between them
        await pilot.mouse_up(body, offset=(end, 2))
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert pilot.app.is_running
        assert pilot.app.clipboard == SUMMARY[start:] + "\n\nThe ports"
        assert "Sent the selected text (" in toasts(pilot.app)
        # the same drag is the passage h highlights (visual mode with the mouse)
        assert "Selecting with the mouse" in status(pilot)


async def test_ctrl_c_without_a_selection_still_quits(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not pilot.app.is_running


# -- the header ----------------------------------------------------------------------------


@pytest.mark.parametrize("author", ["Ann Berg", "Margarethe Oosterhuis-Lindqvist"])
@pytest.mark.parametrize("width", [60, 80, 120, 200])
async def test_the_header_never_breaks_a_fact_or_the_bookmark_mark(make_test_app, library_dir, width, author):
    add(library_dir, title="Pilots and ferry crews agree on a shared timetable for the winter", author=author,
        body="Text.", source="Kelmouth Gazette", url="https://news.example/timetable", published="2027-03-03")
    async with make_test_app().run_test(size=(width, 30)) as pilot:
        screen = await open_first(pilot)
        header = screen.query_one("#article-header")
        region = header.region
        lines = [strip.text.rstrip() for strip in header.render_lines(Region(0, 0, region.width, region.height))]
        lines = [line for line in lines if line]
        facts = [f"by {author}", "Kelmouth Gazette", "2027-03-03", "English", "1 min read", "☆ Not bookmarked (b)"]
        for fact in facts:
            assert any(fact in line for line in lines), f"{fact!r} broken at {width} columns: {lines}"
        assert all(len(line) <= region.width for line in lines)
        assert region.right <= width and header.content_region.width >= 40


# -- the library's o and y -----------------------------------------------------------------


async def test_library_y_copies_and_o_opens_the_link_under_the_cursor(make_test_app, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        await pilot.press("y")
        await pilot.pause()
        assert pilot.app.clipboard == PACT_URL
        assert "Sent the link (47 characters) to the terminal's clipboard" in toasts(pilot.app)
        await pilot.press("o")
        await settle(pilot)
        assert opened == [PACT_URL]


async def test_library_o_and_y_on_an_article_without_a_link_say_so(make_test_app, library_dir, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    add(library_dir, title="A note without a link", body="Nothing to open here.")
    async with make_test_app(Config(keys={"copy_link": "Y"})).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert pilot.app.query_one(ArticleList).entry.title == "A note without a link"
        await pilot.press("o", "Y")
        await settle(pilot)
        assert opened == [] and pilot.app.clipboard == ""
        assert toasts(pilot.app).count("This article has no link to open or copy.") == 2


async def test_h_on_a_mouse_selection_highlights_it_and_ends_the_selection(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        start = SUMMARY.index("cooperation")
        await pilot.mouse_down(screen.body, offset=(start, 0))
        await pilot.hover(screen.body, offset=(start + 5, 0))
        await pilot.mouse_up(screen.body, offset=(start + 5, 0))
        await pilot.pause()
        assert screen.get_selected_text() == "cooper"
        await pilot.press("h")
        await settle(pilot)
        assert screen.get_selected_text() is None  # highlighted: ctrl+c no longer copies it
        assert "Highlighted." in status(pilot)


# -- the library's footer: s and U where they fit ----------------------------------------------


def footer_keys(screen) -> dict[str, str]:
    """What the footer draws: the shown active bindings, description -> key."""
    return {active.binding.description: active.binding.key for active in screen.active_bindings.values() if active.binding.show}


async def test_sort_and_unread_only_are_in_the_footer_where_it_has_room(make_test_app):
    async with make_test_app(Config(keys={"cycle_sort": "ctrl+t"})).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert footer_keys(screen).get("Sort") == "ctrl+t" and footer_keys(screen).get("Unread only") == "U"
        await pilot.press("ctrl+t")  # the shown binding runs
        await settle(pilot)
        assert "by title (^t)" in shown_at(pilot.app, "#status")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "Sort" not in footer_keys(screen) and "Unread only" not in footer_keys(screen)
        assert "Help" in footer_keys(screen)  # the reason they go at 80 columns
        await pilot.press("ctrl+t", "U")  # the hidden bindings still work
        await settle(pilot)
        status = shown_at(pilot.app, "#status")
        assert "by source (^t)" in status and "unread only (U)" in status


async def test_a_selection_in_a_scrolled_view_copies_the_words_under_the_mouse(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("ctrl+d", "ctrl+d")
        await pilot.pause()
        body = screen.body
        top = int(screen.scroller.scroll_y - body.virtual_region.y)
        assert top > 10
        line = top + 3  # a line of the body in view
        while not body.render_line(line).text.strip():
            line += 1
        text = body.render_line(line).text.rstrip()
        await pilot.mouse_down(body, offset=(0, line))
        await pilot.hover(body, offset=(len(text) - 1, line))
        await pilot.mouse_up(body, offset=(len(text) - 1, line))
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert pilot.app.clipboard == text


async def test_the_find_bar_names_its_close_key_as_mapped(make_test_app):
    async with make_test_app(Config(keys={"close_find": "ctrl+g"})).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("slash")
        assert "^g clears them" in screen.find_bar.input.placeholder
        await pilot.press(*"quay", "ctrl+g")
        await pilot.pause()
        assert not screen.find_bar.display and status(pilot) == ""
