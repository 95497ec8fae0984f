"""The reader's progress on its status line ("42% · 3 min left") and the note on opening
an article at its stored reading position ("Resumed where you left off (NN%)")."""

from __future__ import annotations

import math
import re

from reader.library import Library
from reader.tui.screens.article import WORDS_PER_MINUTE, ArticleScreen

from .conftest import find_id
from .helpers import open_top_hit, settle, shown_at

SIZE = (80, 24)
PROGRESS = re.compile(r"(\d+)% · (?:(\d+) min left|end)")


async def open_article(pilot, *keys: str) -> ArticleScreen:
    await settle(pilot)
    await pilot.press(*keys, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ArticleScreen)
    return pilot.app.screen


def progress(app) -> tuple[int, int]:
    """(percent, minutes left) as the status line shows them; 0 minutes for "end"."""
    text = shown_at(app, "#article-progress")
    match = PROGRESS.fullmatch(text.strip())
    assert match, f"no reading progress in {text!r}"
    return int(match[1]), int(match[2] or 0)


def expected(screen: ArticleScreen) -> tuple[int, int]:
    """What the line must say: the part of the body above the view's bottom, and the
    words below it at WORDS_PER_MINUTE, from the screen's own geometry."""
    body, scroller = screen.body.virtual_region, screen.scroller
    seen = min(1.0, (scroller.scroll_y + scroller.size.height - body.y) / body.height)
    article_id = screen.page.article_id
    assert article_id is not None
    words = screen.app.library.get(article_id).word_count  # type: ignore[attr-defined]  # ReaderApp's
    return math.floor(seen * 100), math.ceil(words * (1 - seen) / WORDS_PER_MINUTE)


async def test_progress_follows_the_scrolling(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_article(pilot)
        at_top = progress(pilot.app)
        assert at_top == expected(screen)
        assert 0 < at_top[0] < 50 and at_top[1] >= 2  # a 3-minute article, its first screen
        await pilot.press("ctrl+d", "ctrl+d")
        await pilot.pause()
        further = progress(pilot.app)
        assert further == expected(screen)
        assert further[0] > at_top[0] and further[1] <= at_top[1]
        await pilot.press("end")
        await pilot.pause()
        assert shown_at(pilot.app, "#article-progress").strip() == "100% · end"
        await pilot.press("home")
        await pilot.pause()
        assert progress(pilot.app) == at_top


async def test_progress_follows_a_change_of_width(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_article(pilot)
        await pilot.press("ctrl+d")
        await pilot.pause()
        before = progress(pilot.app)
        for _ in range(10):  # 40 columns: each paragraph takes three lines instead of two
            await pilot.press("minus")
        await settle(pilot)
        assert progress(pilot.app) == expected(screen)
        assert progress(pilot.app) != before  # narrower: more lines, the same view is less of them


async def test_a_short_article_in_view_is_read_to_its_end(make_test_app):
    async with make_test_app().run_test(size=(120, 40)) as pilot:
        await open_article(pilot, "down")  # "Night train to the Alps returns": two lines
        assert shown_at(pilot.app, "#article-progress").strip() == "100% · end"
        assert "Resumed" not in shown_at(pilot.app, "#article-status")


async def test_opening_at_a_stored_position_says_resumed(make_test_app, library_dir):
    with Library.open(library_dir) as library:
        library.set_position(find_id("Kelmouth"), 0.5)
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_article(pilot)
        # Half of the page as it was then: "More like this" may lengthen it afterwards.
        assert screen.scroller.scroll_y > 0
        percent, _ = progress(pilot.app)
        assert 40 < percent < 100
        assert shown_at(pilot.app, "#article-status") == f"Resumed where you left off ({percent}%)."


async def test_no_resume_note_without_a_stored_position(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_article(pilot)
        assert "Resumed" not in shown_at(pilot.app, "#article-status")
        assert pilot.app.screen.scroller.scroll_y == 0


async def test_no_resume_note_when_opened_from_a_search(make_test_app, library_dir):
    """From a search the view goes to the first match, not to the stored position."""
    with Library.open(library_dir) as library:
        library.set_position(find_id("Kelmouth"), 0.5)
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_top_hit(pilot, "pilots")
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert shown_at(pilot.app, "#article-status").startswith("Match 1 of")
        assert progress(pilot.app) == expected(pilot.app.screen)
