"""Item 3 of issue 15, checked on the raw bytes the terminal receives from the real app.

``tmux pipe-pane`` copies everything the app writes to its terminal into a file. File
names with OSC 2 (title), OSC 52 (clipboard), SGR and clear-screen sequences and a
newline are imported through the palette (they are empty, so the notification names
them), and a title holding an OSC 2 sequence is written into library.sqlite3 by another
program. None of those sequences, nor what they carry, may reach the terminal; the pane
title stays Reader's. Before the fix, the pane title became ``PWNED-BY-FI``.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.paths import database_path
from tests.e2e.test_tmux import Tmux, _reader_command, _require

from .test_failed_writes import make_library

pytestmark = pytest.mark.tmux

NAMES = [
    "\x1b]2;PWNED-BY-FILE\x07.txt",
    "\x1b]52;c;UmVhZGVy\x07.txt",
    "\x1b[2Jclear.txt",
    "\x1b[31mREDNAME.txt",
    "line\nbreak.txt",
]


def _wait_until(tmux: Tmux, what: str, ready: Callable[[str], bool], timeout: float = 20) -> str:
    """The screen once ``ready(screen)`` holds; an AssertionError naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = tmux.screen()
        if ready(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{what}: not on screen within {timeout}s; the screen was:\n{tmux.screen()}")


# Help lines of palette commands that "Import files" does not match: on screen, the list is not filtered yet.
OTHER_COMMANDS = ("Save a page's article", "Fetch every due feed", "Rebuild the index from", "Write the bookmarks",
                  "Toggle the bookmarks filter", "Quit the application", "Change the current theme", "Maximize the focused")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    session = Tmux(_require(shutil.which("tmux"), "tmux"), f"reader-test-{uuid.uuid4().hex[:8]}")
    yield session
    session.kill()


def test_hostile_file_names_and_database_titles_never_reach_the_terminal(tmux: Tmux, data_dir: Path, config_dir: Path, tmp_path: Path) -> None:
    reader = _require(_reader_command(), "the reader command")
    make_library(data_dir, count=3)
    db = sqlite3.connect(database_path(data_dir), isolation_level=None)
    db.execute("UPDATE articles SET title = ? WHERE title = 'Article number 2'", ("Shown \x1b]2;DBTITLE\x07title \u3164\u3164",))
    db.close()
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_bytes(b"")
    raw = tmp_path / "terminal.bytes"

    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    tmux.start([reader], env)
    tmux.run("pipe-pane", "-o", "-t", tmux.name, f"cat >> {raw}")
    tmux.wait_for("Shown title")  # the database title, cleaned
    tmux.wait_for("unread")
    time.sleep(0.5)  # keys sent while Textual still talks to the terminal at start can be lost
    tmux.keys("C-p")
    # The palette first lists every command (this one among them): typing before it is up
    # can be lost to its start (Textual's first, unfiltered search replaces the typed one), and
    # Enter on the unfiltered list runs another command ("Add a web page" was seen). So wait
    # for the palette, type, and press Enter only once the list holds just what was typed.
    tmux.wait_for("Search for commands")  # the palette's empty input
    tmux.keys("Import files", literal=True)
    _wait_until(tmux, "the palette filtered to 'Import files'",
                lambda screen: "Import files or folders" in screen and not any(other in screen for other in OTHER_COMMANDS))
    tmux.keys("Enter")
    tmux.wait_for("Import articles")
    tmux.keys(str(folder), literal=True)
    tmux.keys("Enter")
    screen = tmux.wait_for("failed 5", timeout=90)
    assert "clear.txt" in screen and "REDNAME.txt" in screen and "line break.txt" in screen, screen  # the newline: a space, one line
    title = tmux.run("display-message", "-p", "-t", tmux.name, "#{pane_title}")
    tmux.keys("q")
    tmux.wait_until_gone()

    data = raw.read_bytes()
    assert data, "pipe-pane captured the app's output"
    for secret in (b"PWNED", b"UmVhZGVy", b"DBTITLE", b"\x1b]52", b"\x1b]2;", b"\x1b[2J", "\u3164".encode()):
        assert secret not in data, secret
    assert "PWNED" not in title and "DBTITLE" not in title
