"""The postings of a segment being written, sorted within a bounded memory.

Whoosh's writer puts every posting of a segment, ``(field, term, docnum, weight,
value)``, in a pool and takes them back sorted. Past its memory limit its pool sorts what
it holds and writes it to disk as a run, one pickle a posting, and at the end reads every
run back a pickle at a time and merges them, posting by posting.

:class:`SpillingPool` keeps the same bound and gives back the same postings in the same
order, but sorts terms, not postings. A writer adds its documents in order, so each
term's postings arrive in document order already: the pool groups them by field and
term as they come, and sorting is then the sort of each field's distinct terms (bytes,
compared in C). On 500 articles of the import benchmark's corpus those were 6% of the
text field's postings and 56% of the word pairs'. Past the limit, a run is written as
:mod:`marshal` chunks of at most :data:`CHUNK` postings with their terms (a longer
list is cut into pieces), each chunk one ``marshal.dumps`` behind its length, read back
with one read and ``marshal.loads`` (``marshal.load`` of a file reads object by object).
At the end the runs are merged term by term (:func:`heapq.merge`); the same term from
several runs, or a term's pieces, compare by their postings next, whose document
numbers put them in order. With more than :data:`MAX_RUNS` runs it merges them into
fewer first, so the open files and the chunks read at once stay bounded whatever the
size of the import. The runs live in a folder of their own inside the index's folder
(never in a ``/tmp`` that may be memory), removed by :meth:`cleanup`.

Importing the benchmark's 10,000 articles took 51.8 and 50.0 s (91-93 s of user CPU)
with a pool that sorted and merged every posting, and 48.1 and 47.3 s (86-87 s) with
this one. A chunk bounded in terms rather than postings held a stop word's whole list:
at 100,000 articles the import's peak RSS was 887 MB (1,778 MB PSS of all processes);
bounded in postings, 309 MB (621 MB), as with Whoosh's pool.
"""

from __future__ import annotations

import heapq
import marshal
import os
import shutil
import struct
import tempfile
from collections.abc import Iterable, Iterator
from itertools import chain
from operator import itemgetter
from typing import BinaryIO

Posting = tuple[str, bytes, int, float, bytes | None]
# A term of a run: its field, its text, and its postings in document order.
Entry = tuple[str, bytes, list[Posting]]

CHUNK = 2_000  # postings per marshal chunk of a run at most: what one open run holds in memory
MAX_RUNS = 64  # runs merged at once: bounds open files and chunks in memory (64 x CHUNK)
_OVERHEAD = 129  # bytes a posting's tuple, ints and objects take besides its strings
_TERM_OVERHEAD = 120  # bytes a term's place in its field's dict and its list take
_LENGTH = struct.Struct("<Q")  # before each chunk of a run: its length in bytes


class PostingsOutOfOrder(ValueError):
    """A term's posting came for a document before one it already has: the pool's
    order would be wrong, so it refuses rather than write a garbled segment."""


class SpillingPool:
    """A drop-in for the pool of Whoosh's ``SegmentWriter`` (``add``, ``iter_postings``,
    ``cleanup``, ``fieldnames``): postings back in sorted order, memory bounded by
    ``limit`` bytes as Whoosh's own pool estimates them; runs go in a folder made in
    ``folder``. Postings of a field's term must come in ascending document order, as a
    writer adding its documents one after another gives them."""

    def __init__(self, folder: str | None, limit: int) -> None:
        self._parent = folder
        self._folder: str | None = None
        self._limit = limit
        self._size = 0
        self._terms: dict[str, dict[bytes, list[Posting]]] = {}
        self._runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, posting: Posting) -> None:
        terms = self._terms.get(posting[0])
        if terms is None:
            terms = self._terms[posting[0]] = {}
            self.fieldnames.add(posting[0])
        found = terms.get(posting[1])
        if found is None:
            terms[posting[1]] = [posting]
            self._size += _TERM_OVERHEAD + _OVERHEAD + len(posting[0]) + 2 * len(posting[1]) + len(posting[4] or b"")
        else:
            if found[-1][2] >= posting[2]:
                raise PostingsOutOfOrder(f"document {posting[2]} after {found[-1][2]} for a term of {posting[0]!r}")
            found.append(posting)
            self._size += _OVERHEAD + len(posting[0]) + 2 * len(posting[1]) + len(posting[4] or b"")
        if self._size > self._limit:
            self._spill()

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting added, sorted (as Whoosh sorts them: by field, term, document)."""
        if not self._runs:
            entries = self._sorted()
            self._terms = {}
            return chain.from_iterable(map(itemgetter(2), entries))
        self._spill()
        while len(self._runs) > MAX_RUNS:
            merged, self._runs = self._runs[:MAX_RUNS], self._runs[MAX_RUNS:]
            self._runs.append(self._write_run(heapq.merge(*map(self._read_run, merged))))
        runs, self._runs = self._runs, []
        return chain.from_iterable(map(itemgetter(2), heapq.merge(*map(self._read_run, runs))))

    def cleanup(self) -> None:
        self._terms = {}
        self._runs = []
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _sorted(self) -> list[Entry]:
        """The terms held, sorted by field and text, each with its postings."""
        return [
            (fieldname, text, terms[text])
            for fieldname, terms in sorted(self._terms.items())
            for text in sorted(terms)
        ]

    def _spill(self) -> None:
        if self._terms:
            self._runs.append(self._write_run(self._sorted()))
        self._terms = {}
        self._size = 0

    def _write_run(self, entries: Iterable[Entry]) -> str:
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="reader-pool-", dir=self._parent)
        fd, path = tempfile.mkstemp(suffix=".run", dir=self._folder)
        with os.fdopen(fd, "wb") as run:
            chunk: list[Entry] = []
            held = 0
            for fieldname, text, postings in entries:
                # A term's long list goes in pieces: a chunk is what a run being merged
                # holds in memory, so it is bounded in postings, never in terms.
                for start in range(0, len(postings), CHUNK):
                    piece = postings[start : start + CHUNK] if len(postings) > CHUNK else postings
                    chunk.append((fieldname, text, piece))
                    held += len(piece)
                    if held >= CHUNK:
                        _write_chunk(run, chunk)
                        chunk = []
                        held = 0
            if chunk:
                _write_chunk(run, chunk)
        return path

    def _read_run(self, path: str) -> Iterator[Entry]:
        try:
            with open(path, "rb") as run:
                while head := run.read(_LENGTH.size):
                    (length,) = _LENGTH.unpack(head)
                    chunk: list[Entry] = marshal.loads(run.read(length))
                    yield from chunk
        finally:
            _remove(path)


def _write_chunk(run: BinaryIO, chunk: list[Entry]) -> None:
    """A chunk as its length and its marshal bytes: read back with one read and
    ``marshal.loads``, where ``marshal.load`` of a file reads object by object (a fifth
    of an import's CPU was spent there)."""
    data = marshal.dumps(chunk)
    run.write(_LENGTH.pack(len(data)))
    run.write(data)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
