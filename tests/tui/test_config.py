"""config.toml in the app: keys, theme and reading width apply; a bad file is a notification.

Reading the file is tested in tests/test_config.py (reader/config.py)."""

from __future__ import annotations

from reader.tui import make_app
from reader.tui.screens.article import ArticleScreen
from reader.tui.widgets.article_list import ArticleList

from .helpers import settle, shown, toasts

SIZE = (120, 40)


async def test_keys_theme_and_width_apply(library_dir, config_dir):
    (config_dir / "config.toml").write_text(
        'theme = "nord"\nreading_width = 60\n[keys]\nbookmark = "m"\ndown = "n,down"\n'
    )
    async with make_app(library_dir).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "nord"
        await pilot.press("n", "m")
        await settle(pilot)
        entry = pilot.app.query_one(ArticleList).entry
        assert entry.title == "Night train to the Alps returns" and entry.bookmarked
        await pilot.press("b")  # no longer bound
        assert pilot.app.query_one(ArticleList).entry.bookmarked
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert pilot.app.screen.query_one("#article-column").size.width == 60 - 4
        await pilot.press("question_mark")
        await settle(pilot)
        tables = "\n".join(shown(table) for table in pilot.app.screen.query(".help-table"))
        assert "m             Bookmark" in tables  # the help shows the remapped key


async def test_invalid_config_is_a_notification(library_dir, config_dir):
    (config_dir / "config.toml").write_text('theme = "no-such-theme"\n[keys]\nfly = "f"\n')
    async with make_app(library_dir).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        text = toasts(pilot.app)
        assert "Problems in config.toml" in text
        assert "unknown theme" in text and "fly" in text
        assert pilot.app.theme == "textual-dark"
