"""The multi-process index writer: several processes, any start method, never short.

Whoosh indexes in pure Python, so a big batch (an import of a whole archive, a rebuild)
is bound by one core. :class:`ParallelWriter` shares the *articles* out to child
processes that each analyse them and write one segment of their own; the parent then
lists those segments in the index's table of contents in one commit (no final merge,
which would be single-process again). Articles, not documents, travel: analysing the
text is most of the work, and its token lists cost more to pass on than the text.

Why not Whoosh's own ``MpWriter``:

- It starts its children with the interpreter's default start method and default-context
  queues. Under ``forkserver`` (Linux's default from Python 3.14) and ``spawn`` (macOS)
  the children's parent is another process, and the old way of noticing a dead parent
  (``os.getppid()`` changing) made them exit at once: an import hung, or committed an
  empty index without a word. Here the start method is explicit (a
  :mod:`multiprocessing` context), and a child learns
  that its parent is gone from a pipe: the parent holds its only write end, so the
  child's read end reaches end-of-file exactly when the parent has died (SIGKILL, the
  out-of-memory killer), under every start method. The child then exits, and the
  ``write.lock`` it may have inherited goes with it.
- It collects its children's results with a one-second timeout and drops the ones that
  come late, and it waits for ever on a full job queue when a child has died. Here a
  child that fails sends its error back, a child that dies is noticed, and a commit whose
  segments hold fewer documents than were given raises :class:`IndexIncomplete`: an
  index that comes back short is an error, never silent.

The Whoosh hooks used (``SegmentWriter(_lk=False)``, ``_finalize_segment``,
``_merge_segments``, ``_commit_toc``, ``_finish``, ``_close_segment``) are the ones
Whoosh's own multi-process writer is built on; they are pinned by the exact Whoosh
version and exercised by tests/search/test_writers.py.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from typing import Any

from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.index import FileIndex
from whoosh.reading import IndexReader
from whoosh.writing import SegmentWriter

from reader.errors import SearchError
from reader.model import Article
from reader.processes import default_start_method
from reader.search.postings_pool import SpillingPool
from reader.search.schema import document

# One per core, from 2 to 4 (measured on 2 cores only); WRITER_MEMORY_MB is split
# between them, so more processes do not mean more memory.
PROCESSES = min(4, max(2, os.cpu_count() or 2))
# Articles per job: large enough that passing them on costs little, small enough that
# the children share the work evenly.
BATCH = 250
# Jobs waiting per child: bounds the parent's memory when it reads faster than they index.
QUEUED_PER_CHILD = 2
# How often a waiting parent looks at its children and at its cancel check (seconds).
POLL_SECONDS = 0.2
# The start method of the children; None chooses per writer (reader.processes).
START_METHOD: str | None = None


class IndexIncomplete(SearchError):
    """A parallel write ended with fewer documents than it was given (or a child failed)."""


class IndexingCancelled(SearchError):
    """A write was stopped on purpose (the app is quitting); nothing of it was committed."""


class _Lengths:
    """A new segment's per-document reader whose field lengths are read once per field.

    Writing the postings asks for the length of the posting's document in its field,
    once per posting; Whoosh reads each from the segment's length column on disk (a seek
    and a read), which was a fifth of the commit. A field that is not scorable has no
    lengths at all, and reading them looked for its length column on disk once per
    document (a failing ``stat``; 2.5% of indexing a cold update's 20,000 entries): its
    length is ``default``, as Whoosh answers for a missing column. Everything else goes
    to ``reader``.
    """

    def __init__(self, reader: IndexReader, schema: Schema) -> None:
        self._reader = reader
        self._schema = schema
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            reader = self._reader
            # A field Whoosh adds of its own (a spelling field) is not in the schema: read it.
            if fieldname not in self._schema or self._schema[fieldname].scorable:
                lengths = [reader.doc_field_length(d, fieldname, default) for d in range(reader.doc_count_all())]
            else:
                lengths = [default] * reader.doc_count_all()
            self._lengths[fieldname] = lengths
        return lengths[docnum]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


# What a child reports: ("done", its segment or None, documents) or ("failed", why, 0).
Result = tuple[str, Any, int]


class _ChildWriter(SegmentWriter):  # type: ignore[misc]  # Whoosh has no type stubs: Any
    """A child's segment writer (the parent holds the lock), with lengths read once and
    postings sorted by :class:`~reader.search.postings_pool.SpillingPool`."""

    def __init__(self, ix: FileIndex, *, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = SpillingPool(getattr(ix.storage, "folder", None), limitmb * 1024 * 1024)

    def per_document_reader(self) -> _Lengths:
        return _Lengths(super().per_document_reader(), self.schema)


def _child(
    storage: Storage,
    indexname: str,
    jobs: Queue[list[Article] | None],
    results: Queue[Result],
    alive: Connection,
    parent_end: Connection | None,
    kwargs: dict[str, Any],
) -> None:
    """A child's life: index the jobs of articles it takes, then report its segment.

    ``alive`` is the read end of the parent's pipe (see the module docstring); under
    ``fork`` the child also inherited ``parent_end``, the write end, which it closes
    so that only the parent holds it.
    """
    # Ctrl+C reaches the whole process group: the parent handles it (and cancels,
    # terminating us); here it would only print a traceback per child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_end is not None:
        parent_end.close()

    def watch() -> None:
        wait_for([alive])  # returns at end-of-file: the parent is gone (it never writes)
        os._exit(1)  # nothing of ours to save: the parent's commit never happens

    threading.Thread(target=watch, daemon=True, name="reader-parent-watch").start()
    try:
        writer = _ChildWriter(storage.open_index(indexname), _lk=False, **kwargs)
        seen: set[str] = set()  # the vocabulary given so far, see schema.document
        count = 0
        while (job := jobs.get()) is not None:
            for article in job:
                writer.add_document(**document(article, seen))
            count += len(job)
        if count:
            segment = writer._finalize_segment()
        else:  # the others took every job: no segment (and the shared temp folder stays)
            segment = None
            writer._close_segment()
        results.put(("done", segment, count))
    except BaseException as error:
        traceback.print_exc(limit=8)  # for whoever reads stderr; the parent's error is one line
        results.put(("failed", f"{error.__class__.__name__}: {error}", 0))
        raise SystemExit(1) from None  # a non-zero exit code, which a waiting parent notices


class ParallelWriter(SegmentWriter):  # type: ignore[misc]  # Whoosh has no type stubs: Any
    """A Whoosh writer (holding the index lock) whose added articles are indexed by
    ``processes`` children: :meth:`add_article`, then :meth:`commit` or :meth:`cancel`.

    ``context`` is the :mod:`multiprocessing` context (or start method name) the children
    are started with; ``cancelled``, when given, is asked while the parent waits, and a
    true answer stops everything with :class:`IndexingCancelled`.
    """

    def __init__(
        self,
        ix: FileIndex,
        *,
        limitmb: int,
        processes: int = PROCESSES,
        context: BaseContext | str | None = None,
        cancelled: Callable[[], bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        if context is None or isinstance(context, str):
            context = multiprocessing.get_context(context or START_METHOD or default_start_method())
        self.context = context
        self.processes = processes
        self._cancelled = cancelled or (lambda: False)
        self._subargs = {"limitmb": limitmb, **{k: v for k, v in kwargs.items() if k == "compound"}}
        self._jobs: Queue[list[Article] | None] = context.Queue(processes * QUEUED_PER_CHILD)
        self._results: Queue[Result] = context.Queue()
        self._alive, self._parent_end = context.Pipe(duplex=False)
        self.tasks: list[BaseProcess] = []
        self._batch: list[Article] = []
        self.given = 0  # articles handed to the children

    # -- adding -----------------------------------------------------------------------

    def add_article(self, article: Article, *, replace: bool) -> None:
        """Queue ``article`` for a child; with ``replace``, first delete any indexed
        document of the same id (the parent holds the existing segments)."""
        if replace:
            self.delete_by_term("id", article.id)
        self._batch.append(article)
        self.given += 1
        if len(self._batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        """Hand the batch to a child, starting one while there are fewer than ``processes``."""
        if len(self.tasks) < self.processes:
            self._start_child()
        job, self._batch = self._batch, []
        while True:
            try:
                with _sigint_deferred():
                    self._jobs.put(job, timeout=POLL_SECONDS)
                return
            except queue.Full:
                self._check_children()

    def _start_child(self) -> None:
        fork = self.context.get_start_method() == "fork"
        # Every concrete context has Process; typeshed's BaseContext does not declare it.
        process: type[BaseProcess] = self.context.Process  # type: ignore[attr-defined]
        task = process(
            target=_child,
            args=(self.storage, self.indexname, self._jobs, self._results, self._alive,
                  self._parent_end if fork else None, self._subargs),
            name=f"reader-index-writer-{len(self.tasks) + 1}",
            daemon=True,  # a parent that exits without committing takes them along
        )
        with _sigint_deferred():
            task.start()
        self.tasks.append(task)

    def _check_children(self) -> None:
        """Raise if the app is quitting, or a child has died or failed (its error named)."""
        if self._cancelled():
            raise IndexingCancelled("indexing was stopped; it resumes on the next start")
        for task in self.tasks:
            if task.exitcode not in (None, 0):
                try:  # a child that failed said why before it exited
                    kind, detail, _ = self._results.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    kind, detail = "died", f"exit code {task.exitcode}"
                raise IndexIncomplete(f"a process writing the search index {'failed' if kind == 'failed' else 'died'}: {detail}")

    # -- finishing --------------------------------------------------------------------

    def commit(self, mergetype: Any = None, optimize: Any = None, merge: Any = None) -> None:
        """Wait for every child's segment, check that together they hold every article
        given, and commit them (with the parent's deletions) in one table of contents."""
        try:
            if self._batch:
                self._send()
            for _ in self.tasks:
                self._put_end()
            finalsegments = self._merge_segments(mergetype, optimize, merge)
            segments, written = self._collect()
            if written != self.given:
                raise IndexIncomplete(
                    f"the search index was given {self.given} articles but its writers wrote {written}"
                )
            finalsegments += segments
            if self._added:  # documents merged from small old segments by the merge policy
                finalsegments.append(self._finalize_segment())
            else:
                self._close_segment()
            self._commit_toc(finalsegments)
            self._finish()
        except BaseException:
            self.cancel()
            raise
        finally:
            self._stop_children()

    def _put_end(self) -> None:
        while True:
            try:
                with _sigint_deferred():
                    self._jobs.put(None, timeout=POLL_SECONDS)
                return
            except queue.Full:
                self._check_children()

    def _collect(self) -> tuple[list[Segment], int]:
        """Every child's ``(segment, documents)``; a failed or vanished child raises."""
        segments: list[Segment] = []

        written = 0
        pending = len(self.tasks)
        while pending:
            if self._cancelled():
                raise IndexingCancelled("indexing was stopped; it resumes on the next start")
            try:
                with _sigint_deferred():
                    kind, detail, count = self._results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                # Results are sent before a child exits: read any in flight first.
                if all(task.exitcode is not None for task in self.tasks) and self._results.empty():
                    dead = [task.exitcode for task in self.tasks if task.exitcode != 0]
                    raise IndexIncomplete(
                        f"{pending} of the processes writing the search index ended without a result "
                        f"(exit codes {dead or 'all 0'})"
                    ) from None
                continue
            if kind != "done":
                raise IndexIncomplete(f"a process writing the search index failed: {detail}")
            pending -= 1
            written += count
            if detail is not None:
                if detail.doc_count_all() != count:
                    raise IndexIncomplete(
                        f"a segment of the search index holds {detail.doc_count_all()} documents, not {count}"
                    )
                segments.append(detail)
        return segments, written

    def cancel(self) -> None:
        """Stop the children now and leave the index as it was."""
        self._stop_children()
        if not self.is_closed:
            super().cancel()

    def _stop_children(self) -> None:
        for task in self.tasks:
            if task.exitcode is None:
                task.terminate()
        for task in self.tasks:
            task.join()
        self._parent_end.close()
        self._alive.close()
        for channel in (self._jobs, self._results):
            channel.close()
            channel.cancel_join_thread()  # nobody is left to read what a killed child did not


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold a Ctrl+C back while a child process is started or a queue is used, then
    deliver it (a queue's put or get waits POLL_SECONDS at most).

    A KeyboardInterrupt raised inside ``Process.start()`` (in the at-fork hooks, which
    take logging's and other locks) left the parent hung for good: a Ctrl+C at the wrong
    moment of a big import froze it. Inside a queue's ``put`` it can leave the queue's
    own lock taken, and closing the queue in :meth:`ParallelWriter.cancel` then waits for
    it forever: seen in two CI runs side by side (the parent on a futex, its writers still
    indexing 15 minutes after the Ctrl+C). Only the main thread can change signal handlers, and
    only it receives them, so elsewhere nothing is changed; nor where SIGINT has no Python
    handler (ignored, as in a shell's background job, or the system default).
    """
    if threading.current_thread() is not threading.main_thread() or not callable(signal.getsignal(signal.SIGINT)):
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        # Delivered even when the block raised: a Ctrl+C during a put that then timed out
        # (queue.Full, the usual end of a wait on busy children) was dropped with the
        # Full, and the import went on for good (1 run in 7 on a loaded machine).
        if caught and callable(previous):  # it was, at the start (for the type checker)
            previous(signal.SIGINT, None)  # the default handler raises KeyboardInterrupt here
