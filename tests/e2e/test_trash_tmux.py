"""End to end in tmux: ``d`` then ``z`` typed at once (within milliseconds) and at typing
speed, ``b`` just before ``d``: the article comes back with its bookmark, the trash ends
empty; a ``d`` sent together with ``q`` is in the trash after the app quit. Same harness as test_tmux.py."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from reader.paths import sample_data_dir
from tests.e2e.test_tmux import Tmux, _reader_command, _require, tmux  # noqa: F401 (the fixture)

pytestmark = pytest.mark.tmux


def _json(reader: str, env: dict[str, str], *args: str) -> object:
    done = subprocess.run([reader, *args, "--format", "json"], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_d_then_z_at_once_and_at_typing_speed(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:  # noqa: F811
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    run_env = {**os.environ, **env}
    imported = subprocess.run([reader, "import", str(sample_data_dir() / "markdown")], env=run_env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    rows = _json(reader, run_env, "list")
    assert isinstance(rows, list) and len(rows) == 9
    first, second = rows[0]["title"], rows[1]["title"]

    tmux.start([reader], env)
    tmux.wait_for("9 articles")
    tmux.wait_until_started()
    tmux.keys("b", "d", "z")  # one send: the three keys arrive together
    tmux.wait_for("Restored")
    tmux.wait_for("9 articles · 9 unread · 1 bookmarked")
    for _ in range(3):  # a person's pace: each key after the screen answered the last
        tmux.keys("d")
        tmux.wait_for("8 articles · 8 unread · 0 bookmarked")  # the bookmarked one went
        tmux.keys("z")
        tmux.wait_for("9 articles · 9 unread · 1 bookmarked")
    tmux.keys("j", "d", "q")  # the second article, deleted as the app quits
    tmux.wait_until_gone()

    titles = [row["title"] for row in _json(reader, run_env, "list")]  # type: ignore[union-attr]
    assert len(titles) == 8 and first in titles and second not in titles
    assert [a["title"] for a in _json(reader, run_env, "bookmarks")] == [first]  # type: ignore[union-attr]
    assert [t["title"] for t in _json(reader, run_env, "trash")] == [second]  # type: ignore[union-attr]
