"""The command palette, long work in workers (import, reindex, export, first-run samples)."""

from __future__ import annotations

from textual.command import CommandInput, CommandPalette
from textual.widgets import Input

from reader.library import Library
from reader.model import Article, article_id
from reader.paths import sample_data_dir
from reader.tui import make_app
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.prompt import PathPrompt
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.task_bar import TaskBar

from .helpers import palette, post_keys_at_once, run_command, settle, shown, shown_at, toasts

SIZE = (120, 40)


async def answer(pilot, text: str) -> None:
    """Fill the path prompt (typing a long path key by key is slow) and press Enter."""
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


async def test_first_start_imports_the_samples_with_progress(data_dir):
    async with make_app(data_dir).run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, rounds=5)
        assert pilot.app.current_task is None
        assert len(pilot.app.query_one(ArticleList).entries) > 20
        assert "Welcome to Reader" in toasts(pilot.app)


async def test_palette_import_asks_for_a_path_and_imports(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_command(pilot, "import")
        assert isinstance(pilot.app.screen, PathPrompt)
        await answer(pilot, str(sample_data_dir() / "markdown"))
        await settle(pilot, rounds=5)
        assert "Imported 9 new" in toasts(pilot.app)
        assert len(pilot.app.query_one(ArticleList).entries) == 5 + 9


async def test_import_of_a_missing_path_is_a_clear_message(make_test_app, tmp_path):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_command(pilot, "import")
        await answer(pilot, str(tmp_path / "[@click=app.quit]x[/]"))
        await settle(pilot)
        hint = str(pilot.app.screen.query_one("#prompt-hint").render())  # said in the dialog, not parsed
        assert "[@click=app.quit]x[/] does not exist" in hint
        assert pilot.app.is_running


async def test_import_failures_are_notifications(make_test_app, tmp_path):
    bad = tmp_path / "empty.html"
    bad.write_bytes(b"")
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_command(pilot, "import")
        await answer(pilot, str(bad))
        await settle(pilot, rounds=5)
        text = toasts(pilot.app)
        assert "failed 1." in text and "empty.html: empty file" in text
        assert "Traceback" not in text


async def test_escape_cancels_the_prompt(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, "import")
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, PathPrompt)
        assert pilot.app.current_task is None


