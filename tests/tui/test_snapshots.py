"""Snapshots of the main screens at 120x40, 80x24 and 200x60 (SVGs under __snapshots__/).

Run ``pytest tests/tui/test_snapshots.py --snapshot-update`` after an intended change
and look at the SVGs before committing them. The data is the fixed library of
conftest.py; nothing on screen depends on the clock.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from .helpers import open_top_hit, settle

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


def steady(*keys: str):
    """A run_before that presses keys, waits for the workers and stops cursor blinking."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for box in pilot.app.query(Input):
            box.cursor_blink = False

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_library(snap_compare, make_test_app, size):
    assert snap_compare(make_test_app(), terminal_size=size, run_before=steady("j"))


@pytest.mark.parametrize("size", SIZES)
def test_search_results(snap_compare, make_test_app, size):
    assert snap_compare(make_test_app(), terminal_size=size, run_before=steady("slash", *"ferry"))


@pytest.mark.parametrize("size", SIZES)
def test_reader(snap_compare, make_test_app, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await open_top_hit(pilot, "pilots")  # n before the reader opened was the list's next unread
        await steady("n")(pilot)

    assert snap_compare(make_test_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, make_test_app, size):
    assert snap_compare(make_test_app(), terminal_size=size, run_before=steady("question_mark"))


def with_highlights(*keys: str):
    """A run_before that gives the first article two highlights (one with a note), opens
    it and presses ``keys`` (v: a selection being made, drawn over the text)."""

    async def run_before(pilot) -> None:
        from reader.highlights import article_text

        library = pilot.app.library
        row = library.list_articles(limit=1)[0]
        article = library.get(row.id)
        text = article_text(article.body, article.summary).text
        for passage, note in (
            ("The ports of Kelmouth and Lindholm will share pilots and a training centre.", "Ask who pays for the centre."),
            ("Paragraph 2: the harbour pilots met the ferry crews again", ""),
        ):
            start = text.index(passage)
            library.add_highlight(row.id, start, start + len(passage), note)
        await settle(pilot)
        await pilot.press("enter")
        await steady(*keys)(pilot)

    return run_before


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")])
def test_reader_with_highlights(snap_compare, make_test_app, size):
    assert snap_compare(make_test_app(), terminal_size=size, run_before=with_highlights("v"))


def with_saved_searches(*keys: str):
    """A run_before that saves two searches (one with a name of markup, drawn as typed),
    waits for the sources pane to count them and presses ``keys``."""

    async def run_before(pilot) -> None:
        from reader.tui.widgets.sources import SourcesPane

        from .conftest import HOSTILE

        await settle(pilot)
        pilot.app.library.saved_searches.save("Trains", "train")
        pilot.app.library.saved_searches.save(HOSTILE, "harbour OR ferry")
        pilot.app.screen.query_one(SourcesPane).load()
        await steady(*keys)(pilot)

    return run_before


@pytest.mark.parametrize("size", [SIZES[1], SIZES[2]])
def test_library_with_saved_searches(snap_compare, make_test_app, size):
    assert snap_compare(make_test_app(), terminal_size=size, run_before=with_saved_searches("j"))
