"""End to end in tmux, the everyday commands a newsboat or lazygit user reaches for on
day one, each key sent as a person types it: ``t`` adds a tag (the sources pane counts
it), ``L`` keeps one language, ``u`` and ``U`` read and unread only, ``A`` marks the list
read, ``/`` searches (Enter opens the top hit) and ``↑`` brings the search back, ``S`` saves it; what the app did is
then read back with the CLI. Same harness as test_tmux.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.paths import sample_data_dir
from tests.e2e.test_tmux import Tmux, library_with, reader_json, tmux  # noqa: F401 (the fixture)

pytestmark = pytest.mark.tmux


def _wait_status(session: Tmux, expected: str, timeout: float = 20.0) -> None:
    """Wait until the library's status line (the one under the search box) is ``expected``."""
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = next((line.strip() for line in session.screen().splitlines() if " articles · " in line), "")
        if status == expected:
            return
        time.sleep(0.1)
    raise AssertionError(f"the status line stayed {status!r}, not {expected!r}; the screen was:\n{session.screen()}")


def _wait_bookmarks(reader: str, env: dict[str, str], count: int, timeout: float = 20.0) -> None:
    """Wait until the library holds ``count`` bookmarks (the app saves them in the background)."""
    deadline = time.monotonic() + timeout
    found: object = None
    while time.monotonic() < deadline:
        found = reader_json(reader, env, "bookmarks")
        if isinstance(found, list) and len(found) == count:
            return
        time.sleep(0.2)
    raise AssertionError(f"the library did not come to {count} bookmarks: {found!r}")


