"""Quitting while a foreign lock keeps changes from the disk: a countdown, then an exit that names them.

The real ``reader`` command in tmux. Another process holds ``BEGIN EXCLUSIVE``; the
person bookmarks three articles and presses ``q``. The screen counts down and lists the
bookmarks not saved; the app exits on its own when the count ends (it used to hang in
StateWriter.flush forever, ignoring ctrl+c), and what it prints last names every change
that was lost. A second run shows ctrl+c ending the app at once from the countdown.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.test_tmux import Tmux, _reader_command, _require

from .test_failed_writes import ForeignLock, bookmarked_on_disk, make_library

pytestmark = pytest.mark.tmux


def _start(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    tmux.start([reader], env)
    tmux.run("set-option", "-t", tmux.name, "remain-on-exit", "on")  # keep what it prints last
    tmux.wait_for("Article number 7")
    tmux.wait_for("unread")
    tmux.wait_until_started()


def _dead(tmux: Tmux) -> bool:
    return tmux.run("display-message", "-p", "-t", tmux.name, "#{pane_dead}").strip() == "1"


def _wait_dead(tmux: Tmux, timeout: float = 40.0) -> str:
    deadline = time.monotonic() + timeout
    while not _dead(tmux) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _dead(tmux), f"the app did not exit; the screen was:\n{tmux.screen()}"
    return tmux.run("capture-pane", "-p", "-J", "-S", "-", "-t", tmux.name)  # wrapped lines joined


@pytest.fixture
def tmux():
    import shutil
    import uuid

    session = Tmux(_require(shutil.which("tmux"), "tmux"), f"reader-test-{uuid.uuid4().hex[:8]}")
    yield session
    session.kill()


def test_q_during_a_foreign_lock_counts_down_and_exits_naming_what_is_lost(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    make_library(data_dir)
    lock = ForeignLock(data_dir)
    try:
        _start(tmux, data_dir, config_dir)
        tmux.keys("b", "j", "b", "j", "b")
        tmux.wait_for("Not saved yet")
        tmux.keys("q")
        screen = tmux.wait_for("Quitting in")
        assert "bookmark on “Article number 7”" in screen and "not saved yet" in screen
        after = _wait_dead(tmux)  # the countdown ends the app on its own
        assert "reader: not saved" in after, after
        for title in ("Article number 7", "Article number 6", "Article number 5"):
            assert f"bookmark on “{title}”" in after, after
    finally:
        lock.release()
    assert bookmarked_on_disk(data_dir) == set()  # exactly what it said was lost


def test_ctrl_c_on_the_countdown_ends_the_app_at_once(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    make_library(data_dir)
    lock = ForeignLock(data_dir)
    try:
        _start(tmux, data_dir, config_dir)
        tmux.keys("b")
        tmux.wait_for("Not saved yet")
        tmux.keys("q")
        tmux.wait_for("Quitting in")
        tmux.keys("C-c")
        after = _wait_dead(tmux, timeout=8.0)  # well inside the countdown
        assert "bookmark on “Article number 7”" in after
    finally:
        lock.release()


def test_lock_released_during_the_countdown_saves_everything(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:
    make_library(data_dir)
    lock = ForeignLock(data_dir)
    _start(tmux, data_dir, config_dir)
    tmux.keys("b", "j", "b", "j", "b", "j", "b", "j", "b")
    tmux.wait_for("Not saved yet")
    tmux.keys("q")
    tmux.wait_for("Quitting in")
    lock.release()
    after = _wait_dead(tmux)
    assert "not saved" not in after
    assert bookmarked_on_disk(data_dir) == {f"Article number {i}" for i in (7, 6, 5, 4, 3)}
