"""Article text is shown literally on every screen, and clicking it runs nothing.

The hostile fixture article has ``[@click=app.quit]Tap here[/]`` and
``[link=file:///etc/passwd]x[/link]`` in its title, summary, body, source and related
card. If any of them were parsed as markup, the brackets would vanish from the screen
and a click on "Tap here" would quit the app.
"""

from __future__ import annotations

from textual.widgets import Static

from reader.tui.screens.article import ArticleScreen
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.related import RelatedCard

from .conftest import HOSTILE
from .helpers import click_every, palette, settle, shown, shown_at

SIZE = (140, 40)


async def test_library_list_and_preview_show_markup_literally(make_test_app):
    async with make_test_app().run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)
        rows = shown(pilot.app.query_one(ArticleList))
        assert "[@click=app.quit]Tap here[/] and [link=file://" in rows  # the list row (cut to fit)
        assert "[red]Evil[/red]" in rows  # the source column
        assert HOSTILE in shown_at(pilot.app, "#preview")
        assert await click_every(pilot, "Tap here") >= 2
        assert pilot.app.is_running


async def test_reader_shows_title_body_and_card_literally(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("G", "enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen)
        header, body = shown_at(pilot.app, "#article-header"), shown(screen.body)
        assert header.startswith(HOSTILE + "\n")  # the title
        assert "[red]Evil[/red] Source" in header
        assert HOSTILE in body  # the summary
        assert "A second paragraph with [b]not bold[/b]." in body
        card = screen.query(RelatedCard).first()
        assert card.target.title == HOSTILE
        await pilot.press("G")
        assert HOSTILE in "\n".join(shown(part) for part in card.query(Static))  # the related card
        await pilot.press("g")
        assert await click_every(pilot, "Tap here") >= 3  # a click on the card follows it: harmless
        assert pilot.app.is_running


async def test_search_status_and_hits_quote_the_query_literally(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"[b]tap")
        await settle(pilot)
        assert "“[b]tap”" in shown_at(pilot.app, "#status")
        await pilot.press("ctrl+a", "ctrl+k", *"tap")  # select all, delete: a fresh query
        await settle(pilot)
        assert "[@click=app.quit]Tap here[/]" in shown(pilot.app.query_one(ArticleList))  # the hit's title and snippet
        await click_every(pilot, "Tap here")
        assert pilot.app.is_running


async def test_palette_shows_titles_literally(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("G", "b", "ctrl+p", *"tap")
        await settle(pilot)
        text = "\n".join(palette(pilot.app))
        assert "[@click=app.quit]Tap here[/]" in text  # the article and bookmark hits
        assert "[red]Evil[/red] Source" in text  # the help line (escaped)
        await click_every(pilot, "Tap here")
        assert pilot.app.is_running
