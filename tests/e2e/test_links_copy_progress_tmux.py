"""End to end in tmux: what leaves the app and what it remembers, with the keys a person
sends. ``o`` starts the browser (``BROWSER``, a script that writes down the link it was
given), ``y`` sends the link and ``c``/``C`` the article to the clipboard (tmux with
``set-clipboard on`` keeps what an OSC 52 sequence carries in a paste buffer, so the test
reads what a terminal was handed), an article without a link says so, the reader shows how
far it has been read and comes back there after Escape and after a restart, and ``n`` in
the library goes to the next unread article. Same harness as test_tmux.py."""

from __future__ import annotations

import re
import stat
import subprocess
import time
from pathlib import Path

import pytest

from reader.article_copy import article_as_markdown, article_as_text
from reader.library import Library
from reader.paths import sample_data_dir
from tests.e2e.test_tmux import Tmux, library_with, reader_json, tmux  # noqa: F401 (the fixture)

pytestmark = pytest.mark.tmux

LONG_TITLE = "The long read about tidal clocks"
NO_LINK = "This article has no link to open or copy."
LIBRARY = " unread · "
"""In the library's status line ("10 articles · 9 unread · 0 bookmarked"), not in the reader."""


def _long_read(folder: Path) -> Path:
    """An article without a link, far longer than a 40-line screen (about 2,400 words)."""
    sentence = "The tidal clock in the harbour office counts the hours to high water, not the hours of the day."
    paragraphs = [f"Paragraph {number}. " + " ".join([sentence] * 2) for number in range(1, 61)]
    path = folder / "long-read.md"
    path.write_text(f"# {LONG_TITLE}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def _clipboard(session: Tmux) -> str:
    """What the last OSC 52 sequence handed to the terminal (tmux's newest buffer)."""
    done = subprocess.run([*session.tmux, "show-buffer"], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else ""


def _wait_clipboard(session: Tmux, expected: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _clipboard(session) != expected:
        time.sleep(0.1)
    got = _clipboard(session)
    assert got == expected, f"the terminal was handed {got[:300]!r}, not {expected[:300]!r}; the screen was:\n{session.screen()}"


def _wait_file(path: Path, expected: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (path.exists() and path.read_text() == expected):
        time.sleep(0.1)
    assert path.exists() and path.read_text() == expected, f"the browser was given {path.read_text() if path.exists() else None!r}"


def _settled_progress(session: Tmux, timeout: float = 20.0) -> int:
    """The progress once the keys sent have all been handled: the same for half a second
    (on a loaded machine the last PageDowns came after a first reading, and the place
    stored was further on than the one read)."""
    deadline = time.monotonic() + timeout
    last = _progress(session)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _progress(session)
        if now == last:
            return now
        last = now
    return last


def _progress(session: Tmux) -> int:
    """The percent of the reader's progress note ("42% · 3 min left")."""
    found = re.search(r"(\d+)% · (\d+ min left|end)", session.screen())
    assert found, f"no reading progress on screen:\n{session.screen()}"
    return int(found.group(1))


def test_o_y_c_and_C_hand_the_link_and_the_article_out(tmux: Tmux, data_dir: Path, config_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    reader, env, run_env = library_with(data_dir, config_dir, sample_data_dir() / "markdown", _long_read(tmp_path))
    first = reader_json(reader, run_env, "list")[0]  # type: ignore[index]
    with Library.open(data_dir) as library:
        article = library.get(first["id"])
    assert article.url.startswith("https://")
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > '{opened}'\n")
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)

    tmux.start([reader], {**env, "BROWSER": str(browser)})
    tmux.run("set-option", "-s", "set-clipboard", "on")  # OSC 52 into a tmux buffer
    tmux.wait_until_started()
    tmux.keys("y")  # from the list: the link of the article at the cursor
    _wait_clipboard(tmux, article.url)
    tmux.wait_for("to the terminal's")
    tmux.keys("o")
    _wait_file(opened, article.url)

    tmux.keys("Enter")
    tmux.wait_for("min read")
    tmux.keys("c")
    _wait_clipboard(tmux, article_as_text(article))
    tmux.keys("C")
    _wait_clipboard(tmux, article_as_markdown(article))
    tmux.keys("Escape")
    tmux.wait_for(LIBRARY)

    opened.unlink()
    tmux.keys("/")
    tmux.keys("tidal", literal=True)
    tmux.wait_for("result for “tidal”")
    tmux.keys("Enter")
    tmux.wait_for(LONG_TITLE)
    tmux.wait_for("min read")
    tmux.keys("o")
    tmux.wait_for(NO_LINK)
    tmux.keys("y")
    time.sleep(0.5)
    assert not opened.exists()  # no browser for an article without a link
    assert _clipboard(tmux) == article_as_markdown(article)  # and nothing new sent
    tmux.keys("q")  # closes the reader: back to the result, in the search box
    tmux.wait_for("1 result for “tidal” · Enter opens")
    tmux.keys("Escape")
    tmux.wait_for(LIBRARY)
    tmux.keys("q")
    tmux.wait_until_gone()


def test_reading_progress_resumes_after_escape_and_after_a_restart(tmux: Tmux, data_dir: Path, config_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    reader, env, _run_env = library_with(data_dir, config_dir, _long_read(tmp_path))
    tmux.start([reader], env)
    tmux.wait_until_started()
    tmux.keys("Enter")
    tmux.wait_for(LONG_TITLE)
    tmux.wait_for("min left")
    assert _progress(tmux) < 20  # the first screen of a long article
    for _ in range(4):
        tmux.keys("PageDown")
        time.sleep(0.15)  # a person's pace
    read = _settled_progress(tmux)
    assert 20 <= read < 100, tmux.screen()
    tmux.keys("Escape")
    tmux.wait_for(LIBRARY)
    tmux.keys("Enter")
    screen = tmux.wait_for("Resumed where you left off")
    assert f"Resumed where you left off ({read}%)" in screen
    assert _progress(tmux) == read
    tmux.keys("Escape")
    tmux.wait_for(LIBRARY)
    tmux.keys("q")
    tmux.wait_until_gone()

    tmux.start([reader], env)  # a new run of the app: the place was stored
    tmux.wait_until_started()
    tmux.keys("Enter")
    screen = tmux.wait_for("Resumed where you left off")
    assert f"Resumed where you left off ({read}%)" in screen
    tmux.keys("End")
    tmux.wait_for("100% · end")
    tmux.keys("Escape")
    tmux.wait_for(LIBRARY)
    tmux.keys("q")
    tmux.wait_until_gone()


def test_n_goes_to_the_next_unread_article_and_says_when_there_is_none(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:  # noqa: F811
    reader, env, run_env = library_with(data_dir, config_dir, sample_data_dir() / "markdown")
    rows = reader_json(reader, run_env, "list")
    assert isinstance(rows, list) and len(rows) == 9
    unread = [rows[2], rows[6]]
    done = subprocess.run([reader, "read", *(row["id"] for row in rows if row not in unread)], env=run_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    tmux.start([reader], env)
    tmux.wait_until_started()
    for row in unread:  # the cursor is on the first row, which is read
        tmux.keys("n")
        time.sleep(0.15)
        tmux.keys("Enter")  # opening it marks it read
        tmux.wait_for("min read")
        assert row["title"][:40] in tmux.screen()
        tmux.keys("Escape")
        tmux.wait_for(LIBRARY)  # the reader has "^p palette" too
    tmux.wait_for("9 articles · 0 unread")
    tmux.keys("n")
    tmux.wait_for("Everything in this list is read.")
    tmux.keys("q")
    tmux.wait_until_gone()
    assert all(row["read"] for row in reader_json(reader, run_env, "list"))  # type: ignore[union-attr]


def test_keys_sent_with_the_enter_that_opens_the_reader_act_in_it(tmux: Tmux, data_dir: Path, config_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    """Enter and three j in one write, from the list and from the search box: the j's
    scroll the reader three lines. They moved the list's cursor under the reader (from
    the list), or were typed into the query ("tidaljjj", from the box: the search then
    found nothing and the reader never opened); and three j's together scrolled one line."""
    reader, env, _run_env = library_with(data_dir, config_dir, _long_read(tmp_path))
    tmux.start([reader], env)
    tmux.wait_until_started()
    tmux.keys("Enter", "j", "j", "j")
    tmux.wait_for("min left")
    deadline = time.monotonic() + 10
    while LONG_TITLE in tmux.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert LONG_TITLE not in tmux.screen(), tmux.screen()  # the header's title scrolled off the top
    tmux.keys("k", "k", "k")
    tmux.wait_for(LONG_TITLE)  # and back
    tmux.keys("Escape")
    tmux.wait_for(LIBRARY)

    tmux.keys("/")
    tmux.keys("tidal", literal=True)
    tmux.keys("Enter", "j", "j", "j")  # one write: before the search has answered
    tmux.wait_for("Match 1 of")
    deadline = time.monotonic() + 10
    while LONG_TITLE in tmux.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert LONG_TITLE not in tmux.screen(), tmux.screen()
    tmux.keys("Escape")
    screen = tmux.wait_for("result for “tidal”")
    assert "tidaljjj" not in screen
    tmux.keys("Escape")
    tmux.wait_for(LIBRARY)
    tmux.keys("q")
    tmux.wait_until_gone()
