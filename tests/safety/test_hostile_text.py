"""Hostile text is shown literally or removed, never interpreted (issue 5, area 1).

The fixtures (hostile.py) carry Textual/Rich markup with an action link, ANSI CSI and
OSC sequences (clear screen, OSC 52 clipboard write, OSC 8 hyperlink, OSC 2 title), C0
and C1 controls, NUL, backspace, bidi overrides and isolates, zero-width characters, a
1 MB single-line paragraph and 50,000 paragraphs, in every import format. Each is
followed through the real ``reader`` command (import, store, index, list, show, search,
bookmarks, export) and through the app (Pilot on the library, reader and search views;
tmux on the installed command): no output may hold a byte a terminal acts on, markup is
printed as the characters it is made of, and clicking it runs nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from reader.library import Library
from reader.model import Article, RelatedLink

from . import hostile
from .helpers import SECRETS, assert_terminal_safe, check_ok, load_json, reader

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

_STORED_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[bytes], list[str]]:
    """The hostile files imported with the real command, every article bookmarked. Read-only for the tests."""
    root = tmp_path_factory.mktemp("hostile")
    files = hostile.write_all(root / "files")
    data = root / "data"
    imported = reader(data, "import", str(root / "files"), timeout=120)
    ids = [row["id"] for row in load_json(reader(data, "list", "--format", "json"), "list")]
    check_ok(reader(data, "bookmark", *ids), "bookmark")
    assert len(files) == len(hostile.FILES)
    return data, imported, ids


def test_every_hostile_file_imports_and_the_import_prints_safely(library) -> None:
    _data, imported, ids = library
    _, err = check_ok(imported, "import")
    assert err.strip().splitlines()[-1] == f"imported {len(ids)}, updated 0, failed 0"
    assert len(ids) == 10  # capture, markdown, html, 3 feed entries, 2 JSON, 1 MB line, 50,000 paragraphs


def test_the_store_and_the_index_hold_only_clean_text(library) -> None:
    data, _, ids = library
    with Library.open(data) as lib:
        articles = [lib.get(article_id) for article_id in ids]
        hits = lib.search("kelpfjord", limit=50).hits
    assert len(hits) == len(ids)  # the marker after every hostile run survived cleaning
    for article in articles:
        values = [article.title, article.summary, article.body, article.source, article.url, *article.tags]
        for link in article.related:
            values += [link.title, link.summary, link.url]
        for value in values:
            assert not _STORED_UNSAFE.search(value), (article.title[:40], repr(value[:200]))
            assert not any(secret in value for secret in SECRETS)
        assert article.url == "" or article.url.startswith(("http://", "https://"))
        assert all(link.url == "" or link.url.startswith(("http://", "https://")) for link in article.related)
    for hit in hits:
        assert not _STORED_UNSAFE.search(hit.title + hit.snippet)
    titled = [a for a in articles if a.title.startswith("Hostile") and "url schemes" not in a.title]
    assert len(titled) == 7
    assert all(hostile.CLICK in a.title for a in titled), [a.title for a in titled]
    sizes = {a.title.split(" kelpfjord")[0]: a for a in articles if a.title.endswith("kelpfjord")}
    mega = sizes["One megabyte paragraph"]
    assert len(mega.summary + mega.body) > 1_000_000
    assert len(sizes["Fifty thousand paragraphs"].paragraphs) >= 49_999


def test_list_and_show_print_markup_literally_and_nothing_else(library) -> None:
    data, _, ids = library
    table, _ = check_ok(reader(data, "list"), "list")
    assert "[@click=app.quit]Tap here[/]" in table
    listed = load_json(reader(data, "list", "--format", "json"), "list json")
    assert {row["id"] for row in listed} == set(ids)
    for article_id in ids:
        text, _ = check_ok(reader(data, "show", article_id), f"show {article_id}")
        record = load_json(reader(data, "show", article_id, "--format", "json"), f"show json {article_id}")
        if record["title"].startswith("Hostile") and "url schemes" not in record["title"]:
            assert hostile.CLICK in text and hostile.CLICK in record["title"]
            assert "[link=file:///etc/passwd]x[/link]" in text


@pytest.mark.parametrize(
    "query",
    ["kelpfjord", "Tap here", "megaword5", "paragraph 49000", "[@click=app.quit]", "\x1b]52;c;UmVhZGVy\x07 kelp*",
     "title:\u202ekelpfjord", "\x01\x9b2J kelpfjord"],
    ids=["marker", "markup-words", "megaline", "50k", "markup-query", "osc52-query", "bidi-query", "c1-query"],
)
def test_search_table_and_json_print_safely(library, query: str) -> None:
    data, _, _ = library
    # The query is the user's own text: echoed (escaped), so its payload may show, never act.
    _, err = check_ok(reader(data, "search", query), f"search {query!r}", secrets=False)
    if "\x1b" in query and "no results" in err:
        assert "\\x1b]52;c;UmVhZGVy\\x07" in err  # shown as the characters it is made of
    out, _ = check_ok(reader(data, "search", query, "--format", "json", "--limit", "50"), f"search json {query!r}",
                      secrets=False)
    result = json.loads(out)
    for hit in result["results"]:
        assert len(hit["snippet"]) < 1_000  # a 1 MB paragraph gives a snippet, not the paragraph
    if query in ("kelpfjord", "Tap here"):
        assert result["total"] >= 9
        assert any(hostile.CLICK in hit["title"] for hit in result["results"])


def test_bookmarks_export_and_info_print_safely(library) -> None:
    data, _, ids = library
    markdown, _ = check_ok(reader(data, "bookmarks", "--format", "markdown"), "bookmarks markdown")
    assert markdown.count("\n- ") == len(ids)
    assert "\\[@click=app.quit\\]Tap here\\[/\\]" in markdown  # escaped for Markdown, shown as written
    targets = re.findall(r"\]\(([^)]*)\)", markdown)
    assert all(t.startswith(("http://", "https://")) for t in targets), targets
    assert "javascript:" not in markdown and "file://" not in markdown.replace("[link=file://", "")
    check_ok(reader(data, "bookmarks"), "bookmarks table")
    assert len(load_json(reader(data, "bookmarks", "--format", "json"), "bookmarks json")) == len(ids)
    jsonl, _ = check_ok(reader(data, "export", "--format", "jsonl"), "export jsonl")
    assert len(jsonl.splitlines()) == len(ids)
    check_ok(reader(data, "info"), "info")


def test_text_stored_by_other_means_still_never_reaches_the_terminal(data_dir: Path) -> None:
    """A script (add_articles) or an old database can hold raw escapes: output cleans them again."""
    raw = hostile.hostile("rawmarker") + hostile.ESCAPES + "\x9d\x90open"
    article = Article(
        id="00000000000000aa", title="Raw " + raw, summary=raw, body=raw + "\n\n" + raw, language="en",
        source="Raw " + raw, url="https://news.example/raw", published="2026-03-01", tags=("t" + raw,),
        related=(RelatedLink("Card " + raw, raw, "en", "https://news.example/card"),), bookmarked=True,
    )
    with Library.open(data_dir) as lib:
        lib.add_articles([article])
    # JSON keeps the data exactly, as inert \u001b-style escapes; text output removes it.
    out, _ = check_ok(reader(data_dir, "show", article.id, "--format", "json"), "show json", secrets=False)
    record = json.loads(out)
    assert record["title"] == article.title
    assert record["body"] == article.body
    assert "\\u001b]52;c;UmVhZGVy" in out and "\\u009d" in out and "\\u202e" in out
    for args in (("list",), ("show", article.id), ("search", "rawmarker"), ("bookmarks", "--format", "markdown"),
                 ("bookmarks",)):
        check_ok(reader(data_dir, *args), " ".join(args))
    for args in (("list", "--format", "json"), ("search", "rawmarker", "--format", "json"), ("export",),
                 ("export", "--format", "jsonl")):
        check_ok(reader(data_dir, *args), " ".join(args), secrets=False)


def test_file_names_with_controls_give_one_escaped_line_each(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    names = ["evil\x1b[2J\nsecond line.txt", "bidi\u202etxt.exe.txt", "bell\x07.txt"]
    for name in names:
        (folder / name).write_bytes(b"")  # empty: each fails, so its name is printed
    Path(os.fsdecode(os.fsencode(folder) + b"/latin1-\xff.txt")).write_bytes(b"")
    (folder / "good.txt").write_text("A good title\n\nA good paragraph with words in it.\n")
    result = reader(data_dir, "import", str(folder))
    err = assert_terminal_safe(result.stderr, "import stderr")
    assert result.returncode == 1
    lines = err.strip().splitlines()
    assert lines[-1] == "imported 1, updated 0, failed 4"
    failures = lines[:-1]
    assert len(failures) == 4, failures
    assert all(line.startswith(str(folder)) and line.endswith(": empty file") for line in failures)
    assert any("evil\\x1b[2J\\x0asecond line.txt" in line for line in failures)
    assert any("bidi\\u202etxt.exe.txt" in line for line in failures)
    assert any("latin1-\\xff.txt" in line for line in failures)


def test_character_references_to_controls_are_removed_and_the_text_around_them_kept() -> None:
    """lxml decodes ``&#27;`` to ESC and refuses it in a tree: cleaned before it goes in, nothing else lost."""
    from reader.importers.html_body import fragment_to_markdown, html_to_markdown

    markup = ("lead&#7;in <p>one&#27;[2J two &#x1b;]2;PWNED-TITLE&#7;three&#1;four</p>"
              "<p><b>bo&#8;ld</b> tail&#127;end <a href='https://news.example/a&#1;b'>li&#x1f;nk</a> after&#27;[0mwards</p>")
    converted = fragment_to_markdown(markup)
    assert converted is not None  # the structured converter, not the fallback
    assert converted == html_to_markdown(markup)
    assert converted.split("\n\n") == [
        "leadin",
        "one two threefour",
        "**bold** tailend [link](https://news.example/ab) afterwards",
    ]


