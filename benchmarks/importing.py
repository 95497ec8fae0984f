"""Getting the corpus into Reader the way a user does: JSON Lines files and ``reader import``.

The corpus is written once as files of 1,000 articles (Reader's import format, one
``Article.to_dict()`` a line; the importer refuses files over 64 MB) into a cache under
``benchmarks/out/``. Since a smaller corpus is a prefix of a larger one, every size
shares the same files: a size is a folder of links to its first files. The import itself
is the ``reader`` command in a child process, so the figures include what a user waits
for (start-up, parsing, the store and the index) and its memory is the child's alone.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.corpus import generate
from reader import paths
from reader.library import Library

PER_FILE = 1000
READER = Path(sys.executable).parent / "reader"


def corpus_folder(out: Path, n: int, seed: int) -> Path:
    """A folder holding the first ``n`` articles (a multiple of 1,000) as JSON Lines files."""
    cache = out / f"corpus-seed{seed}"
    files = [cache / f"articles-{start:07d}.jsonl" for start in range(0, n, PER_FILE)]
    if not all(f.exists() for f in files):
        cache.mkdir(parents=True, exist_ok=True)
        print(f"writing the corpus of {n:,} articles to {cache} …", file=sys.stderr)
        articles = generate(n, seed)
        for path in files:
            batch = list(itertools.islice(articles, PER_FILE))  # generation is sequential: cached files too
            if not path.exists():
                partial = path.with_suffix(".partial")
                partial.write_text("".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in batch), "utf-8")
                partial.replace(path)
    folder = cache / f"first-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for path in files:
        # Hard links, not symlinks: `reader import` refuses a symlink to a file outside the
        # folder it imports (see the README's data safety), and a copy would double the disk.
        os.link(path, folder / path.name)
    return folder


def read_corpus(folder: Path) -> Iterator[dict]:
    """The articles of a corpus folder in order, as dicts, one file in memory at a time."""
    for path in sorted(folder.iterdir()):
        with path.open(encoding="utf-8") as lines:
            yield from map(json.loads, lines)


def import_library(corpus: Path, data_dir: Path, n: int) -> dict:
    """Import ``corpus`` with ``reader import`` into a new library at ``data_dir``.

    Returns the wall time, the sizes on disk, and the peak memory two ways: the resident
    size of the largest single process (the kernel's own figure, from ``wait4``) and the
    whole process tree's, sampled, since the import may hand work to helper processes.
    """
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = {**os.environ, "READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(data_dir / "no-config")}
    log = data_dir.parent / f"import-{n}.log"
    print(f"reader import of {n:,} articles into {data_dir} (progress in {log}) …", file=sys.stderr)
    with log.open("wb") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen([str(READER), "import", str(corpus)], env=env, stdout=stderr, stderr=stderr)
        sampler = _TreeMemory(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
    summary = log.read_text("utf-8", "replace").strip().splitlines()[-1:]
    if child.returncode != 0 or summary != [f"imported {n}, updated 0, failed 0"]:
        raise RuntimeError(f"reader import failed (exit {child.returncode}): {summary}; see {log}")
    database = paths.database_path(data_dir)
    return {
        "seconds": round(seconds, 1),
        # CPU of the import and its helper processes (joined, so counted): the figure to
        # compare on a shared machine, where the wall time depends on the others' load.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "articles_per_second": round(n / seconds),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),  # kilobytes on Linux
        "peak_pss_all_processes_mb": round(sampler.peak / 2**20),
        "store_mb": round(sum(_size(database.with_name(database.name + s)) for s in ("", "-wal", "-shm")) / 1e6, 1),
        "index_mb": round(directory_size(paths.index_dir(data_dir)) / 1e6, 1),
    }


def round_trip(data_dir: Path, n: int) -> dict:
    """``reader export`` of the library at ``data_dir``, then ``reader import`` of that
    file into a new library: every article, bookmark and read mark must come back."""
    export = data_dir.parent / f"export-{n}.json"
    env = {**os.environ, "READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(data_dir / "no-config")}
    start = time.perf_counter()
    with export.open("wb") as out:
        subprocess.run([str(READER), "export"], env=env, stdout=out, check=True)
    exported = time.perf_counter() - start
    target = data_dir.parent / f"reimported-{n}"
    imported = import_library(export, target, n)
    with Library.open(data_dir) as source, Library.open(target) as copy:
        same = {
            kind: sorted(r.id for r in source.list_articles(**flags)) == sorted(r.id for r in copy.list_articles(**flags))
            for kind, flags in (("articles", {}), ("bookmarks", {"bookmarked": True}), ("unread", {"unread": True}))
        }
        counts = {"bookmarks": source.count(bookmarked=True), "read": n - source.count(unread=True)}
    export.unlink()
    shutil.rmtree(target, ignore_errors=True)
    return {"export_seconds": round(exported, 1), "import": imported, "same": same, **counts}


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.importing --size N``: the import alone, and the round trip."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--round-trip", action="store_true", help="then export and re-import it (bookmarks, read marks)")
    args = parser.parse_args(argv)
    corpus = corpus_folder(args.out, args.size, args.seed)
    data_dir = args.out / f"import-only-{args.size}"
    result: dict = {"size": args.size, "import": import_library(corpus, data_dir, args.size)}
    if args.round_trip:
        with Library.open(data_dir) as library:
            ids = [row.id for row in library.list_articles()]
            for article_id in ids[::7]:
                library.set_bookmarked(article_id, True)
            for article_id in ids[::5]:
                library.set_read(article_id, True)
        result["round_trip"] = round_trip(data_dir, args.size)
    print(json.dumps(result, indent=2))
    return 0


def bookmark(data_dir: Path, ids: set[str]) -> None:
    """Bookmark ``ids`` the way the app does, one at a time (for ``is:bookmarked``)."""
    with Library.open(data_dir) as library:
        for article_id in sorted(ids):
            library.set_bookmarked(article_id, True)


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


class _TreeMemory:
    """Samples the memory of a process and its descendants together, twice a second.

    Each process counts its proportional set size (PSS: pages shared with others, such
    as a forked worker's copy-on-write pages, split between them), so the sum is what the
    tree takes from the machine, not its resident sizes added up twice.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(0.5):
            self.peak = max(self.peak, sum(map(_pss, self._tree())))

    def _tree(self) -> set[int]:
        parent = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except OSError:  # the process ended meanwhile
                continue
        tree, frontier = {self.root}, {self.root}
        while frontier:
            frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - tree
            tree |= frontier
        return tree


def _pss(pid: int) -> int:
    """A process's proportional set size in bytes (0 once it has ended)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
