"""The multi-process index writer under every start method (fork, forkserver, spawn).

Each test names its start method explicitly (the writer's ``context`` parameter, or
``writers.START_METHOD`` for the library's own path), so none relies on the
interpreter's default, which differs between Python versions and platforms.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.util.filelock import FileLock

import reader.search.index as index_module
from reader.library import Library
from reader.model import Article, article_id
from reader.search import SearchIndex, writers
from reader.search.schema import build_schema, document
from reader.search.writers import IndexIncomplete, IndexingCancelled, ParallelWriter

METHODS = [m for m in ("fork", "forkserver", "spawn") if m in multiprocessing.get_all_start_methods()]
ROOT = Path(__file__).resolve().parents[2]


def _article(i: int, word: str = "lighthouses") -> Article:
    url = f"https://example.org/writers/{i}"
    return Article(
        id=article_id(url=url), title=f"Story {i}", summary=f"Summary {i}",
        body=f"The harbour council met about {word} number {i}.", language="en", url=url,
        published=f"2024-01-{1 + i % 28:02d}T00:00:00Z",
    )


def _writer(index: SearchIndex, method: str, **kwargs) -> ParallelWriter:
    """A parallel writer on the index's committed files, as SearchIndex makes one (the caller holds the lock)."""
    ix = whoosh_index.open_dir(str(index.root / index_module.CURRENT))
    return ParallelWriter(ix, limitmb=16, context=multiprocessing.get_context(method), compound=False, **kwargs)


@contextmanager
def _write_lock(index: SearchIndex) -> Iterator[None]:
    """The index's write.lock, taken as every writer of every process takes it."""
    lock = FileLock(str(index.root / index_module.LOCK))
    assert lock.acquire()
    try:
        yield
    finally:
        lock.release()