async def test_reindex_runs_with_a_message(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_command(pilot, "rebuild")
        await settle(pilot, rounds=5)
        assert "The search index was rebuilt: 5 articles." in toasts(pilot.app)


async def test_export_bookmarks_writes_markdown_atomically(make_test_app, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await run_command(pilot, "export")
        prompt = pilot.app.screen
        assert isinstance(prompt, PathPrompt)
        await pilot.press("enter")  # the default: ~/reader-bookmarks.md
        await settle(pilot, rounds=5)
        exported = tmp_path / "reader-bookmarks.md"
        assert exported.read_text().startswith("# Bookmarks\n\n- [Kelmouth and Lindholm sign harbour pact](https://")
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert "Exported 1 bookmarks" in toasts(pilot.app)


async def test_export_to_an_unwritable_place_is_a_message(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_command(pilot, "export")
        await answer(pilot, "/proc/no/bookmarks.md")
        await settle(pilot, rounds=5)
        text = toasts(pilot.app)
        assert "Exporting bookmarks failed" in text and "Traceback" not in text


async def test_palette_finds_articles_and_bookmarks(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, "night train")
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert shown_at(pilot.app, "#article-header").startswith("Night train to the Alps returns\n")
        await pilot.press("b", "escape")
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert any(entry.startswith("★ Night train to the Alps returns") for entry in palette(pilot.app))  # bookmarks are listed


async def test_palette_offers_theme_and_the_filter(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        text = "\n".join(palette(pilot.app))
        for command in ("Import files or folders", "Rebuild the search index", "Export bookmarks", "Theme", "Show bookmarks only"):
            assert command in text
        await pilot.press("escape")
        await run_command(pilot, "bookmarks only")
        assert pilot.app.screen.bookmarks_only


async def test_a_second_task_waits_for_the_first(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app = pilot.app
        assert app.run_task("Slow", lambda progress: __import__("time").sleep(0.3))
        assert not app.run_task("Another", lambda progress: None)
        await pilot.pause()
        assert "Please wait until “Slow” has finished." in toasts(app)
        await settle(pilot)


async def test_an_unexpected_error_in_a_task_is_a_notification(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)

        def broken(progress):
            raise ValueError("boom")

        pilot.app.run_task("Breaking", broken)
        await settle(pilot)
        assert "Breaking failed unexpectedly: ValueError: boom" in toasts(pilot.app)
        assert pilot.app.is_running


async def test_progress_shows_on_the_task_bar(make_test_app):
    import threading

    release = threading.Event()

    def job(progress):
        progress(3, 10)
        release.wait(5)

    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.run_task("Working hard", job)
        bar = pilot.app.screen.query_one(TaskBar)
        for _ in range(50):  # the bar is mounted on first use; give a loaded machine time
            await pilot.pause(0.1)
            if bar.query("#task-progress") and shown(bar.query_one("#task-progress #percentage")) == "30%":
                break
        assert bar.display and shown(bar.query_one("#task-label")) == "Working hard"
        assert shown(bar.query_one("#task-progress #percentage")) == "30%"
        release.set()
        await settle(pilot)
        assert not bar.display


def test_make_app_reports_a_damaged_library(tmp_path):
    import pytest

    from reader.errors import ReaderError

    (tmp_path / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ReaderError):
        make_app(tmp_path)


def test_run_prints_one_line_for_a_damaged_library(tmp_path, capsys):
    from reader.tui import run

    (tmp_path / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    assert run(tmp_path) == 1
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and "damaged" in err and "Traceback" not in err



async def test_a_typo_in_the_import_path_keeps_the_text_and_completion_fixes_it(make_test_app, tmp_path, monkeypatch):
    folder = tmp_path / "articles-2026"
    folder.mkdir()
    (folder / "note.md").write_text("# A note\n\nSome text about the quay.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_command(pilot, "import")
        await answer(pilot, "articles-2O26")  # a typo
        await settle(pilot)
        prompt = pilot.app.screen
        assert isinstance(prompt, PathPrompt)  # still open, the text as typed
        assert prompt.query_one(Input).value == "articles-2O26"
        assert "does not exist" in str(prompt.query_one("#prompt-hint").render())
        box = prompt.query_one(Input)
        box.value = ""
        await pilot.press(*"arti")
        await settle(pilot)  # the suggester runs in a worker
        await pilot.press("tab")
        assert box.value == "articles-2026/"
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert "Imported 1 new" in toasts(pilot.app)


async def test_export_asks_before_replacing_a_file(make_test_app, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    existing = tmp_path / "reader-bookmarks.md"
    existing.write_text("my own notes\n")
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await run_command(pilot, "export")
        await pilot.press("enter")
        await settle(pilot)
        prompt = pilot.app.screen
        assert isinstance(prompt, PathPrompt)
        assert "exists. Enter again to replace it." in str(prompt.query_one("#prompt-hint").render())
        assert existing.read_text() == "my own notes\n"
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert existing.read_text().startswith("# Bookmarks")


async def test_a_task_asked_for_during_a_quiet_one_runs_after_it(make_test_app):
    """The index check at start is a quiet task; an update pressed meanwhile used to be
    refused with "Please wait until “Updating the search index” has finished"."""
    import threading

    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app = pilot.app
        release, ran = threading.Event(), []
        assert app.run_task("Checking quietly", lambda progress: release.wait(10), quiet=True)
        assert app.run_task("Mine", lambda progress: ran.append("job") or "result", ran.append)
        await pilot.pause()
        assert app.current_task is not None and "Mine" in app.current_task.label  # the bar names it, waiting
        assert "Please wait" not in toasts(app) and ran == []
        assert not app.run_task("A third", lambda progress: None)  # only one waits
        release.set()
        for _ in range(50):
            await pilot.pause(0.05)
            if app.current_task is None and ran:
                break
        assert ran == ["job", "result"]



async def test_the_palette_runs_the_command_found_for_keys_typed_at_once(make_test_app, tmp_path):
    """ctrl+p, "import files", Enter and a path in one write: Textual's Enter chose from
    the commands listed before anything was typed and ran the first, "Maximize" (the
    list then hid the search box and the pane), and the path went into the palette's box."""
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        library = pilot.app.screen
        post_keys_at_once(pilot, "ctrl+p", *"import files", "enter", *str(tmp_path))
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, PathPrompt), pilot.app.screen
        assert pilot.app.screen.query_one(Input).value == str(tmp_path)
        assert library.maximized is None


async def test_keys_typed_while_the_bookmarks_load_still_find_the_command(make_test_app, tmp_path, monkeypatch):
    """The palette reads the bookmarks when it opens. Textual awaits a provider's startup
    in every look-up and cancels a look-up at each key, so a key typed while the bookmarks
    were read cancelled the reading itself, and every later look-up of that palette ended
    empty: "import files", Enter found nothing and the path went into the palette's box
    (one run in ten on a loaded machine, in tmux). Slow bookmarks make it happen each time."""
    import time

    app = make_test_app()
    bookmarks = app.library.bookmarks

    def slow_bookmarks():
        time.sleep(0.5)
        return bookmarks()

    monkeypatch.setattr(app.library, "bookmarks", slow_bookmarks)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", "i")
        await pilot.pause(0.1)  # the look-up for "i" waits for the bookmarks
        post_keys_at_once(pilot, *"mport files", "enter", *str(tmp_path))
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, PathPrompt), pilot.app.screen
        assert pilot.app.screen.query_one(Input).value == str(tmp_path)


async def test_keys_typed_after_an_enter_that_finds_no_command_stay_in_the_palette(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        post_keys_at_once(pilot, "ctrl+p", *"zzqx", "enter", *"abc")
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, CommandPalette)
        assert pilot.app.screen.query_one(CommandInput).value == "zzqxabc"
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, CommandPalette)
        assert pilot.app.query_one(ArticleList).has_focus  # the library, as before


async def test_a_command_named_by_what_was_typed_comes_before_articles_that_contain_it(make_test_app, library_dir):
    """"help" and Enter opened an article with "help" in its title: the help's command was
    named "Keys and search syntax", so nothing but the articles matched "help"."""
    helping = Article(
        id=article_id(url="https://news.example/volunteers", source="Gazette", title="Volunteers help", published="2026-04-01"),
        title="Volunteers help clean the harbour beach", body="They help every spring.", language="en",
        source="Gazette", url="https://news.example/volunteers", published="2026-04-01",
    )
    with Library.open(library_dir) as library:
        library.add_articles([helping])
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"help")
        await settle(pilot)
        listed = palette(pilot.app)
        assert listed[0].startswith("Help: keys and search syntax"), listed
        assert any(entry.startswith("Open: Volunteers help") for entry in listed), listed  # still offered, below
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)


async def test_a_task_that_ends_as_the_app_quits_updates_no_screen(data_dir):
    """The start-up index check ended once while a test's app was quitting, and its callback
    asked the library screen, whose widgets were gone, for the sources pane (NoMatches).
    A task's end that arrives once the app has stopped running calls nothing."""
    from reader.tui.app import TaskDone
    from reader.tui.widgets.sources import SourcesPane

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
    called = []
    app.on_task_done(TaskDone(lambda result: called.append(screen.query_one(SourcesPane)), None, None))
    assert called == []
