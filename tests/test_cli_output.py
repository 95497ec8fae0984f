"""What the CLI prints: tables in terminal cells, uncut when piped, counts and messages that say what happened."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader import cli
from reader.library import Library
from reader.model import Article


def reader(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_DATA_DIR": str(data_dir), "NO_COLOR": "1", "COLUMNS": "60"}
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("samples")
    extra = tmp_path_factory.mktemp("extra")
    (extra / "no-source.md").write_text("---\ntitle: A note with no source at all\n---\n\nJust a note about the quay.\n", encoding="utf-8")
    assert reader(data, "import", "--samples").returncode == 0
    assert reader(data, "import", str(extra)).returncode == 0
    return data


def test_piped_list_keeps_whole_titles(samples):
    rows = json.loads(reader(samples, "list", "--format", "json").stdout)
    longest = max((r["title"] for r in rows), key=len)
    assert len(longest) > 60
    out = reader(samples, "list").stdout  # COLUMNS=60, but stdout is a pipe
    assert longest in out


def test_table_rows_fit_the_terminal_in_cells(monkeypatch, data_dir):
    """``reader list`` in a terminal 60 cells wide: a title of double-width characters is
    cut by cells, not characters (run in this process, its stdout made a terminal)."""
    title = "東京の港で新しいフェリーが運航を始める、長いタイトルの記事です"
    with Library.open(data_dir) as library:
        library.add_articles([Article(id="1234abcd" * 2, title=title, body="本文。", language="ja", published="2026-01-02"),
                              Article(id="5678abcd" * 2, title="Short", body="Text.", language="en", published="2026-01-01")])
    printed = io.StringIO()
    monkeypatch.setattr(sys, "stdout", printed)
    monkeypatch.setattr(printed, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(cli.shutil, "get_terminal_size", lambda fallback=(0, 0): os.terminal_size((60, 24)))
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.main(["--data-dir", str(data_dir), "list"]) == 0
    lines = printed.getvalue().splitlines()
    assert all(cell_len(line) <= 60 for line in lines), [cell_len(line) for line in lines]
    row = next(line for line in lines if line.startswith("1234abcd"))
    assert row.endswith("…") and title[:5] in row, lines


def test_search_counts_say_one_result_and_what_is_shown(samples):
    one = reader(samples, "search", "title:\"a note with no source\"").stdout
    assert one.splitlines()[0] == "1 result"
    limited = reader(samples, "search", "--limit", "3", "harbour").stdout.splitlines()
    assert "(showing 3; --limit N for more)" in limited[0]


def test_list_with_filters_that_match_nothing_says_so(samples):
    proc = reader(samples, "list", "--lang", "german")
    assert "import some" not in proc.stderr
    assert "no articles match --lang german among the 48 in the library" in proc.stderr
    assert "codes such as en or de" in proc.stderr


def test_show_with_a_short_id_says_how_many_characters(samples):
    proc = reader(samples, "show", "45")
    assert proc.returncode != 0 and "at least 4 characters" in proc.stderr


def test_info_does_not_count_the_empty_source(samples):
    info = json.loads(reader(samples, "info", "--format", "json").stdout)
    rows = json.loads(reader(samples, "list", "--format", "json").stdout)
    assert "" in {r["source"] for r in rows}
    assert info["sources"] == len({r["source"] for r in rows} - {""})


def test_read_unread_and_ids_from_standard_input(samples, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(samples, data)  # a copy of the imported samples: this test writes
    rows = json.loads(reader(data, "list", "--format", "json").stdout)
    first, second = rows[0]["id"], rows[1]["id"]
    assert reader(data, "read", first[:8], second).returncode == 0
    unread = json.loads(reader(data, "list", "--unread", "--format", "json").stdout)
    assert len(unread) == len(rows) - 2
    assert reader(data, "unread", first).returncode == 0
    assert len(json.loads(reader(data, "list", "--unread", "--format", "json").stdout)) == len(rows) - 1

    # reader list --unread --format json | reader bookmark -
    env = {**os.environ, "READER_DATA_DIR": str(data)}
    listed = reader(data, "list", "--unread", "--format", "json", "--limit", "3").stdout
    piped = subprocess.run([sys.executable, "-m", "reader", "bookmark", "-"], input=listed, capture_output=True, text=True, env=env, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr.count("bookmarked ") == 3
    plain = subprocess.run([sys.executable, "-m", "reader", "unbookmark", "-"], input=f"{rows[2]['id']}\n", capture_output=True, text=True, env=env, timeout=120)
    assert plain.returncode == 0, plain.stderr
    assert len(json.loads(reader(data, "bookmarks", "--format", "json").stdout)) == 2

    bad = reader(data, "read", first, "ffffffff")  # one bad id: nothing changes
    assert bad.returncode != 0
    assert first in {r["id"] for r in json.loads(reader(data, "list", "--unread", "--format", "json").stdout)}
