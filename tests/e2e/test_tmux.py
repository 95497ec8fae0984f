"""End to end: the installed ``reader`` command, driven in tmux like a person would.

Import a few files, start the app, wait for the titles, ``/`` + a word + Enter opens
the top hit, ``b`` bookmarks it, Escape Escape back to the list, ``q`` quits; then
``reader bookmarks --format json`` holds the bookmark. Skipped (with the reason) when
tmux or the command is missing, except in CI (READER_CI_REQUIRE_TMUX=1), which has both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.paths import sample_data_dir

pytestmark = pytest.mark.tmux

WIDTH, HEIGHT = 120, 40
TIMEOUT = 20.0


def _reader_command() -> str | None:
    """The console script: on PATH, or next to this Python (an unactivated venv)."""
    beside = Path(sys.executable).parent / "reader"
    return shutil.which("reader") or (str(beside) if beside.exists() else None)


def _require(tool: str | None, what: str) -> str:
    if tool:
        return tool
    if os.environ.get("READER_CI_REQUIRE_TMUX") == "1":
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not installed")


class Tmux:
    """One detached tmux session running a command, with keys in and screen text out.

    Each test has a tmux server of its own (``-L``): nothing is shared with a person's
    tmux or with another test, and a server exiting cannot race the next session.
    """

    def __init__(self, tmux: str, name: str) -> None:
        self.tmux = [tmux, "-L", name]
        self.name = name

    def run(self, *args: str) -> str:
        return subprocess.run([*self.tmux, *args], check=True, capture_output=True, text=True).stdout

    def start(self, command: list[str], env: dict[str, str]) -> None:
        """Run ``command`` in a new WIDTH x HEIGHT session with ``env`` added. COLUMNS and
        LINES are taken out: the server inherits them from the test run (80 and 24 under
        pytest), and an app that reads them draws at that size whatever the pane's is."""
        exports = [f"{key}={value}" for key, value in env.items()]
        unset = ["-u", "COLUMNS", "-u", "LINES"]
        self.run("new-session", "-d", "-s", self.name, "-x", str(WIDTH), "-y", str(HEIGHT), "env", *unset, *exports, *command)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; the screen was:\n{self.screen()}")

    def wait_for_keyboard(self, timeout: float = TIMEOUT) -> None:
        """Wait until the program in the pane reads keys one by one: its terminal left
        canonical (line) mode, which Textual's driver does first when the app starts."""
        tty = self.run("display-message", "-p", "-t", self.name, "#{pane_tty}").strip()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            modes = subprocess.run(["stty", "-F", tty, "-a"], capture_output=True, text=True).stdout.split()
            if "-icanon" in modes:
                return
            time.sleep(0.05)
        raise AssertionError(f"the app did not take the terminal within {timeout}s; the screen was:\n{self.screen()}")

    def wait_until_started(self) -> str:
        """Wait for the end of the app's start: the footer with the palette key is mounted
        after the first rows are drawn, and keys sent from then on reach the screen."""
        return self.wait_for("^p palette")

    def alive(self) -> bool:
        return subprocess.run([*self.tmux, "has-session", "-t", self.name], capture_output=True).returncode == 0

    def wait_until_gone(self, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.alive(), f"the app did not quit; the screen was:\n{self.screen()}"

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


def library_with(data_dir: Path, config_dir: Path, *paths: Path) -> tuple[str, dict[str, str], dict[str, str]]:
    """The ``reader`` command, the environment for the app in tmux and the one for the
    CLI beside it, after ``reader import`` of ``paths`` into ``data_dir``."""
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    run_env = {**os.environ, **env}
    imported = subprocess.run([reader, "import", *map(str, paths)], env=run_env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    return reader, env, run_env


def reader_json(reader: str, env: dict[str, str], *args: str) -> object:
    """What ``reader ARGS --format json`` prints, parsed."""
    done = subprocess.run([reader, *args, "--format", "json"], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    session = Tmux(_require(shutil.which("tmux"), "tmux"), f"reader-test-{uuid.uuid4().hex[:8]}")
    yield session
    session.kill()


def test_search_open_bookmark_quit(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    fixtures = [sample_data_dir() / "captures" / "night-train-kelmouth-alps.txt", sample_data_dir() / "markdown"]
    imported = subprocess.run([reader, "import", *map(str, fixtures)], env={**os.environ, **env}, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr

    tmux.start([reader], env)
    tmux.wait_for("Night train")  # the list is on screen
    tmux.wait_for("unread")  # and the counts: the app is up
    tmux.wait_until_started()
    tmux.keys("/")
    tmux.keys("sleeper", literal=True)
    tmux.wait_for("result")
    tmux.keys("Enter")
    screen = tmux.wait_for("min read")  # the reader screen's header
    assert "Night train" in screen
    tmux.keys("b")
    tmux.wait_for("★ Bookmarked")
    tmux.keys("Escape")
    tmux.wait_for("Enter opens the top one")  # back on the list, the search still there
    tmux.keys("Escape")
    tmux.wait_for("1 bookmarked")  # search cleared: the counts are back
    tmux.keys("q")
    tmux.wait_until_gone()

    listed = subprocess.run([reader, "bookmarks", "--format", "json"], env={**os.environ, **env}, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    bookmarks = json.loads(listed.stdout)
    assert [b["title"] for b in bookmarks] == [next(b["title"] for b in bookmarks if "Night train" in b["title"])]
    assert bookmarks[0]["read"] is True


def test_first_start_on_an_empty_library_loads_the_samples(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    tmux.start([reader], env)
    tmux.wait_for("Welcome to Reader")
    screen = tmux.wait_for("unread")
    assert "Traceback" not in screen
    tmux.keys("q")
    tmux.wait_until_gone()


def _library_state(reader: str, env: dict[str, str]) -> list[tuple[str, bool, bool]]:
    listed = subprocess.run([reader, "list", "--format", "json"], env={**os.environ, **env}, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    return sorted((row["id"], row["bookmarked"], row["read"]) for row in json.loads(listed.stdout))


# Queries full of the list's command letters: b bookmarks, B the bookmarks filter,
# u read/unread, q quit. Typed into the list, they change the library or end the app.
QUERIES = ["quay", "Bibliothek", "bus", "quiet", "Bundestag", "blue", "query", "Baum", "ubiquitous", "bq", "Ubuntu", "qubit"]


def test_a_query_typed_at_once_after_escape_and_slash_lands_in_the_search_box(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    imported = subprocess.run([reader, "import", str(sample_data_dir() / "markdown")], env={**os.environ, **env}, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    before = _library_state(reader, env)

    tmux.start([reader], env)
    tmux.wait_for(" unread")
    tmux.wait_until_started()
    for query in QUERIES:
        tmux.keys("Escape")
        tmux.wait_for(" unread ·")  # the search is cleared: the counts are back, the list has the focus
        tmux.keys("/" + query, literal=True)  # one write: the keys arrive within milliseconds
        screen = tmux.wait_for(f"“{query}”")  # "… for “query”" or "No results for “query”"
        assert "showing bookmarks only" not in screen, f"{query!r}: B went to the list"
    assert tmux.alive(), "a q of a query went to the list and quit the app"
    tmux.keys("Escape")
    tmux.wait_for(" unread ·")
    tmux.keys("q")
    tmux.wait_until_gone()
    assert _library_state(reader, env) == before, "letters of a query changed bookmarks or read marks"


def test_q_pressed_at_once_after_start_quits_cleanly(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    imported = subprocess.run([reader, "import", str(sample_data_dir() / "markdown")], env={**os.environ, **env}, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    # The shell keeps the pane open after the app: its exit status and anything it printed stay readable.
    tmux.start(["sh", "-c", f"'{reader}'; echo \"exit status $?\"; read done"], env)
    tmux.wait_for_keyboard()  # a person pressing q at once, before the first frame: the point of the test
    tmux.keys("q")
    screen = tmux.wait_for("exit status")
    assert "Traceback" not in screen and "Error" not in screen, screen
    assert "exit status 0" in screen, screen


def test_keys_typed_before_the_first_screen_are_not_lost(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    imported = subprocess.run([reader, "import", str(sample_data_dir() / "markdown")], env={**os.environ, **env}, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    tmux.start([reader], env)
    tmux.wait_for_keyboard()  # typed as the app starts, before its first screen
    tmux.keys("/zebra", literal=True)
    tmux.wait_for("“zebra”")
    tmux.keys("Escape")
    tmux.wait_for(" unread ·")
    tmux.keys("q")
    tmux.wait_until_gone()
