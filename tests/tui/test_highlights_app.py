"""Highlights in the app: visual mode by sentence and by line, the mouse, notes, the
lists of the article and of the library, and a highlight made here that survives a
re-import of its article with edited paragraphs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from reader.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.highlighting import HighlightList, NotePrompt

from .conftest import find_id
from .helpers import click_every, footer_keys, run_command, settle, shown_at

SIZE = (120, 40)
PACT = "Kelmouth and Lindholm sign harbour pact"
FIRST = "A ten-year cooperation between two North Sea harbours."
SECOND = "The ports of Kelmouth and Lindholm will share pilots and a training centre."


async def open_pact(pilot) -> ArticleScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen) and screen.page.article_id == find_id(PACT)
    return screen


def status(pilot) -> str:
    """The reader's status line (what visual mode, highlighting and notes say)."""
    return shown_at(pilot.app, "#article-status")


def offered(pilot) -> list[str]:
    """The keys the footer offers, as drawn ("v Select")."""
    return [text for text, _, _ in footer_keys(pilot.app)]


def stored(library_dir) -> list:
    with Library.open(library_dir) as library:
        return library.highlights()


async def test_v_selects_the_sentence_j_extends_h_highlights(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_pact(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert "Selecting sentences ·" in status(pilot)
        assert screen.body.marks  # the selection is drawn
        await pilot.press("j", "h")
        await settle(pilot)
        assert "Highlighted." in status(pilot)
        assert not any("Highlight with a note" in key for key in offered(pilot))  # visual mode is over
    [made] = stored(library_dir)
    assert made.text == f"{FIRST}\n\n{SECOND}"
    assert made.note == ""


async def test_a_highlights_with_a_note_and_H_lists_and_edits_it(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_pact(pilot)
        await pilot.press("v", "a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NotePrompt)
        await pilot.press(*"ask the pilots", "enter")
        await settle(pilot)
        assert "Note saved." in status(pilot)
        components = {c for runs in screen.body.marks.values() for *_, c in runs}
        assert components == {"noted"}
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HighlightList)
        text = shown_at(pilot.app, "#highlight-options")
        assert f"“{FIRST}”" in text and "✎ ask the pilots" in text
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NotePrompt)
        await pilot.press("ctrl+a", "ctrl+k", *"call the pilots", "enter")
        await settle(pilot)
    [made] = stored(library_dir)
    assert (made.text, made.note) == (FIRST, "call the pilots")


async def test_escape_cancels_visual_mode_and_V_selects_lines(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_pact(pilot)
        await pilot.press("V", "escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert "Selection cancelled." in status(pilot)
        assert not any("Highlight with a note" in key for key in offered(pilot))  # visual mode is over
        await pilot.press("V", "h")  # the first line: the summary
        await settle(pilot)
        await pilot.press("V", "j", "j", "h")  # three lines: into the wrapped "Paragraph 1"
        await settle(pilot)
    first, second = sorted(stored(library_dir), key=lambda h: len(h.text))
    assert first.text == FIRST
    assert second.text.startswith(f"{FIRST}\n\n{SECOND}\n\nParagraph 1: the harbour")
    assert not second.text.endswith("the new quay.")  # a line ends it, not the paragraph


async def test_h_outside_visual_mode_does_nothing(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_pact(pilot)
        await pilot.press("h")
        await settle(pilot)
        footer = offered(pilot)
        assert "v Select" in footer and not any("Highlight with a note" in key for key in footer)  # offered in visual mode only
        await pilot.press("v")
        await pilot.pause()
        assert any("Highlight with a note" in key for key in offered(pilot))
    assert stored(library_dir) == []


async def test_a_mouse_drag_selects_words_and_h_highlights_them(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_pact(pilot)
        body = screen.body
        await pilot.pause()
        # The summary is the body's first line: drag from its third word to its fifth.
        start = FIRST.index("cooperation")
        end = FIRST.index("two") + 2
        await pilot.mouse_down(body, offset=(start + 1, 0))
        await pilot.hover(body, offset=(end, 0))
        await pilot.mouse_up(body, offset=(end, 0))
        await settle(pilot)
        assert "Selecting with the mouse ·" in status(pilot)
        await pilot.press("h")
        await settle(pilot)
    [made] = stored(library_dir)
    assert made.text == "cooperation between two"


async def test_the_palette_lists_every_highlight_and_opens_the_article_there(make_test_app, library_dir):
    with Library.open(library_dir) as library:
        rows = {row.title: row.id for row in library.list_articles()}
        night = library.get(rows["Night train to the Alps returns"])
        text = f"{night.summary}\n\n"
        library.add_highlight(night.id, len(text), len(text) + len("The night train"), "book it")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, "Highlights and notes")
        assert isinstance(pilot.app.screen, HighlightList)
        text = shown_at(pilot.app, "#highlight-options")
        assert "Night train to the Alps returns" in text and "“The night train”" in text and "✎ book it" in text
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen) and screen.page.article_id == night.id
        assert "Highlight “The night train” · ✎ “book it”" in status(pilot)


async def test_a_highlight_made_in_the_app_survives_a_reimport_with_edited_paragraphs(make_test_app, library_dir, tmp_path):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_pact(pilot)
        await pilot.press("v", "j", "a")
        await settle(pilot)
        await pilot.press(*"share the training centre?", "enter")
        await settle(pilot)
    with Library.open(library_dir) as library:
        article = library.get(next(r.id for r in library.list_articles() if r.title == PACT))
        record = article.to_dict()
    # The article comes again, edited: a new first paragraph, the highlighted one reworded.
    record["body"] = record["body"].replace(
        SECOND, "Update, 12 March: the councils approved it.\n\nThe ports of Kelmouth and Lindholm will share their pilots and a new training centre."
    )
    path = tmp_path / "edited.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    env = {**os.environ, "READER_DATA_DIR": str(library_dir), "NO_COLOR": "1"}
    run = [sys.executable, "-m", "reader"]
    imported = subprocess.run([*run, "import", str(path)], capture_output=True, text=True, env=env, timeout=120)
    assert "updated 1" in imported.stderr, imported.stderr
    markdown = subprocess.run([*run, "highlights", "--format", "markdown"], capture_output=True, text=True, env=env, timeout=120).stdout
    assert f"## [{PACT}]({article.url})" in markdown
    assert f"> {FIRST}" in markdown
    assert "> The ports of Kelmouth and Lindholm will share their pilots and a new training centre." in markdown
    assert "share the training centre?" in markdown
    assert "no longer in the article" not in markdown


async def test_the_keys_follow_keys_in_config_toml(make_test_app, library_dir):
    from reader.config import Config

    config = Config(keys={"visual_select": "z", "highlight": "m", "list_highlights": "L"})
    async with make_test_app(config).run_test(size=SIZE) as pilot:
        await open_pact(pilot)
        assert "z Select" in offered(pilot)
        await pilot.press("z")
        await pilot.pause()
        assert "m highlight" in status(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HighlightList)
    assert [h.text for h in stored(library_dir)] == [FIRST]


async def test_the_search_box_finds_articles_by_their_highlights_and_notes(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_pact(pilot)
        await pilot.press("v", "a")
        await settle(pilot)
        await pilot.press(*"tidal berths", "enter")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("slash", *"in:highlights tidal")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert "1 result" in shown_at(pilot.app, "#status") and PACT in shown_at(pilot.app, "ArticleList")
        await pilot.press(*["backspace"] * len("in:highlights tidal"), *"has:note")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert PACT in shown_at(pilot.app, "ArticleList")


async def test_d_twice_in_the_list_deletes_a_highlight(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_pact(pilot)
        await pilot.press("v", "h")
        await settle(pilot)
        await pilot.press("H", "d")
        await settle(pilot)
        assert "Press d again to delete this highlight." in shown_at(pilot.app, "#prompt-hint")
        assert len(stored(library_dir)) == 1
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen) and not screen.body.marks
        assert "Deleted the highlight" in status(pilot)
    assert stored(library_dir) == []


async def test_the_highlight_list_shows_markup_in_notes_and_passages_as_text(make_test_app, library_dir):
    # A note (or passage) is the person's or the article's text: markup in it is drawn as
    # typed, and its [@click] runs nothing.
    hostile = "[@click=app.quit]quit[/] [b]not bold[/b]"
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_pact(pilot)
        await pilot.press("v", "h")
        await settle(pilot)
    [made] = stored(library_dir)
    with Library.open(library_dir) as library:
        library.set_highlight_note(made.id, hostile)
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_pact(pilot)
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HighlightList)
        assert f"✎ {hostile}" in shown_at(pilot.app, "#highlight-options")
        assert await click_every(pilot, "quit[/]") >= 1
        await settle(pilot)
        # A click on an option chooses it (back to the article at the passage); nothing quits.
        assert pilot.app.is_running and isinstance(pilot.app.screen, ArticleScreen)
