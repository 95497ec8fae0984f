"""The search index: open, write, rebuild, search, more-like-this.

Decisions, and why:

- **SQLite is the source of truth; this index is derived.** :meth:`SearchIndex.open`
  never raises for a missing, old-schema or unreadable index: it recreates an empty
  one and sets ``needs_rebuild`` / ``rebuild_reason``, and the library rebuilds it from
  the store with a progress bar.
- **User state stays out of the index.** Bookmarks and read marks change with every
  keypress; re-indexing a document per toggle would rewrite segments all day. The index
  holds content only; ``is:bookmarked`` / ``is:unread`` become a filter/mask of document
  numbers built from the caller's :class:`StateLookup` at query time, and hits carry the
  flags the lookup reports now.
- **Layout** ``<index_dir>/current/`` holds the Whoosh files and ``reader-index.json``
  (schema version); ``<index_dir>/write.lock`` serialises every writer of every process.
  A rebuild writes ``build-*/`` and swaps it in under that lock, so a crash mid-rebuild
  leaves the old index usable, and a crash between the two renames leaves no
  ``current/``, which the next open reports as missing; the next rebuild removes the
  ``build-*/`` and ``retired-*/`` folders such crashes leave.
- **Concurrency.** Writers wait for ``write.lock`` up to :data:`LOCK_TIMEOUT` seconds
  (then :class:`SearchError`, never a Whoosh ``LockError``). One long-lived searcher is
  refreshed only when the index generation (or, after another process's rebuild, the
  directory itself) changed: a stat and a directory listing per search.
- **Segments are written as separate files** (``compound=False``): Whoosh opens a
  sub-file of a compound segment by copying it into memory, which at 100,000 articles
  meant hundreds of megabytes and 150 ms on the first search of each generation.
- **Segment names do not come from the global ``random``.** Whoosh names a new segment
  with ``random.choice``: a process that seeds ``random`` (Hypothesis does, before every
  example) gets the same name again, and the next commit overwrites a live segment's
  files (an empty ``.trm``: "Unknown file header"). They come from the OS instead
  (:mod:`reader.search.whoosh_private`).
- **Speed** is the business of :mod:`reader.search.searching` and
  :mod:`reader.search.fastscore`; :meth:`SearchIndex.warm` pre-fills their caches.
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
import shutil
import struct
import threading
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.filedb.filetables import FileFormatError
from whoosh.index import FileIndex
from whoosh.searching import Searcher
from whoosh.util.filelock import FileLock, try_for
from whoosh.writing import IndexWriter

from reader.atomic import write_atomically
from reader.errors import IndexBusy, SearchError
from reader.model import Article, SearchHit, SearchResult
from reader.paths import ensure_private_dir
from reader.search import whoosh_private
from reader.search.analysis import language_key
from reader.search.errors import index_error
from reader.search.query import parse
from reader.search.schema import SCHEMA_VERSION, TEXT_FIELD, build_schema, document
from reader.search.searching import Generation, GenerationToken, StateLookup
from reader.search.snippets import Marker
from reader.search.writers import PROCESSES, IndexingCancelled, ParallelWriter

# What reading a damaged or vanished index file raises: I/O errors, truncated or
# garbled data (struct, zlib, pickle), and Whoosh's own format errors. Anything else
# raised while searching is a bug, never a reason to mark the index damaged.
DAMAGE = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, FileFormatError, whoosh_index.IndexError)


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` comes from a damaged index file (see :data:`DAMAGE`).

    Whoosh's W3 codec also reports a garbled posting block as a bare ``Exception("Block
    tag error …")`` (whoosh/codec/whoosh3.py, 2.7.5, pinned): that one message counts too.
    """
    if isinstance(error, DAMAGE):
        return True
    return type(error) is Exception and str(error).startswith("Block tag error")

LOCK_TIMEOUT = 60.0  # seconds a writer waits for another process before giving up
CURRENT = "current"
META = "reader-index.json"
LOCK = "write.lock"

# A batch of at least this many articles is written by several processes (see writers).
MULTIPROCESS_FROM = 5_000
WRITING = "Writing the index"  # the progress stage of a commit, whose length is not known
WRITER_MEMORY_MB = 256  # postings held in memory by a writer, split between its processes

Progress = Callable[..., None]  # progress(done, total) or progress(0, 0, WRITING)
T = TypeVar("T")

whoosh_private.name_segments_from_the_os()


