"""End to end in tmux: ``/`` in the reader and a word typed at typing speed land in the
find bar (none of the letters runs as a reader command: ``b`` would bookmark, ``q``
close), the count says "1/N", Enter keeps the matches and ``n`` steps to "2/N", Escape
clears them. Same harness as test_tmux.py (a tmux server of its own, skipped without tmux)."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.test_tmux import Tmux, _reader_command, _require, tmux  # noqa: F401 (the fixture)

pytestmark = pytest.mark.tmux

CAPTURE = """Harbour notes from Kelmouth

The ferry to Lindholm left Kelmouth at seven. Boats queued at the quay in Kelmouth until noon.

By evening the harbour of Kelmouth was quiet again, and the pilots went home.
"""
TYPING_GAP = 0.08  # seconds between keys: a person typing quickly (this paces input, it orders nothing)


def wait_for_match(tmux: Tmux, pattern: re.Pattern[str], timeout: float = 20.0) -> re.Match[str]:  # noqa: F811
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := pattern.search(tmux.screen()):
            return found
        time.sleep(0.1)
    raise AssertionError(f"{pattern.pattern!r} did not appear within {timeout}s; the screen was:\n{tmux.screen()}")


def test_slash_and_a_word_typed_in_the_reader_find_it(tmux: Tmux, data_dir: Path, config_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    capture = tmp_path / "harbour-notes.txt"
    capture.write_text(CAPTURE, encoding="utf-8")
    imported = subprocess.run([reader, "import", str(capture)], env={**os.environ, **env}, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr

    tmux.start([reader], env)
    tmux.wait_for("Harbour notes")
    tmux.wait_until_started()
    tmux.keys("Enter")
    tmux.wait_for("min read")
    tmux.wait_for("/ Find")  # the reader's footer: its keys are bound
    for key in "/kelmouth b q":  # "b" and "q" are reader commands outside the bar
        tmux.keys(key, literal=True)
        time.sleep(TYPING_GAP)
    screen = tmux.wait_for("No match for")  # "kelmouth b q" is in no sentence
    for _ in range(4):  # back to "kelmouth"
        tmux.keys("BSpace")
    found = wait_for_match(tmux, re.compile(r"Find: kelmouth\s+1/(\d+)"))
    screen = tmux.screen()
    total = int(found.group(1))
    assert total >= 3  # three in the text (a summary made of the first sentence adds one)
    assert "☆ Not bookmarked" in screen  # b went into the bar, not to the bookmark key
    tmux.keys("Enter")
    tmux.wait_for(f"1/{total} · n next, N previous")
    tmux.keys("n")
    tmux.wait_for(f"2/{total} · n next, N previous")
    tmux.keys("Escape")  # clears the matches; the reader stays
    deadline = time.monotonic() + 10
    while f"/{total} · n next" in tmux.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    screen = tmux.screen()
    assert f"/{total} · n next" not in screen and "min read" in screen
    tmux.keys("q")
    tmux.wait_for("unread")
    tmux.keys("q")
    tmux.wait_until_gone()
