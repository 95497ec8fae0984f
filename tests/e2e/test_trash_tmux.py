"""End to end in tmux: ``d`` then ``z`` typed at once (within milliseconds) and at typing
speed, ``b`` just before ``d``: the article comes back with its bookmark, the trash ends
empty; a ``d`` sent together with ``q`` is in the trash after the app quit. Same harness as test_tmux.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.paths import sample_data_dir
from tests.e2e.test_tmux import Tmux, library_with, reader_json, tmux  # noqa: F401 (the fixture)

pytestmark = pytest.mark.tmux


def test_d_then_z_at_once_and_at_typing_speed(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:  # noqa: F811
    reader, env, run_env = library_with(data_dir, config_dir, sample_data_dir() / "markdown")
    rows = reader_json(reader, run_env, "list")
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

    titles = [row["title"] for row in reader_json(reader, run_env, "list")]  # type: ignore[union-attr]
    assert len(titles) == 8 and first in titles and second not in titles
    assert [a["title"] for a in reader_json(reader, run_env, "bookmarks")] == [first]  # type: ignore[union-attr]
    assert [t["title"] for t in reader_json(reader, run_env, "trash")] == [second]  # type: ignore[union-attr]
