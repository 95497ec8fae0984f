"""config.toml: keys, theme and reading width; a bad file is a warning, never a crash."""

from __future__ import annotations

from reader.config import DEFAULT_READING_WIDTH, load_config
from reader.tui import make_app
from reader.tui.screens.article import ArticleScreen
from reader.tui.widgets.article_list import ArticleList

from .helpers import screen_text, settle

SIZE = (120, 40)


def test_missing_file_is_the_defaults(config_dir):
    config = load_config()
    assert config.keys == {} and config.theme is None and config.reading_width == DEFAULT_READING_WIDTH
    assert config.problems == () and config.path == config_dir / "config.toml"


def test_each_bad_setting_is_named_and_the_rest_kept(config_dir):
    (config_dir / "config.toml").write_text(
        'theme = 7\nreading_width = 500\ncolour = "red"\n[keys]\nbookmark = "m"\nsearch = 3\n'
    )
    config = load_config()
    assert config.keys == {"bookmark": "m"}
    assert config.theme is None and config.reading_width == DEFAULT_READING_WIDTH
    assert len(config.problems) == 4
    assert any("reading_width" in p for p in config.problems)
    assert any("'colour'" in p for p in config.problems)


def test_broken_toml_is_one_problem(config_dir):
    (config_dir / "config.toml").write_text("theme = [unclosed\n")
    config = load_config()
    assert config.problems and "using the defaults" in config.problems[0]


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
        assert "m             Bookmark" in screen_text(pilot.app)  # the help shows the remapped key


async def test_invalid_config_is_a_notification(library_dir, config_dir):
    (config_dir / "config.toml").write_text('theme = "no-such-theme"\n[keys]\nfly = "f"\n')
    async with make_app(library_dir).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(pilot.app)
        assert "Problems in config.toml" in text
        assert "unknown theme" in text and "fly" in text
        assert pilot.app.theme == "textual-dark"