def test_a_stray_c1_introducer_does_not_swallow_the_rest_of_the_text() -> None:
    from reader.importers import parse_bytes

    [article] = parse_bytes("Title line\n\nThe text \u009d continues here. And a second sentence.\n\nMore.\n".encode(), "x.txt")
    assert "continues here" in article.summary + article.body
    assert article.body.endswith("More.")


# -- the app ---------------------------------------------------------------------------

SIZE = (140, 40)
SETTLE_BOUND = 120  # seconds: only a hang reaches it (the whole test takes about 25 s)


async def test_app_shows_hostile_text_literally_and_clicks_run_nothing(library, data_dir: Path) -> None:
    from reader.config import Config
    from reader.tui import make_app
    from reader.tui.screens.article import ArticleScreen
    from reader.tui.widgets.article_list import ArticleList
    from reader.tui.widgets.search_box import SearchBox

    from .helpers import click_every, drawn, settle

    shutil.copytree(library[0], data_dir, dirs_exist_ok=True)
    app = make_app(data_dir, Config())
    async with app.run_test(size=SIZE) as pilot:

        async def settled(what: str) -> None:
            """settle, bounded: a worker that never ends fails the test, naming itself, instead of hanging it."""
            try:
                async with asyncio.timeout(SETTLE_BOUND):
                    await settle(pilot)
            except TimeoutError:
                running = [worker.name for worker in app.workers if not worker.is_finished]
                raise AssertionError(f"{what}: still busy after {SETTLE_BOUND} s, workers {running}") from None

        async def open_from_list(title: str) -> None:
            """Open the article from the whole list (no search: no highlights to compute)."""
            for _ in range(20):  # bounded: a page that Escape does not leave is a failure, not a hang
                if not isinstance(app.screen, ArticleScreen):
                    break
                await pilot.press("escape")
                await pilot.pause()
            else:
                focused = app.focused
                raise AssertionError(
                    f"Escape pressed 20 times did not leave the reader: the focus is on {focused!r}"
                    f" ({'in' if focused is not None and focused.is_attached else 'not in'} the screen),"
                    f" history {getattr(app.screen, '_history', None)!r}"
                )
            app.query_one(SearchBox).focus()
            await pilot.press("escape")  # clear the search: the whole list
            await settled(f"the list, before opening {title!r}")
            article_list = app.query_one(ArticleList)
            row = next(i for i, entry in enumerate(article_list.entries) if entry.title.startswith(title))
            article_list.focus()
            await pilot.press("g", *["j"] * row)
            assert article_list.entry.title.startswith(title)
            await pilot.press("enter")
            await settled(f"opening {title!r}")
            assert isinstance(app.screen, ArticleScreen), title

        await settled("the start")
        text = drawn(app)
        assert "[@click=app.quit]Tap here[/]" in text  # the list
        assert SECRETS[0] not in text
        assert await click_every(pilot, "Tap here") >= 1

        # search view: hits' titles and snippets
        await pilot.press("slash", *"Tap")
        await settled("the search for 'Tap'")
        text = drawn(app)
        assert "[@click=app.quit]Tap here[/]" in text
        assert await click_every(pilot, "Tap here") >= 1
        assert app.is_running

        # reader view: the hostile capture, its body and its related card
        await open_from_list("Hostile capture")
        text = drawn(app)
        assert "[@click=app.quit]Tap here[/]" in text and "[link=file:///etc/passwd]x[/link]" in text
        assert "[b]not bold[/b]" in text and SECRETS[0] not in text
        assert await click_every(pilot, "Tap here") >= 1
        await pilot.press("o")  # no web URL: refused, nothing opened
        await pilot.press("y")
        await settled("o and y on the capture")
        assert app.is_running

        # the two large articles show and scroll to their end
        for title, first_words in (("One megabyte paragraph", "megaword1 megaword2"),
                                   ("Fifty thousand paragraphs", "Paragraph 1 says")):
            await open_from_list(title)
            text = drawn(app)
            assert title in text and first_words in text, title
            await pilot.press("G")  # the end of the page
            await pilot.pause()
            text = drawn(app)
            assert SECRETS[0] not in text, title
        assert app.is_running