def test_tag_language_unread_mark_read_history_and_saved_search(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:  # noqa: F811
    reader, env, run_env = library_with(data_dir, config_dir, sample_data_dir() / "markdown")
    rows = reader_json(reader, run_env, "list")
    assert isinstance(rows, list) and len(rows) == 9
    first = rows[0]
    languages = {row["language"] for row in rows}
    assert languages == {"en", "de"}  # the filter has two to go through

    tmux.start([reader], env)
    tmux.wait_until_started()
    tmux.keys("t")
    tmux.wait_for("Tags of ")
    tmux.keys("End")
    tmux.keys(", later", literal=True)
    tmux.keys("Enter")
    tmux.wait_for("# later 1")  # the pane's Tags section counts it (unread)

    tmux.keys("L")
    tmux.wait_for("only (L)")
    shown = [row for row in rows if row["language"] == max(languages, key=[r["language"] for r in rows].count)]
    assert all(row["title"][:30] in tmux.screen() for row in shown[:5])
    tmux.keys("Escape")  # the language filter off
    _wait_status(tmux, "9 articles · 9 unread · 0 bookmarked")

    tmux.keys("g", "u")  # the first read (the cursor stayed on the article it was on)
    tmux.wait_for("9 articles · 8 unread")
    tmux.keys("U")
    tmux.wait_for("unread only (U)")
    assert first["title"][:30] not in tmux.screen()
    tmux.keys("A")  # the 8 shown, read
    tmux.wait_for("Marked 8 articles as read.")
    _wait_status(tmux, "9 articles · 0 unread · 0 bookmarked · unread only (U)")
    tmux.keys("U")
    tmux.wait_for(first["title"][:30])

    tmux.keys("/")
    tmux.keys("harbour", literal=True)
    tmux.wait_for(" results for “harbour”")
    tmux.keys("Enter")  # the top hit opens; the search goes into the history
    tmux.wait_for("min read")
    tmux.keys("Escape")  # back to the results
    tmux.wait_for(" results for “harbour”")
    tmux.keys("Escape")  # the search cleared, back to the list
    _wait_status(tmux, "9 articles · 0 unread · 0 bookmarked")
    tmux.keys("/")
    tmux.keys("Up")  # the last search, back in the box, searched
    tmux.wait_for(" results for “harbour”")
    tmux.keys("Tab")  # out of the box (to the sources pane): S there saves the search
    tmux.keys("S")
    tmux.wait_for("Save the search")
    tmux.keys("Harbour news", literal=True)
    tmux.keys("Enter")
    tmux.wait_for("Harbour news 5")  # in the pane's Saved searches, with what it finds
    tmux.keys("Escape")
    _wait_status(tmux, "9 articles · 0 unread · 0 bookmarked")
    tmux.keys("q")
    tmux.wait_until_gone()

    tags = reader_json(reader, run_env, "tags")
    assert {"tag": "later", "articles": 1, "unread": 0} in tags  # type: ignore[operator]
    assert [row["read"] for row in reader_json(reader, run_env, "list")] == [True] * 9  # type: ignore[union-attr]
    searches = reader_json(reader, run_env, "searches")
    assert [(s["name"], s["query"]) for s in searches] == [("Harbour news", "harbour")]  # type: ignore[union-attr]


def test_a_key_sent_with_the_one_that_leaves_the_search_box_acts_outside_it(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:  # noqa: F811
    """↓ or Tab leave the box, Enter closes a prompt; the next key, sent in the same write,
    is a command of the list or the pane. It was typed into the query ("harbourb",
    "harbourS"), or given to the closing prompt and lost."""
    reader, env, run_env = library_with(data_dir, config_dir, sample_data_dir() / "markdown")
    tmux.start([reader], env)
    tmux.wait_until_started()
    for round_ in range(3):
        tmux.keys("/")
        tmux.keys("harbour", literal=True)
        tmux.wait_for(" results for “harbour”")
        tmux.keys("Down", "b")  # one write: the two keys arrive together
        _wait_bookmarks(reader, run_env, 1 - round_ % 2)  # b on the top hit: on, off, on
        assert "harbourb" not in tmux.screen()
        tmux.keys("Escape")  # the search cleared
        _wait_status(tmux, f"9 articles · 9 unread · {1 - round_ % 2} bookmarked")
    tmux.keys("/")
    tmux.keys("harbour", literal=True)
    tmux.wait_for(" results for “harbour”")
    tmux.keys("Tab", "S")
    tmux.wait_for("Save the search “harbour”")
    tmux.keys("Later", literal=True)
    tmux.keys("Enter", "B")  # one write: B is for the list, once the prompt has saved the name
    tmux.wait_for("results for “harbour” · 1 bookmarked")  # only the bookmarked result shown
    tmux.wait_for("Later 5/5")  # the saved search, in the pane
    _wait_bookmarks(reader, run_env, 1)
    searches = reader_json(reader, run_env, "searches")
    assert [(s["name"], s["query"]) for s in searches] == [("Later", "harbour")]  # type: ignore[union-attr]
    # (Escape and q in one write are alt+q to a terminal: a person's pause between them.)
    tmux.keys("Escape")  # the search cleared; the bookmarks filter stays
    tmux.wait_for("9 articles · 9 unread · 1 bookmarked · showing bookmarks only")
    tmux.keys("q")
    tmux.wait_until_gone()


def test_palette_command_and_its_answer_typed_in_one_write(tmux: Tmux, data_dir: Path, config_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    """ctrl+p, "import files", Enter, a path and Enter, all in one write, as a fast typist
    or a pasted line sends them: the import runs on that path. The palette's Enter chose
    from the commands listed before anything was typed (Textual's "Maximize", which hid the
    search box and the sources pane) and the path was typed into the palette's box."""
    reader, env, run_env = library_with(data_dir, config_dir, sample_data_dir() / "markdown")
    titles = [f"The quay reopens after storm number {n}" for n in range(3)]
    for n, title in enumerate(titles):
        (tmp_path / f"more{n}").mkdir()
        (tmp_path / f"more{n}" / "quay.md").write_text(f"# {title}\n\nThe quay is open again.\n", encoding="utf-8")
    tmux.start([reader], env)
    tmux.wait_until_started()
    _wait_status(tmux, "9 articles · 9 unread · 0 bookmarked")
    for n in range(3):  # the race is one of timing: more than one try
        tmux.keys("C-p", "import files", "Enter", str(tmp_path / f"more{n}"), "Enter")
        _wait_status(tmux, f"{10 + n} articles · {10 + n} unread · 0 bookmarked")
        screen = tmux.screen()
        assert "/ to search" in screen and "All articles" in screen, screen  # nothing maximized
    tmux.keys("q")
    tmux.wait_until_gone()
    listed = [a["title"] for a in reader_json(reader, run_env, "list") if "quay reopens" in a["title"]]  # type: ignore[union-attr]
    assert sorted(listed) == titles


def test_keys_typed_with_the_key_that_opens_a_prompt_land_in_it(tmux: Tmux, data_dir: Path, config_dir: Path) -> None:  # noqa: F811
    """``t``, End, ", later", Enter, ``j``, ``t``, End, ", soon", Enter in one write: each
    article under the cursor gets its tag. The letters after ``t`` reached the library
    before the prompt was pushed and were lost; three rounds, the race being one of timing."""
    reader, env, run_env = library_with(data_dir, config_dir, sample_data_dir() / "markdown")
    rows = reader_json(reader, run_env, "list")
    assert isinstance(rows, list) and len(rows) == 9
    tmux.start([reader], env)
    tmux.wait_until_started()
    _wait_status(tmux, "9 articles · 9 unread · 0 bookmarked")
    for round_number in range(3):
        tmux.keys("t", "End", f", later{round_number}", "Enter", "j", "t", "End", f", soon{round_number}", "Enter", "j")
        tmux.wait_for(f"# soon{round_number} 1")  # the pane counts the second tag
    tmux.keys("q")
    tmux.wait_until_gone()
    for n, row in enumerate(rows[:6]):  # the list's order: rows 0-5 are the six tagged
        tag = f"later{n // 2}" if n % 2 == 0 else f"soon{n // 2}"
        tagged = reader_json(reader, run_env, "list", "--tag", tag)
        assert [article["title"] for article in tagged] == [row["title"]], tag  # type: ignore[union-attr]
