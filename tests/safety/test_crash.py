"""SIGKILL at random moments loses nothing that was committed (issue 5, area 3).

A ``reader import`` of 1,200 articles (Reader JSON Lines, committed in batches of 500)
is killed with SIGKILL at a random moment, several rounds on the same library, after
bookmarks and read marks were made on articles the import rewrites. After every kill:

- the database passes SQLite's integrity check and holds at least what it held before;
- every bookmark and read mark is still there;
- ``reader list`` shows exactly the articles in the store;
- ``reader search`` finds exactly the articles in the store (the first search catches
  the index up with what the killed process committed to the store but not the index).

Then ``reader reindex`` is killed the same way, and a bookmark made by
``Library.set_bookmarked`` survives a SIGKILL sent the moment the call returned.

Rounds: ``READER_CRASH_ROUNDS`` (default 3; e.g. 25 for a long run); the size of the
library: ``READER_CRASH_ARTICLES`` (default 1,200: three store batches, so a kill can land
after one commit and before the next; at least 600). The kill moments come from
``READER_CRASH_SEED`` (default: a fresh seed, printed in every failure message so a
failing run can be repeated).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.library import Library

from .helpers import WORD, check_ok, ids_of, make_jsonl, reader, reader_env

ROUNDS = max(1, int(os.environ.get("READER_CRASH_ROUNDS", "3")))
SEED = int(os.environ.get("READER_CRASH_SEED", str(random.randrange(2**32))))
ARTICLES = max(600, int(os.environ.get("READER_CRASH_ARTICLES", "1200")))
FIRST = 300  # imported before the rounds, then bookmarked and read; the big file rewrites them


def _store(data: Path) -> tuple[set[str], set[str], set[str]]:
    """(article ids, bookmarked ids, read ids), read with plain sqlite3, after an integrity check."""
    with sqlite3.connect(f"file:{data / 'library.sqlite3'}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {row[0] for row in db.execute("SELECT id FROM articles")}
        bookmarked = {row[0] for row in db.execute("SELECT article_id FROM state WHERE bookmarked = 1")}
        read = {row[0] for row in db.execute("SELECT article_id FROM state WHERE read = 1")}
    return ids, bookmarked, read


def _check_library(data: Path, before: set[str], bookmarked: set[str], read: set[str], what: str) -> set[str]:
    """Everything committed is there, and the commands agree with the store."""
    started = time.perf_counter()
    ids, now_bookmarked, now_read = _store(data)
    assert before <= ids, f"{what}: {len(before - ids)} committed articles lost"
    assert now_bookmarked == bookmarked, f"{what}: bookmarks changed"
    assert now_read == read, f"{what}: read marks changed"
    listed, _ = check_ok(reader(data, "list", "--format", "json"), f"{what}: list")
    assert {row["id"] for row in json.loads(listed)} == ids, f"{what}: list differs from the store"
    found, _ = check_ok(reader(data, "search", WORD, "--format", "json", "--limit", "100000"), f"{what}: search")
    result = json.loads(found)
    assert result["total"] == len(ids), f"{what}: search total {result['total']}, store {len(ids)}"
    assert {hit["id"] for hit in result["results"]} == ids, f"{what}: search differs from the store"
    print(f"{what}: {len(ids)} articles, checked in {time.perf_counter() - started:.1f} s")
    return ids


def _kill_at(args: list[str], env: dict[str, str], delay: float) -> tuple[int, bytes]:
    process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    root = tmp_path_factory.mktemp("crash")
    urls = make_jsonl(root / "big.jsonl", ARTICLES)
    with (root / "big.jsonl").open() as source, (root / "first.jsonl").open("w") as first:
        for _, line in zip(range(FIRST), source, strict=False):
            first.write(line)
    return root / "big.jsonl", root / "first.jsonl", urls


def test_sigkill_during_import_and_reindex_keeps_everything_committed(data_dir: Path, big_file) -> None:
    big, first, urls = big_file
    rng = random.Random(SEED)
    env = reader_env(data_dir)
    command = [sys.executable, "-m", "reader"]

    start = time.perf_counter()
    check_ok(reader(data_dir, "info"), "info")
    startup = time.perf_counter() - start
    start = time.perf_counter()
    check_ok(reader(data_dir, "import", str(first)), "first import")
    per_article = (time.perf_counter() - start - startup) / FIRST
    first_ids = ids_of(urls[:FIRST])
    bookmarked = set(rng.sample(first_ids, 40))
    read = set(rng.sample(first_ids, 25))
    check_ok(reader(data_dir, "bookmark", *sorted(bookmarked)), "bookmark")
    with Library.open(data_dir) as lib:
        for article_id in read:
            lib.set_read(article_id, True)
    ids = _check_library(data_dir, set(first_ids), bookmarked, read, f"seed {SEED}, before the rounds")

    # The kill moments spread over the import, as estimated on this machine (the estimate
    # runs long: the first batch also creates the index).
    expected = max(1.0, 0.7 * (startup + per_article * ARTICLES))
    killed = 0
    for round_number in range(ROUNDS):
        delay = rng.uniform(0.05, expected)
        what = f"seed {SEED}, import round {round_number + 1}, SIGKILL after {delay:.2f} s"
        status, err = _kill_at([*command, "import", str(big)], env, delay)
        assert b"Traceback" not in err, what
        killed += status == -signal.SIGKILL
        ids = _check_library(data_dir, ids, bookmarked, read, what)

    finished = reader(data_dir, "import", str(big), timeout=300)
    check_ok(finished, f"seed {SEED}: the import after the kills")
    ids = _check_library(data_dir, ids, bookmarked, read, f"seed {SEED}, after a complete import")
    assert ids == set(ids_of(urls))
    marked, _ = check_ok(reader(data_dir, "bookmarks", "--format", "json"), "bookmarks")
    assert {row["id"] for row in json.loads(marked)} == bookmarked

    # The kill moments spread over a rebuild, timed here. The import before it is another
    # operation, whose time (what the killed rounds left it to do) says little about a
    # rebuild's: on a busy machine every kill once came after the end.
    start = time.perf_counter()
    check_ok(reader(data_dir, "reindex", timeout=300), f"seed {SEED}: a reindex to time")
    expected = max(0.2, 0.9 * (time.perf_counter() - start))
    for round_number in range(ROUNDS):
        delay = rng.uniform(0.05, expected)
        what = f"seed {SEED}, reindex round {round_number + 1}, SIGKILL after {delay:.2f} s"
        status, err = _kill_at([*command, "reindex"], env, delay)
        assert b"Traceback" not in err, what
        killed += status == -signal.SIGKILL
        _check_library(data_dir, ids, bookmarked, read, what)
    assert killed >= 1, f"seed {SEED}: no process was killed mid-way (all finished first)"


_BOOKMARK_THEN_WAIT = """
import sys, time
from reader.library import Library
library = Library.open(sys.argv[1])
library.set_bookmarked(sys.argv[2], sys.argv[3] == "1")
library.set_read(sys.argv[2], sys.argv[3] == "1")
print("returned", flush=True)
time.sleep(60)
"""


def test_a_bookmark_is_durable_once_set_bookmarked_returns(data_dir: Path, big_file) -> None:
    _, first, urls = big_file
    check_ok(reader(data_dir, "import", str(first)), "import")
    for article_id, value in [(ids_of(urls[:1])[0], True), (ids_of(urls[1:2])[0], True), (ids_of(urls[:1])[0], False)]:
        process = subprocess.Popen(
            [sys.executable, "-c", _BOOKMARK_THEN_WAIT, str(data_dir), article_id, "1" if value else "0"],
            env=reader_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert process.stdout.readline() == b"returned\n", process.stderr.read().decode()
        process.send_signal(signal.SIGKILL)  # the moment the call returned, before any close()
        process.communicate(timeout=30)
        with Library.open(data_dir) as lib:
            article = lib.get(article_id)
            assert (article.bookmarked, article.read) == (value, value)