# -- tmux: the installed command in a real terminal --------------------------------------


def _tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux:
        return tmux
    if os.environ.get("READER_CI_REQUIRE_TMUX") == "1":
        pytest.fail("tmux is required in CI (READER_CI_REQUIRE_TMUX=1)")
    pytest.skip("tmux is not installed")


def test_tmux_terminal_shows_markup_and_runs_no_escape(library, data_dir: Path, config_dir: Path) -> None:
    """In a real terminal: titles show literally; no OSC 2 title, no OSC 52 clipboard write reaches tmux."""
    tmux = _tmux()
    shutil.copytree(library[0], data_dir, dirs_exist_ok=True)
    session = f"reader-safety-{uuid.uuid4().hex[:8]}"
    run = lambda *args: subprocess.run([tmux, *args], capture_output=True, text=True, timeout=30)  # noqa: E731
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    beside = Path(sys.executable).parent / "reader"  # the console script, as a person runs it
    command = [str(beside)] if beside.exists() else [sys.executable, "-m", "reader"]
    started = run("new-session", "-d", "-s", session, "-x", "140", "-y", "40",
                  "env", "-u", "COLUMNS", "-u", "LINES", *(f"{k}={v}" for k, v in env.items()), *command)  # the pane's size, not pytest's 80x24
    assert started.returncode == 0, started.stderr
    try:
        run("set-option", "-t", session, "set-clipboard", "on")  # let OSC 52 reach tmux's buffers, if sent
        run("set-option", "-t", session, "allow-rename", "on")

        def wait_for(needle: str, timeout: float = 40) -> str:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                screen = run("capture-pane", "-p", "-t", session).stdout
                if needle in screen:
                    return screen
                time.sleep(0.1)
            raise AssertionError(f"{needle!r} not on screen:\n{run('capture-pane', '-p', '-t', session).stdout}")

        # The list, literally, cut to fit: the sources pane (this library has tags) comes after
        # the first frame and narrows the list, so only what both widths show is waited for.
        wait_for("★ Hostile capture capturetitle [@click=a")
        wait_for("bookmarked")
        time.sleep(0.5)
        run("send-keys", "-t", session, "/")
        run("send-keys", "-t", session, "-l", "capturebody")
        wait_for("result")
        run("send-keys", "-t", session, "Enter")
        screen = wait_for("min read")
        assert "[@click=app.quit]Tap here[/]" in screen and "[link=file:///etc/passwd]x[/link]" in screen
        assert "Traceback" not in screen
        title = run("display-message", "-p", "-t", session, "#{pane_title}").stdout
        assert "PWNED" not in title
        buffers = run("list-buffers").stdout
        assert "UmVhZGVy" not in buffers and "Reader OSC52" not in buffers
        for line in buffers.splitlines():
            name = line.split(":")[0]
            assert "Reader OSC52 payload" not in run("show-buffer", "-b", name).stdout
        run("send-keys", "-t", session, "C-q")  # quit from anywhere
        deadline = time.monotonic() + 15
        while run("has-session", "-t", session).returncode == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert run("has-session", "-t", session).returncode != 0, "the app did not quit"
    finally:
        run("kill-session", "-t", session)
