"""Big imports: stored first, then indexed in one batch by several processes (issue 6).

The threshold for the multi-process writer is lowered so that small libraries take
the same path as a 100,000-article archive.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import reader.search.index as index_module
from reader.library import INDEXING, Library
from reader.model import Article, article_id
from reader.search.index import WRITING
from reader.search.writers import ParallelWriter


def _article(i: int, word: str) -> Article:
    url = f"https://example.org/bulk/{i}"
    return Article(
        id=article_id(url=url),
        title=f"Bulk story {i}",
        summary=f"Summary {i}",
        body=f"The harbour council met about {word} number {i}. Das Hafenamt tagte.",
        language="en",
        url=url,
        published=f"2024-01-{1 + i % 28:02d}T00:00:00Z",
    )


def _jsonl(path: Path, articles: list[Article]) -> Path:
    path.write_text("".join(json.dumps(a.to_dict()) + "\n" for a in articles), "utf-8")
    return path


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> list[ParallelWriter]:
    """Every batch of 10 or more goes to the multi-process writer; the writers made are listed."""
    made: list[ParallelWriter] = []
    original = ParallelWriter.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(index_module, "MULTIPROCESS_FROM", 10)
    monkeypatch.setattr(ParallelWriter, "__init__", recording)
    return made


def test_a_big_import_is_indexed_by_several_processes_in_one_commit(data_dir: Path, tmp_path: Path, parallel) -> None:
    files = [_jsonl(tmp_path / f"part-{n}.jsonl", [_article(i, "lighthouses") for i in range(n * 20, n * 20 + 20)]) for n in range(3)]
    seen: list[tuple[int, int, str | None]] = []
    with Library.open(data_dir) as library:
        report = library.import_paths(files, lambda done, total, stage=None: seen.append((done, total, stage)))
        assert report.added == 60 and not report.failures
        assert len(parallel) == 1  # one writer for the whole import, not one per file
        assert library.search("lighthouses", limit=100).total == 60
        assert library.search('"harbour council"').total == 60
    stages = [stage for _, _, stage in seen]
    assert stages == sorted(stages, key=[None, INDEXING, WRITING].index)  # files, indexing, writing
    assert [s for s in seen if s[2] is None][-1] == (3, 3, None)
    assert [s for s in seen if s[2] == INDEXING][-1] == (60, 60, INDEXING)
    assert seen[-1] == (0, 0, WRITING)  # of unknown length


def test_a_big_reimport_replaces_documents_instead_of_doubling_them(data_dir: Path, tmp_path: Path, parallel) -> None:
    with Library.open(data_dir) as library:
        library.import_paths([_jsonl(tmp_path / "first.jsonl", [_article(i, "lighthouses") for i in range(30)])])
        changed = [_article(i, "windmills") for i in range(15)] + [_article(i, "lighthouses") for i in range(30, 45)]
        report = library.import_paths([_jsonl(tmp_path / "second.jsonl", changed)])
        assert (report.added, report.updated) == (15, 15)
        assert library.search("windmills", limit=100).total == 15
        assert library.search("lighthouses", limit=100).total == 30  # 15 kept, 15 new
        assert library.search("harbour", limit=100).total == library.count() == 45
        assert library.info()["articles"] == 45


def test_a_rebuild_of_a_big_library_uses_several_processes(data_dir: Path, tmp_path: Path, parallel) -> None:
    with Library.open(data_dir) as library:
        library.import_paths([_jsonl(tmp_path / "all.jsonl", [_article(i, "lighthouses") for i in range(25)])])
        parallel.clear()
        assert library.reindex() == 25
        assert len(parallel) == 1
        assert library.search("lighthouses", limit=100).total == 25


_ORPHAN_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from reader.model import Article
    from reader.search import SearchIndex
    import reader.search.index as index_module

    index_module.MULTIPROCESS_FROM = 1
    index = SearchIndex.open(Path(sys.argv[1]))
    with index._write_lock():
        writer = index._writer(total=1000)
        for i in range(250):  # more than one job file: both children start
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
def test_children_of_a_killed_import_exit_and_release_the_index(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    parent = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT, str(tmp_path / "index")], stdout=subprocess.PIPE, text=True, env=env)
    children = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(children) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, children)), "the writer's children outlived their parent"

    from reader.search import SearchIndex

    index = SearchIndex.open(tmp_path / "index")
    # Takes the write lock the dead import held: IndexBusy if it were still held.
    index.add([_article(1, "lighthouses")])
    assert index.count() == 1


_INTERRUPTED_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from reader.model import Article
    from reader.search import SearchIndex
    import reader.search.index as index_module

    index_module.MULTIPROCESS_FROM = 1
    index = SearchIndex.open(Path(sys.argv[1]))
    articles = (Article(id=f"a{i}", title=f"t{i}", body="words " * 400) for i in range(10**6))
    try:
        with index._write_lock():
            writer = index._writer(total=10**6)
            for i, article in enumerate(articles):
                writer.add_article(article, replace=False)
                if i == 300:
                    print(" ".join(str(task.pid) for task in writer.tasks), flush=True)
    except KeyboardInterrupt:
        writer.cancel()
        print("interrupted", file=sys.stderr)
    """
)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
def test_ctrl_c_during_a_big_import_shows_no_traceback_from_the_writers(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    parent = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTED_SCRIPT, str(tmp_path / "index")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True,
    )
    children = [int(pid) for pid in parent.stdout.readline().split()]
    time.sleep(0.5)  # the children are indexing
    os.killpg(parent.pid, signal.SIGINT)  # what Ctrl+C in a terminal does
    _, errors = parent.communicate(timeout=30)
    assert errors.strip() == "interrupted"
    assert not any(map(_alive, children))
