"""Hints name the keys as mapped now; keys without a target say so; q closes the reader."""

from __future__ import annotations

from reader.config import Config
from reader.library import Library
from reader.model import Article, article_id
from reader.tui.screens.article import ArticleScreen, any_word_query
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.article_list import ArticleList

from .helpers import open_top_hit, settle, shown_at, toasts

SIZE = (120, 40)
REMAPPED = Config(keys={"bookmark": "m", "next_match": "x", "previous_match": "X", "search_card": "f", "open_in_browser": "w", "clear": "ctrl+g"})



async def test_hints_name_remapped_keys(make_test_app):
    async with make_test_app(REMAPPED).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "☆ Not bookmarked (m)" in shown_at(pilot.app, "#article-header")
        await pilot.press("tab", "tab", "enter")  # the card of an article not in the library
        await settle(pilot)
        status = str(pilot.app.screen.query_one("#article-status").render())
        assert "F fetches and saves it, f searches for it, w opens it." in status
        await pilot.press("escape", "escape")  # back from the card, then to the list
        await settle(pilot)
        # The hint was empty when Back focused a related card being replaced: the keys went to it, the search never ran.
        assert isinstance(pilot.app.screen, LibraryScreen), f"Escape twice left the reader open, the focus on {pilot.app.focused!r}"
        await open_top_hit(pilot, "pilots")
        assert "x next, X previous" in str(pilot.app.screen.query_one("#article-status").render())


async def test_no_results_hint_names_keys_that_work_from_the_box(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzqqq")
        await settle(pilot)
        await pilot.pause(0.1)
        await settle(pilot)
        status = str(pilot.app.screen.query_one("#status").render())
        assert "Press Escape, then ? for the search syntax." in status
        assert "Press ?" not in status


async def test_o_and_y_on_an_article_without_a_link(make_test_app, library_dir):
    plain = Article(id=article_id(url="", source="Notes", title="A note without a link", published="2027-01-01"),
                    title="A note without a link", summary="", body="Nothing to open here.", language="en",
                    source="Notes", url="", published="2027-01-01")
    with Library.open(library_dir) as library:
        library.add_articles([plain])
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert pilot.app.query_one(ArticleList).entry.title == "A note without a link"
        await pilot.press("enter")
        await settle(pilot)
        shown = {active.binding.id for active in pilot.app.screen.active_bindings.values()}
        assert "open_in_browser" not in shown and "copy_link" not in shown  # not offered in the footer
        await pilot.press("o")
        await settle(pilot)
        assert "This article has no link to open or copy." in toasts(pilot.app)
        assert pilot.app.clipboard == ""


def test_a_card_searches_any_of_its_words():
    assert any_word_query("Fishermen fear NOT the rules, or: quotas?") == "fishermen OR fear OR not OR the OR rules OR or OR quotas"


async def test_s_on_a_card_finds_articles_that_share_only_some_words(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "tab", "tab", "enter", "s")  # "Fishermen fear new quota rules"
        await settle(pilot)
        await pilot.pause(0.1)
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert pilot.app.query_one(ArticleList).entries, "no article shares a word with the card's title"


async def test_q_in_the_reader_closes_it_from_anywhere_in_its_history(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        first = pilot.app.screen
        assert isinstance(first, ArticleScreen)
        first_page = first.page
        await pilot.press("tab", "enter")  # follow a link: two pages deep
        await settle(pilot)
        assert pilot.app.screen is first and first.page != first_page  # another page, in the same reader
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert pilot.app.is_running


async def test_the_palette_has_no_keys_panel_or_screenshot(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {command.title for command in pilot.app.get_system_commands(pilot.app.screen)}
        assert "Theme" in titles and "Quit" in titles
        assert not titles & {"Keys", "Screenshot"}


async def test_n_goes_to_the_next_unread_and_wraps(make_test_app, library_dir):
    with Library.open(library_dir) as library:
        rows = library.list_articles()
        for row in rows[1:3]:
            library.set_read(row.id, True)
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = pilot.app.query_one(ArticleList)
        await pilot.press("n")
        assert articles.cursor == 3  # rows 1 and 2 are read
        for _ in range(len(rows) - 3):
            await pilot.press("n")
        assert articles.cursor == 0  # from the top again


async def test_mark_all_read_of_the_list(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        await settle(pilot)
        total = len(pilot.app.query_one(ArticleList).entries)
        assert f"Marked {total} articles as read." in toasts(pilot.app)
        assert all(entry.read for entry in pilot.app.query_one(ArticleList).entries)
    with Library.open(library_dir) as library:
        assert library.count(unread=True) == 0


async def test_a_new_reading_width_keeps_the_words_at_the_top(make_test_app):
    async with make_test_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen)
        screen.scroller.scroll_to(y=60, animate=False)
        await pilot.pause()
        before = screen.body.anchor_at(int(screen.scroller.scroll_y - screen.body.virtual_region.y))
        assert before is not None and before.block > 5
        for key in ("less_than_sign",) * 5:
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause()
        after = screen.body.anchor_at(int(screen.scroller.scroll_y - screen.body.virtual_region.y))
        assert after is not None and after.block == before.block
        assert abs(after.start - before.start) < 80  # the same line's words, rewrapped


async def test_back_returns_the_focus_to_the_link_followed(make_test_app):
    from reader.tui.widgets.related import RelatedCard

    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "tab")  # the second card
        followed = pilot.app.focused
        assert isinstance(followed, RelatedCard)
        target = followed.target
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause(0.1)
        await settle(pilot)
        focused = pilot.app.focused
        assert isinstance(focused, RelatedCard) and focused.target == target


async def test_the_list_takes_the_width_and_names_unknown_source_and_date(make_test_app, library_dir):
    undated = Article(id=article_id(url="", source="", title="A capture with neither source nor date", published=""),
                      title="A capture with neither source nor date", summary="", body="Text.", language="en",
                      source="", url="", published="")
    with Library.open(library_dir) as library:
        library.add_articles([undated])
    async with make_test_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        articles = pilot.app.query_one(ArticleList)
        assert articles.size.width == 120  # no preview beside it: the titles have the room
        assert not pilot.app.screen.query_one("#preview").display
        row = articles.index_of(undated.id)
        line = articles.render_line(row - int(articles.scroll_y)).text
        assert "—" in line and "undated" in line
    async with make_test_app().run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        preview = pilot.app.screen.query_one("#preview")
        assert preview.display and preview.outer_size.width == 60  # 30 % of 200 columns


async def test_help_explains_the_marks_and_says_it_scrolls(make_test_app):
    async with make_test_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        legend = str(pilot.app.screen.query_one("#help-legend").render())
        assert "• unread" in legend and "★ bookmarked" in legend and "scroll this page" in legend
        assert pilot.app.screen.query_one("#help-legend").region.y < 24  # on the first screenful


async def test_rules_under_headings_differ_from_the_background(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for selector in ("#article-header", ".related-heading"):
            widget = pilot.app.screen.query(selector).first()
            rule = widget.styles.border_bottom[1]
            background = widget.background_colors[1]
            assert abs(rule.brightness - background.brightness) > 0.2, selector
