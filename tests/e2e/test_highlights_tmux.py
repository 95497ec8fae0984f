"""End to end in tmux: a passage selected with v and j, highlighted with a note (a),
listed with H; after the app quits, ``reader highlights --format markdown`` prints it
with its note and a link, and a re-import of the article with an edited paragraph keeps
it. Same harness as test_tmux.py (a tmux server of its own, skipped without tmux)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_tmux import Tmux, _reader_command, _require, tmux  # noqa: F401 (the fixture)

pytestmark = pytest.mark.tmux

CAPTURE = """Night train links Kelmouth with the Alps

For the first time in more than thirty years, travellers can board a sleeper train in Kelmouth in the evening. The new night service made its first run on Friday, fully booked.

The train leaves Kelmouth Central at 19:42 three times a week. It has two sleeping cars and a small bar.
"""


def test_highlight_with_a_note_in_the_app_then_markdown(tmux: Tmux, data_dir: Path, config_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    run_env = {**os.environ, **env}
    capture = tmp_path / "night-train.txt"
    capture.write_text(CAPTURE, encoding="utf-8")
    imported = subprocess.run([reader, "import", str(capture)], env=run_env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr

    tmux.start([reader], env)
    tmux.wait_for("Night train")
    tmux.wait_for("unread")  # the app is up
    tmux.keys("Enter")
    tmux.wait_for("min read")  # the reader
    tmux.wait_for("v Select")
    tmux.keys("v")
    tmux.wait_for("Selecting sentences ·")
    tmux.keys("j")
    tmux.keys("a")
    tmux.wait_for("Note on the highlight")
    tmux.keys("worth a weekend trip", literal=True)
    tmux.keys("Enter")
    tmux.wait_for("Note saved.")
    tmux.keys("H")
    screen = tmux.wait_for("Highlights of this article")
    assert "✎ worth a weekend trip" in screen
    tmux.keys("Escape")
    tmux.wait_for("v Select")
    tmux.keys("q")
    tmux.wait_for("unread")
    tmux.keys("q")
    tmux.wait_until_gone()

    markdown = subprocess.run([reader, "highlights", "--format", "markdown"], env=run_env, capture_output=True, text=True)
    assert markdown.returncode == 0, markdown.stderr
    first = "For the first time in more than thirty years, travellers can board a sleeper train in Kelmouth in the evening."
    assert "## Night train links Kelmouth with the Alps" in markdown.stdout
    assert "`reader show " in markdown.stdout  # a capture without a URL: the command that opens it
    assert f"> {first} The new night service made its first run on Friday, fully booked." in markdown.stdout
    assert "worth a weekend trip" in markdown.stdout

    # The article again, its first paragraph edited: the highlight follows the new wording.
    capture.write_text(CAPTURE.replace("made its first run on Friday", "made its first run last Friday"), encoding="utf-8")
    again = subprocess.run([reader, "import", str(capture)], env=run_env, capture_output=True, text=True)
    assert "updated 1" in again.stderr, again.stderr
    markdown = subprocess.run([reader, "highlights", "--format", "markdown"], env=run_env, capture_output=True, text=True).stdout
    assert f"> {first} The new night service made its first run last Friday, fully booked." in markdown
    assert "worth a weekend trip" in markdown and "no longer in the article" not in markdown