class SearchIndex:
    """A Whoosh index of the library's articles. See the module docstring."""

    def __init__(self, index_dir: Path) -> None:
        self.root = Path(index_dir)
        self.needs_rebuild = False
        self.rebuild_reason = ""
        self._ix: FileIndex | None = None
        self._generation: Generation | None = None
        self._lock = threading.RLock()
        # One reader of the index at a time: see _reading.
        self._read_lock = threading.RLock()
        self._stopping = threading.Event()

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, index_dir: Path) -> SearchIndex:
        """Open the index, creating an empty one (and asking for a rebuild) when needed."""
        self = cls(index_dir)
        ensure_private_dir(self.root)
        ix, reason = self._try_open()
        if ix is None:
            with self._write_lock():
                ix, _ = self._try_open()  # another process may have fixed it meanwhile
                if ix is None:
                    ix = self._build_and_swap(iter(()), 0, None)
                    self.needs_rebuild = True
                    self.rebuild_reason = reason
        self._ix = ix
        return self

    def _try_open(self) -> tuple[FileIndex | None, str]:
        """``(index, "")`` when ``current/`` is complete and of this schema, else ``(None, why)``."""
        current = self.root / CURRENT
        try:
            if not whoosh_index.exists_in(str(current)):
                return None, "index missing"
            meta_path = current / META
            version = json.loads(meta_path.read_text("utf-8")).get("schema_version") if meta_path.exists() else None
            if version != SCHEMA_VERSION:
                return None, f"index schema changed (v{version or 0} -> v{SCHEMA_VERSION})"
            ix = whoosh_index.open_dir(str(current))
            with ix.searcher() as searcher:  # opens every segment's files and reads a little
                for leaf, _ in searcher.reader().leaf_readers():
                    if leaf.doc_count_all():
                        leaf.stored_fields(0)
                        leaf.column_reader("id")[0]
                        for text, _ in itertools.islice(leaf.iter_field(TEXT_FIELD), 1):
                            # Deleted documents are filtered out: a term only they held (a
                            # replaced article's, after a tag edit) has no live posting.
                            postings = leaf.postings(TEXT_FIELD, text)
                            if postings.is_active():
                                postings.id()
            return ix, ""
        except Exception as error:
            return None, f"index unreadable: {error.__class__.__name__}: {error}"

    # ------------------------------------------------------------------ writing

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Every writer of every process takes ``write.lock``; give up after LOCK_TIMEOUT."""
        lock = FileLock(str(self.root / LOCK))
        if not try_for(lock.acquire, LOCK_TIMEOUT, 0.05):
            raise IndexBusy(LOCK_TIMEOUT, index_dir=self.root)
        try:
            yield
        finally:
            lock.release()

    def _writer(self, ix: FileIndex | None = None, *, total: int = 0) -> IndexWriter:
        """A writer for ``total`` documents: several processes for a big batch.

        Memory is bounded by ``limitmb`` (Whoosh spills sorted runs to disk beyond it).
        """
        ix = ix or self._open_ix()
        try:
            if total >= MULTIPROCESS_FROM:
                return ParallelWriter(
                    ix, limitmb=WRITER_MEMORY_MB // PROCESSES,
                    cancelled=self._stopping.is_set, compound=False, timeout=LOCK_TIMEOUT, delay=0.05,
                )
            return ix.writer(limitmb=WRITER_MEMORY_MB, compound=False, timeout=LOCK_TIMEOUT, delay=0.05)
        except Exception as error:  # LockError, or an unreadable table of contents
            raise index_error(error, self.root, writing=True, lock_timeout=LOCK_TIMEOUT) from error

    def stop_writing(self) -> None:
        """Make every write of this index, running or to come, stop soon with
        :class:`IndexingCancelled` and commit nothing (the app is quitting: the store
        keeps everything, and the next start indexes it). Safe from any thread."""
        self._stopping.set()

    def add(self, articles: Iterable[Article], total: int = 0, progress: Progress | None = None) -> int:
        """Add articles, replacing any with the same id, in one commit. Returns the count.

        ``total`` is how many are coming, if known: a big batch (a whole archive
        imported) is written by several processes, and ``progress`` hears of it.
        """
        with self._write_lock():
            writer = self._writer(total=total)
            count = _feed(writer, articles, total, progress, replace=True, stopping=self._stopping)
            if count:
                _commit(writer, progress)
            else:
                writer.cancel()
        return count

    def delete(self, ids: Iterable[str]) -> None:
        """Remove these articles from the index (unknown ids are ignored)."""
        with self._write_lock():
            writer = self._writer()
            for article_id in ids:
                writer.delete_by_term("id", article_id)
            writer.commit()

    def rebuild(
        self,
        articles: Iterable[Article],
        total: int,
        progress: Progress | None = None,
    ) -> None:
        """Index ``articles`` from scratch into a fresh directory, then swap it in.

        ``progress(done, total)`` as articles are handed to the writer, then
        ``progress(0, 0, WRITING)`` while it writes the segments.
        """
        with self._write_lock():
            ix = self._build_and_swap(articles, total, progress)
        with self._lock:
            self._ix = ix
            self._generation = None
            self.needs_rebuild = False
            self.rebuild_reason = ""

    def _build_and_swap(self, articles: Iterable[Article], total: int, progress: Progress | None) -> FileIndex:
        """Build in ``build-*/``, record the schema version, swap with ``current/``.

        Call with the write lock held.
        """
        # Crashed rebuilds of any process: a half-built ``build-*/``, or the ``retired-*/``
        # old index left by a crash between the two renames (nothing reads either: the
        # write lock is held, and a reader only ever opens ``current/``).
        for pattern in ("build-*", "retired-*"):
            for leftover in self.root.glob(pattern):
                shutil.rmtree(leftover, ignore_errors=True)
        build = self.root / f"build-{uuid.uuid4().hex[:12]}"
        build.mkdir()
        try:
            ix = whoosh_index.create_in(str(build), build_schema())
            writer = self._writer(ix, total=total)
            done = _feed(writer, articles, total, progress, replace=False, stopping=self._stopping)
            _commit(writer, progress)
            ix.close()
            built = datetime.now(UTC).isoformat(timespec="seconds")
            _write_json(build / META, {"schema_version": SCHEMA_VERSION, "articles": done, "built": built})
            current = self.root / CURRENT
            retired = self.root / f"retired-{build.name}"
            if current.exists():
                os.rename(current, retired)
            os.rename(build, current)
            shutil.rmtree(retired, ignore_errors=True)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        return whoosh_index.open_dir(str(current))

    # ------------------------------------------------------------------ reading

    def _open_ix(self) -> FileIndex:
        """The open Whoosh index; after :meth:`close`, a SearchError (a search or write
        still running on another thread as the app quits)."""
        ix = self._ix
        if ix is None:
            raise SearchError("the index is closed", index_dir=self.root)
        return ix

    def _current(self) -> Generation:
        """The searcher for the latest committed index, refreshed only when it changed.

        A replaced generation is not closed: another thread may still be reading it, and
        its files close when the last reference goes. A generation opened while another
        process swapped the directory (no token) is replaced by the next search.
        """
        with self._lock:
            ix = self._open_ix()
            token: GenerationToken
            try:
                token = (os.stat(self.root / CURRENT).st_ino, ix.latest_generation())
            except (OSError, ValueError):  # mid-swap by another process: keep what we have
                token = None
            held = self._generation
            if held is not None and (token is None or token == held.token):
                return held
            try:
                # Another process swapped in a rebuilt directory (or we could not tell).
                if held is not None and (held.token is None or token is None or token[0] != held.token[0]):
                    ix = self._ix = whoosh_index.open_dir(str(self.root / CURRENT))
                generation = self._generation = Generation(ix, token)
            except Exception as error:
                self.needs_rebuild = True
                self.rebuild_reason = f"index unreadable: {error.__class__.__name__}: {error}"
                raise index_error(error, self.root) from error
            return generation

    def searcher(self) -> Searcher:
        """The Whoosh searcher of the latest committed index (see :meth:`_current`).

        Shared, not to be closed: for the modules that score on Whoosh's own objects
        (fastscore, bestmatch) and their tests, which check them against Whoosh."""
        return self._current().searcher

    def count(self) -> int:
        """Articles in the index."""
        count: int = self._current().searcher.doc_count()
        return count

    def search(
        self, query: str, limit: int = 20, *, state: StateLookup | None = None, as_you_type: bool = False
    ) -> SearchResult:
        """Run a query of Reader's query language (see :mod:`reader.search.query`).

        ``as_you_type``: the query is being typed, so its last word (when it is a plain
        word and the query does not end in whitespace) also matches as a prefix of the
        library's words: ``harbour coop`` finds "harbour cooperation". Its completions
        are marked in snippets and titles too.
        """
        parsed = parse(query, as_you_type)
        if parsed.is_empty or limit <= 0:
            return SearchResult(query=query, total=0, terms=parsed.terms, notes=parsed.notes)
        return self._reading(lambda generation: generation.search(parsed, limit, state))

    def more_like_this(self, article_id: str, limit: int = 5, *, state: StateLookup | None = None) -> list[SearchHit]:
        """The articles most similar to this one by its key terms, best first, itself excluded."""
        return self._reading(lambda generation: generation.more_like_this(article_id, limit, state))

    def warm(self) -> None:
        """Fill the caches a first search would otherwise fill (field-length norms, date
        order, the id map, the vocabulary "did you mean" walks): about 0.3 s at 100,000
        articles. Call it from a background worker after opening, or not at all."""
        self._reading(Generation.warm)

    def _reading(self, read: Callable[[Generation], T]) -> T:
        """Run ``read`` on the current generation; damage found on the way is a SearchError.

        Only the errors of reading and decoding the index's files (:data:`DAMAGE`) are
        damage; any other exception is a bug, and raises as itself, the index untouched.

        A failure is tried once more on a fresh searcher first: another process may have
        swapped in a rebuilt index between our check and our reading a file of the old one.

        One thread reads at a time. The searcher is shared, and Whoosh's readers share
        their file objects (a seek, then a read): two threads searching at once read each
        other's bytes. Seen with four threads searching one library of 3,000 articles (300
        searches each): 20 results wrong, and "unpack requires a buffer of 4 bytes", which
        marked a sound index damaged. The app searches from several threads at once (the
        search box, the start-up warm-up, the saved searches' counts, the reader's similar
        articles); each search is Python holding the GIL anyway, so little waits longer.
        """
        with self._read_lock:
            try:
                return read(self._current())
            except Exception as error:
                if not is_damage(error):
                    raise
                with self._lock:
                    self._generation = None
            try:
                return read(self._current())
            except Exception as error:  # a damaged segment, discovered while reading it
                if not is_damage(error):
                    raise
                self.needs_rebuild = True
                self.rebuild_reason = f"index unreadable: {error.__class__.__name__}: {error}"
                raise index_error(error, self.root) from error

    def highlight_spans(
        self, query: str, text: str, language: str, *, as_you_type: bool = False
    ) -> list[tuple[int, int]]:
        """Spans of the words of ``text`` matching ``query`` (see :func:`highlight_spans`)."""
        return highlight_spans(query, text, language, as_you_type=as_you_type)

    def close(self) -> None:
        with self._lock:
            if self._generation is not None:
                self._generation.searcher.close()
                self._generation = None
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _feed(
    writer: IndexWriter,
    articles: Iterable[Article],
    total: int,
    progress: Progress | None,
    *,
    replace: bool,
    stopping: threading.Event,
) -> int:
    """Give ``writer`` the articles; with ``replace``, each replaces any indexed document
    of the same id. Cancels the writer on failure, or when ``stopping`` is set
    (:class:`IndexingCancelled`). Returns the count.

    ``progress`` hears about every half percent, and at the end.
    """
    write: Callable[[Article], None]
    if isinstance(writer, ParallelWriter):
        write = partial(writer.add_article, replace=replace)
    else:
        seen: set[str] = set()
        add = writer.update_document if replace else writer.add_document

        def write(article: Article) -> None:
            add(**document(article, seen))

    step = max(100, total // 200)
    done = 0
    try:
        for article in articles:
            if stopping.is_set():
                raise IndexingCancelled("indexing was stopped; it resumes on the next start")
            write(article)
            done += 1
            if progress is not None and done % step == 0:
                progress(done, max(total, done))
    except BaseException:
        writer.cancel()
        raise
    if progress is not None:
        progress(done, max(total, done))
    return done


def _commit(writer: IndexWriter, progress: Progress | None) -> None:
    """Commit, saying so first: writing the segments is about half of the work, and a
    bar left at 100% for a minute looks stuck."""
    if progress is not None:
        progress(0, 0, WRITING)
    writer.commit()


def highlight_spans(query: str, text: str, language: str, *, as_you_type: bool = False) -> list[tuple[int, int]]:
    """``(start, end)`` of every word of ``text`` (in ``language``) a query's words match,
    stemmed and accent-folded forms included; for the reader screen's marks and n/N.
    With ``as_you_type``, words the last word completes to too (as :meth:`SearchIndex.search`)."""
    return Marker.of(parse(query, as_you_type)).spans(text, language_key(language))


def _write_json(path: Path, data: dict[str, object]) -> None:

    """Atomic and durable: a crash leaves the old file or the new one, never half of one."""
    write_atomically(path, json.dumps(data))