@pytest.mark.parametrize("method", METHODS)
def test_an_import_past_the_parallel_threshold_is_whole(method: str, data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """The library's own path (stored, then indexed by the parallel writer) under ``method``."""
    monkeypatch.setattr(index_module, "MULTIPROCESS_FROM", 10)
    monkeypatch.setattr(writers, "START_METHOD", method)
    monkeypatch.setattr(writers, "BATCH", 7)  # several jobs, so that every child has work
    made: list[ParallelWriter] = []
    original = ParallelWriter.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(ParallelWriter, "__init__", recording)
    export = tmp_path / "articles.jsonl"
    export.write_text("".join(json.dumps(_article(i).to_dict()) + "\n" for i in range(60)), "utf-8")
    with Library.open(data_dir) as library:
        report = library.import_paths([export])
        assert (report.added, report.failures) == (60, [])
        assert [w.context.get_start_method() for w in made] == [method]
        assert len(made[0].tasks) == writers.PROCESSES
        assert library.search("lighthouses", limit=100).total == 60
        assert library.reindex() == 60
        assert library.search('"harbour council"', limit=100).total == 60
    with Library.open(data_dir) as reopened:  # no rebuild on reopening: the index matched
        assert not reopened.sync_index().rebuilt
        assert reopened.search("lighthouses", limit=100).total == 60


@pytest.mark.parametrize("method", METHODS)
def test_a_child_that_dies_fails_the_commit_and_leaves_the_index(method: str, tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    index.add([_article(i, "windmills") for i in range(5)])
    with _write_lock(index):
        writer = _writer(index, method)
        for i in range(5, 5 + 3 * writers.BATCH):
            writer.add_article(_article(i), replace=False)
        victim = writer.tasks[0]
        os.kill(victim.pid, signal.SIGKILL)
        victim.join()
        with pytest.raises(IndexIncomplete, match="died|ended without a result|given"):
            writer.commit()
    assert all(task.exitcode is not None for task in writer.tasks)
    assert index.count() == 5  # the old index, untouched
    assert index.search("windmills").total == 5


@pytest.mark.parametrize("method", METHODS)
def test_a_child_that_fails_names_its_error(method: str, tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    with _write_lock(index):
        writer = _writer(index, method)
        writer.add_article(_article(1), replace=False)
        writer.add_article("not an article", replace=False)  # type: ignore[arg-type]
        with pytest.raises(IndexIncomplete, match="failed.*AttributeError"):
            writer.commit()
    assert index.count() == 0


def test_a_write_that_comes_back_short_is_an_error(tmp_path: Path) -> None:
    """The count check itself: the children wrote fewer documents than the parent handed out."""
    index = SearchIndex.open(tmp_path / "index")
    with _write_lock(index):
        writer = _writer(index, "spawn")
        for i in range(3):
            writer.add_article(_article(i), replace=False)
        writer.given += 1  # as if one article had been lost on its way to a child
        with pytest.raises(IndexIncomplete, match="given 4 articles but its writers wrote 3"):
            writer.commit()
    assert index.count() == 0


@pytest.mark.parametrize("method", METHODS)
def test_a_stopped_write_ends_soon_and_commits_nothing(method: str, tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    stop = {"now": False}
    with _write_lock(index):
        writer = _writer(index, method, cancelled=lambda: stop["now"])
        for i in range(2 * writers.BATCH):
            writer.add_article(_article(i), replace=False)
        stop["now"] = True
        with pytest.raises(IndexingCancelled):
            writer.commit()
    assert all(task.exitcode is not None for task in writer.tasks)
    assert index.count() == 0


def test_a_ctrl_c_while_the_children_are_busy_stops_the_import(tmp_path: Path) -> None:
    """Ctrl+C while the parent waits on a full queue of jobs (the children slower than
    it): the import ends with KeyboardInterrupt. The interrupt was held back during the
    wait and dropped when the wait timed out, and the import went on for good."""
    index = SearchIndex.open(tmp_path / "index")
    body = " ".join(f"word{j}" for j in range(2000))  # slow to index: the queue stays full
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    interrupt = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    try:
        with _write_lock(index):
            writer = _writer(index, METHODS[0], processes=1)
            with pytest.raises(KeyboardInterrupt):
                deadline = time.monotonic() + 60  # bounds the loop if the interrupt is lost
                for i in range(10**6):
                    writer.add_article(Article(id=f"a{i}", title=f"t{i}", body=body), replace=False)
                    if i == writers.BATCH:  # the child has started: interrupt it while it is busy
                        interrupt.start()
                    if time.monotonic() > deadline:
                        break
            writer.cancel()
    finally:
        interrupt.cancel()
        signal.signal(signal.SIGINT, previous)
    assert all(task.exitcode is not None for task in writer.tasks)
    assert index.count() == 0


_ORPHAN_SCRIPT = textwrap.dedent(
    """
    import multiprocessing, sys, time
    from pathlib import Path
    from reader.model import Article
    from reader.search import SearchIndex
    from reader.search.index import CURRENT, LOCK
    from reader.search.writers import BATCH, ParallelWriter
    from whoosh import index as whoosh_index
    from whoosh.util.filelock import FileLock

    if __name__ == "__main__":
        index = SearchIndex.open(Path(sys.argv[1]))
        lock = FileLock(str(index.root / LOCK))  # as every writer of every process takes it
        if lock.acquire():
            writer = ParallelWriter(whoosh_index.open_dir(str(index.root / CURRENT)), limitmb=16,
                                    context=multiprocessing.get_context(sys.argv[2]))
            for i in range(3 * BATCH):  # several jobs: every child starts
                writer.add_article(Article(id=f"a{i}", title=f"t{i}", body="words " * 50), replace=False)
            print(" ".join(str(task.pid) for task in writer.tasks), flush=True)
            time.sleep(60)  # killed here, mid-batch, with the lock held
    """
)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("method", METHODS)
def test_children_of_a_killed_import_exit_and_release_the_index(method: str, tmp_path: Path) -> None:
    script = tmp_path / "orphan.py"  # a file, not -c: spawn children re-import the main module
    script.write_text(_ORPHAN_SCRIPT, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, str(script), str(tmp_path / "index"), method], stdout=subprocess.PIPE, text=True, env=env)
    children = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(children) == writers.PROCESSES
    assert all(map(_alive, children))
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, children)), "the writer's children outlived their parent"

    index = SearchIndex.open(tmp_path / "index")
    index.add([_article(1)])  # takes the write lock the dead import held
    assert index.count() == 1


_UNGUARDED_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import reader.search.index as index_module
    from reader.library import Library
    from reader.model import Article

    print("script ran", flush=True)  # a child that re-ran this script would print it again
    index_module.MULTIPROCESS_FROM = 10
    with Library.open(Path(sys.argv[1])) as library:
        library.add_articles(Article(id=f"{i:016x}", title=f"Story {i}", body="lighthouses " * 20) for i in range(40))
        print(library.search("lighthouses", limit=100).total, flush=True)
    """
)


def test_a_script_without_a_main_guard_is_not_run_again_by_the_writer(tmp_path: Path) -> None:
    """The default start method of a single-threaded process is fork, which does not
    import the main module again (forkserver and spawn would re-run this script)."""
    script = tmp_path / "unguarded.py"
    script.write_text(_UNGUARDED_SCRIPT, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "data")], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.stdout.splitlines() == ["script ran", "40"], done.stderr


def test_a_child_writes_the_segment_whoosh_writes(tmp_path: Path) -> None:
    """A child's writer reads field lengths its own way (writers._Lengths); the segment
    must be Whoosh's own all the same: every field's length of every document, and
    every term's statistics and postings, in every field, scorable or not (id, tags,
    language and published have no lengths)."""
    articles = [
        _article(i, word).replace(tags=("port", f"t{i % 3}"), language=("en", "de")[i % 2])
        for i, word in enumerate(["lighthouses", "ferries", "the of and", "Hafen", "", "cranes"] * 5)
    ]
    segments = {}
    for name in ("whoosh", "child"):
        folder = tmp_path / name
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), build_schema())
        writer = ix.writer() if name == "whoosh" else writers._ChildWriter(ix, _lk=False)
        seen: set[str] = set()
        for article in articles:
            writer.add_document(**document(article, seen))
        writer.commit()
        with whoosh_index.open_dir(str(folder)).reader() as reader:
            lengths = {
                (fieldname, docnum): reader.doc_field_length(docnum, fieldname, -1)
                for fieldname in reader.schema.names() for docnum in range(reader.doc_count_all())
            }
            postings = {(fieldname, text): _postings(reader, fieldname, text) for fieldname, text in reader.all_terms()}
            segments[name] = (lengths, postings)
    assert segments["child"] == segments["whoosh"]
    assert segments["whoosh"][0][("title", 0)] > 0 and segments["whoosh"][0][("tags", 0)] == -1


def _postings(reader, fieldname: str, text: bytes) -> list[tuple]:
    """A term's statistics (with the shortest and longest document, which the lengths
    given to the postings writer make), then its (document, weight, value) postings."""
    info = reader.term_info(fieldname, text)
    found: list = [(info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight())]
    matcher = reader.postings(fieldname, text)
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found
