"""The postings of a segment being written, sorted within a bounded memory.

Whoosh's writer puts every posting of a segment, ``(field, term, docnum, weight,
value)``, in a pool and takes them back sorted. Past its memory limit its pool sorts what
it holds and writes it to disk as a run, one pickle a posting, and at the end reads every
run back a pickle at a time and merges them. At 50,000 articles a writer process holds
some fifty runs, so every posting went through pickling and unpickling one by one: at
128 MB a process, loading them back alone was an eighth of writing a segment.

:class:`SpillingPool` keeps the same bound and gives back the same postings in the same
order, but writes a run as :mod:`marshal` chunks of :data:`CHUNK` postings (one call per
chunk, not per posting) and merges the runs in C (:func:`heapq.merge`); when there are
more than :data:`MAX_RUNS` runs it merges them into fewer first, so the open files and the
chunks read at once stay bounded whatever the size of the import. The runs live in a
folder of their own inside the index's folder (never in a ``/tmp`` that may be memory),
removed by :meth:`cleanup`.
"""

from __future__ import annotations

import heapq
import marshal
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator

Posting = tuple[str, bytes, int, float, bytes | None]

CHUNK = 2_000  # postings per marshal chunk of a run: what one open run holds in memory
MAX_RUNS = 64  # runs merged at once: bounds open files and chunks in memory (64 x CHUNK)
_OVERHEAD = 129  # bytes a posting's tuple, ints and objects take besides its strings


class SpillingPool:
    """A drop-in for the pool of Whoosh's ``SegmentWriter`` (``add``, ``iter_postings``,
    ``cleanup``, ``fieldnames``): postings back in sorted order, memory bounded by
    ``limit`` bytes as Whoosh's own pool estimates them; runs go in a folder made in
    ``folder``."""

    def __init__(self, folder: str | None, limit: int) -> None:
        self._parent = folder
        self._folder: str | None = None
        self._limit = limit
        self._size = 0
        self._current: list[Posting] = []
        self._runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, posting: Posting) -> None:
        self._current.append(posting)
        self.fieldnames.add(posting[0])
        self._size += _OVERHEAD + len(posting[0]) + 2 * len(posting[1]) + len(posting[4] or b"")
        if self._size > self._limit:
            self._spill()

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting added, sorted (as Whoosh sorts them: by field, term, document)."""
        if not self._runs:
            self._current.sort()
            postings, self._current = self._current, []
            return iter(postings)
        self._spill()
        while len(self._runs) > MAX_RUNS:
            merged, self._runs = self._runs[:MAX_RUNS], self._runs[MAX_RUNS:]
            self._runs.append(self._write_run(heapq.merge(*map(self._read_run, merged))))
        runs, self._runs = self._runs, []
        return heapq.merge(*map(self._read_run, runs))

    def cleanup(self) -> None:
        self._current = []
        self._runs = []
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _spill(self) -> None:
        if self._current:
            self._current.sort()
            self._runs.append(self._write_run(self._current))
        self._current = []
        self._size = 0

    def _write_run(self, postings: Iterable[Posting]) -> str:
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="reader-pool-", dir=self._parent)
        fd, path = tempfile.mkstemp(suffix=".run", dir=self._folder)
        with os.fdopen(fd, "wb") as run:
            chunk: list[Posting] = []
            for posting in postings:
                chunk.append(posting)
                if len(chunk) >= CHUNK:
                    marshal.dump(chunk, run)
                    chunk = []
            if chunk:
                marshal.dump(chunk, run)
        return path

    def _read_run(self, path: str) -> Iterator[Posting]:
        try:
            with open(path, "rb") as run:
                while True:
                    try:
                        chunk: list[Posting] = marshal.load(run)
                    except EOFError:
                        return
                    yield from chunk
        finally:
            _remove(path)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass

