"""The one facade the CLI, the TUI, the tests and scripts use.

:class:`Library` keeps the SQLite store (the truth) and the Whoosh index (derived) in
step. Every write goes to the store first; the index then catches up from the store's
change sequence (``seq``), so a crash between the two, or a write by another process,
is repaired by :meth:`Library.sync_index` instead of being lost.

Heavy modules (Whoosh, the importers) load on first use, so listing articles (and the
TUI's first screen) never waits for them.

The first search (or :meth:`Library.sync_index`) of every open library brings the index
up to date, so whatever a killed process committed to the store is searchable again; an
index found damaged while searching is rebuilt and the search asked again. A library
whose files cannot be written opens read-only (see store.py); :func:`recover`
copies what a damaged database still holds into a new one, keeping the old file.

    from reader.library import Library
    with Library.open() as lib:
        print(lib.search("harbour").total)
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, TypeVar

from reader import paths
from reader.errors import (
    DataDirUnavailable,
    DiskFull,
    ImporterCrashed,
    ImportFailure,
    IndexDamaged,
    IndexNeedsRebuild,
    IndexRebuilding,
    IndexUnwritable,
    LibraryReadOnly,
    NothingToRecover,
    ReaderError,
    SearchError,
    StorageError,
)
from reader.library_lock import LibraryLock
from reader.model import Article, ArticleFlag, ArticleRow, ListOrder, SearchHit, SearchResult
from reader.salvage import check as check_database
from reader.salvage import salvage
from reader.store import Store, writable
from reader.text import clean_paragraphs, shown, shown_line
from reader.trash import TrashedArticle, expiry_cutoff, stamp

if TYPE_CHECKING:
    from reader.feeds_store import Feed, FeedCounts, FeedStore
    from reader.highlights import Highlight
    from reader.highlights_store import HighlightStore, SearchState
    from reader.saved_searches import SavedSearches
    from reader.search import SearchIndex
    from reader.tags import TagCount
    from reader.web.feeds import UpdateReport
    from reader.web.subscriptions import Subscriptions

S = TypeVar("S")  # what an importer reads from: bytes, a path, a stream


class Progress(Protocol):
    """``progress(done, total, stage)``: called as long work advances.

    ``stage`` names the part of the work when there are several: an import reads files
    (stage None, the work the caller asked for), then indexes what it stored
    ("Indexing", counting articles), then the index writes its segments ("Writing the
    index", of unknown length: ``total`` 0).
    """

    def __call__(self, done: int, total: int, stage: str | None = None) -> None: ...


INDEXING = "Indexing"
_BATCH = 500  # articles per store transaction during an import
_WAIT_STEP = 0.05  # seconds between a waiting search's looks at what holds the index
_INDEX_SEQ = "index_seq"  # meta key: the store seq the index has caught up with
_SAMPLES_OFFERED = "samples_offered"  # meta key: the bundled samples were imported (or offered) once
_PREFERENCE = "pref."  # meta key prefix of the app's remembered choices (theme, reading width)


@dataclass
class ImportReport:
    """What an import did: counts, one ``(path, reason)`` per file that failed, and one
    ``(path, note)`` for what a file kept differently than it was (``notes``)."""

    added: int = 0
    updated: int = 0
    files: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # ids skipped: the user deleted them

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return f"imported {self.added}, updated {self.updated}, failed {self.failed}"

    def deleted_note(self) -> str:
        """One line on the articles not imported because they were deleted ("" if none)."""
        if not self.deleted:
            return ""
        ids = ", ".join(i[:8] for i in self.deleted[:5]) + (", …" if len(self.deleted) > 5 else "")
        count = len(self.deleted)
        return (
            f"skipped {count} article{'' if count == 1 else 's'} you deleted ({ids}); "
            "`reader restore ID` brings one back"
        )


MISMATCH = "it does not match the library database"  # SyncReport.rebuilt: counts or sequence differ


@dataclass(frozen=True)
class SyncReport:
    """What :meth:`Library.sync_index` did: ``rebuilt`` is why the index was rebuilt
    (the index's own reason, or :data:`MISMATCH`), "" when it only caught up."""

    rebuilt: str = ""


@dataclass
class RecoveryReport:
    """What :func:`recover` did (``reader recover``).

    ``status`` is ``"intact"`` (nothing was wrong, nothing changed), ``"recovered"`` (a new
    database holds what could be read; the damaged one was renamed to ``backup``) or
    ``"unreadable"`` (nothing could be read; the damaged file was left where it is).
    """

    status: str
    database: Path
    backup: Path | None = None
    articles: int = 0
    bookmarks: int = 0
    read_errors: int = 0
    problem: str = ""
    cut: tuple[str, ...] = ()  # ids of recovered articles whose text was partly lost (the end of a body, a field)


class Library:
    """A library of articles in one data directory. Use :meth:`open`; close when done."""

    def __init__(self, root: Path, store: Store) -> None:
        self.data_dir = root
        self.index_dir = paths.index_dir(root)
        self._store = store
        self._index: SearchIndex | None = None
        self._index_lock = threading.RLock()
        self._data_version = store.data_version()
        self._synced = False  # the index was brought up to date with the store once
        self._feeds: Subscriptions | None = None
        self._hold: LibraryLock | None = None  # the shared lock recover checks (see library_lock)
        self._identity = _identity(store.path)
        self._rebuilding: tuple[int, int] | None = None  # (done, total) while a rebuild runs
        self._stopping = threading.Event()  # set by stop_indexing: the library is closing
        self._clean_hits = False
        self._highlight_db: HighlightStore | None = None
        self.clock: Callable[[], datetime] = _utc_now  # the trash's "now" (tests set another)

    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str] | None = None, *, clock: Callable[[], datetime] | None = None
    ) -> Library:
        """Open the library in ``data_dir`` (default: READER_DATA_DIR or the user data dir).

        What has been in the trash too long is emptied now (``clock``: the time it is).
        """
        root = paths.data_dir(data_dir)
        try:
            paths.ensure_private_dir(root)
        except OSError as exc:
            raise DataDirUnavailable(root, exc.strerror or str(exc)) from exc
        database = paths.database_path(root)
        hold = LibraryLock(database, exclusive=False)  # LibraryInUse while a recovery runs
        try:
            library = cls(root, Store.open(database))
        except BaseException:
            hold.release()
            raise
        library._hold = hold
        if clock is not None:
            library.clock = clock
        try:
            library.empty_expired_trash()
        except StorageError:
            pass  # busy or full: emptied on a later open; nothing is lost by waiting
        return library

    def replaced(self) -> bool:
        """Whether the database file was replaced or removed since it was opened (by another
        program: ``reader recover`` refuses while this library is open)."""
        return _identity(self._store.path) != self._identity

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the library; indexing still running in another thread stops first
        (within a second), and what it had not committed is indexed on the next open."""
        self.stop_indexing()
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None
        self._store.close()
        if self._hold is not None:
            self._hold.release()

    def clean_reads(self) -> None:
        """Clean text again as it is read, for a screen (the app calls this; see Store.clean_reads).

        Another program may have written the database or the index; the CLI keeps what was
        stored exactly (its JSON export) and cleans what it prints instead.
        """
        self._store.clean_reads = True
        self._clean_hits = True

    @property
    def disk_full(self) -> bool:
        """True when the library opened read-only because its disk is full (see Store)."""
        return self._store.disk_full

    @property
    def read_only(self) -> bool:
        """True when the library's files cannot be written: reading works, changes fail."""
        return self._store.read_only

    def _check_writable(self) -> None:
        """Fail before the work, not after it: an import into a read-only library."""
        if self.read_only:
            raise (DiskFull if self._store.disk_full else LibraryReadOnly)(self._store.path)

    # -- the index ------------------------------------------------------------------

    def _open_index(self, progress: Progress | None = None, rebuilt: list[str] | None = None) -> SearchIndex:
        """The open index, opened (and rebuilt if it must be) on first use; the reason of
        a rebuild is appended to ``rebuilt``."""
        with self._index_lock:
            if self._index is None:
                from reader.search import SearchIndex

                try:
                    index = SearchIndex.open(self.index_dir)
                except OSError as error:  # e.g. a read-only or full disk while recreating it
                    raise self._index_failure(error) from error
                self._index = index
                if self._stopping.is_set():
                    index.stop_writing()
                if index.needs_rebuild:
                    reason = index.rebuild_reason
                    self._rebuild(index, progress)
                    if rebuilt is not None and self._store.count():  # a new, empty library has nothing to tell
                        rebuilt.append(reason)
            return self._index

    def _index_failure(self, error: OSError) -> SearchError:
        reason = error.strerror or str(error)
        if self.read_only:
            return IndexNeedsRebuild(reason, index_dir=self.index_dir, read_only=True)
        return IndexUnwritable(reason, index_dir=self.index_dir)

    def sync_index(self, progress: Progress | None = None) -> SyncReport:
        """Open the index and bring it up to date with the store.

        The report says whether (and why) the index had to be rebuilt (missing, damaged,
        old schema, not matching the database).
        Cheap when nothing changed; the TUI calls it in a worker at start, and the first
        search of every open library calls it, so that articles a killed import committed
        to the store (but not to the index) become searchable without a `reader reindex`.
        A read-only library searches the index as it is.
        """
        rebuilt: list[str] = []
        index = self._open_index(progress, rebuilt)
        if index.needs_rebuild and not self.read_only:  # found damaged by a search since
            with self._index_lock:
                if index.needs_rebuild:
                    rebuilt.append(index.rebuild_reason or "damaged")
                    self._rebuild(index, progress)
        if not self.read_only:
            rebuilt.append(self._catch_up(index, progress))
            rebuilt.append(self._check_count(index, progress))
        self._synced = True
        return SyncReport(rebuilt=next((reason for reason in rebuilt if reason), ""))

    def _check_count(self, index: SearchIndex, progress: Progress | None) -> str:
        """Rebuild an index that holds a different number of articles than the store.

        Catching up cannot notice an index that is *ahead* of its store (the database was
        restored from a copy, the index was not) or that lost documents. Another process
        importing meanwhile also makes the counts differ for a moment, so the index is
        rebuilt only if they still differ after a catch-up during which nobody wrote.
        """
        with self._index_lock:
            for _ in range(3):
                seq = self._store.meta("seq", "0")
                if self._catch_up(index, progress):
                    return MISMATCH
                try:
                    indexed = index.count()
                except SearchError:
                    indexed = -1  # unreadable: rebuild
                if indexed == self._store.count():
                    return ""
                if self._store.meta("seq", "0") == seq:
                    break
            else:
                return ""  # the library keeps changing under us: the writers keep the index in step
            self._rebuild(index, progress)
            return MISMATCH

    def _ready_index(self) -> SearchIndex:
        """The index for a search: brought up to date first, unless another thread is
        indexing now (the app's start-up catch-up). Then the search waits only while the
        index is being opened: during a catch-up it reads the index as it is, and during
        a rebuild it raises :class:`IndexRebuilding`. It never rebuilds: see :meth:`sync_index`."""
        while not self._index_lock.acquire(timeout=_WAIT_STEP):
            if self._rebuilding is not None:
                raise self._rebuilding_error()
            index = self._index
            if index is not None and not index.needs_rebuild:
                return index  # being caught up: what it holds now (opening it is quick: wait)
        try:
            if not self._synced:
                self.sync_index()
            return self._open_index()
        finally:
            self._index_lock.release()

    def _rebuilding_error(self) -> IndexRebuilding:
        done, total = self._rebuilding or (0, 0)
        return IndexRebuilding(done, total, index_dir=self.index_dir)

    def rebuild_progress(self) -> tuple[int, int] | None:
        """``(done, total)`` articles while a rebuild of the index runs (in any thread of
        this process), else None: for a screen that says how far it is."""
        return self._rebuilding

    def stop_indexing(self) -> None:
        """Stop indexing that runs in another thread now (the app is quitting): it ends
        with :class:`~reader.search.writers.IndexingCancelled` within a second and
        commits nothing; the store keeps everything, and the next open catches up.
        Every later write of the index in this library stops the same way."""
        self._stopping.set()
        index = self._index
        if index is not None:
            index.stop_writing()

    def _catch_up(self, index: SearchIndex, progress: Progress | None = None) -> str:
        """Index what changed in the store since the index last caught up. Returns why the
        index was rebuilt instead ("" when it was not)."""
        with self._index_lock:
            done_seq = int(self._store.meta(_INDEX_SEQ, "0"))
            target = int(self._store.meta("seq", "0"))
            if done_seq > target:  # an index ahead of its store: the database was replaced
                self._rebuild(index, progress)
                return MISMATCH
            if target <= done_seq:
                return ""
            removed = self._store.removed_since(done_seq)
            if removed:
                index.delete(removed)
            total = self._store.changes_after(done_seq)
            if total:
                index.add(self._store.iter_articles(since_seq=done_seq, related=False), total, _staged(progress, INDEXING))
            # Never backwards: another process may have caught up further meanwhile.
            self._store.advance_meta(_INDEX_SEQ, target)
            return ""

    def _index_stored(self, progress: Progress | None = None) -> None:
        """Index what the store holds and the index does not yet (an import's last step)."""
        self._catch_up(self._open_index(progress), progress)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the index from the store; return the number of articles indexed."""
        index = self._open_index()
        with self._index_lock:
            return self._rebuild(index, progress)

    def _rebuild(self, index: SearchIndex, progress: Progress | None) -> int:
        if self.read_only:
            raise IndexNeedsRebuild(index.rebuild_reason or "", index_dir=self.index_dir, read_only=True)
        target = self._store.meta("seq", "0")
        total = self._store.count()
        staged = _staged(progress, INDEXING)
        self._rebuilding = (0, total)

        def tracked(done: int, count: int, stage: str | None = None) -> None:
            if stage is None:
                self._rebuilding = (done, count)
            if staged is not None:
                staged(done, count, stage)

        try:
            index.rebuild(self._store.iter_articles(related=False), total, tracked)
        except OSError as error:
            raise self._index_failure(error) from error
        finally:
            self._rebuilding = None
        self._store.set_meta(_INDEX_SEQ, target)
        return total

    # -- importing ------------------------------------------------------------------

    def import_paths(
        self, sources: Iterable[str | os.PathLike[str]], progress: Progress | None = None, *, follow_links: bool = False
    ) -> ImportReport:
        """Import files and folders (recursively). Bad files are reported, never fatal.

        Files are read and stored first (``progress`` counts files), then everything
        stored is indexed in one batch (stage "Indexing", counting articles): one commit,
        and several processes for a big one, instead of a commit per file. An import
        killed in between loses nothing: the next open indexes what the store holds.
        """
        from reader.importers import iter_files, read_file

        self._check_writable()
        files = list(iter_files((Path(s) for s in sources), follow_links=follow_links))
        report = ImportReport(files=len(files))
        pending: list[Article] = []
        for done, path in enumerate(files, 1):
            pending = self._store_read(read_file, path, str(path), pending, report)
            if progress:
                progress(done, len(files))
        self._commit(pending, report)
        self._index_import(report, progress)
        return report

    def _index_import(self, report: ImportReport, progress: Progress | None = None) -> None:
        """An import's last step; if it fails (a full disk), the error says what was stored."""
        try:
            self._index_stored(progress)
        except ReaderError as exc:
            exc.saved = (
                f"{report.added} new and {report.updated} updated articles were saved in the library "
                f"{self._store.path}, but are not searchable until the index is written (reader reindex)"
            )
            raise

    def _store_read(
        self,
        read: Callable[[S, list[str]], Iterable[Article]],
        source: S,
        name: str,
        pending: list[Article],
        report: ImportReport,
    ) -> list[Article]:
        """Store what ``read(source, skipped)`` gives, _BATCH articles at a time (a file of
        any size streams through); its failure and each record it skipped become one
        ``(name, reason)`` of the report, each note a ``(name, note)``. Returns the
        articles not stored yet."""
        from reader.importers.build import ImportNote

        skipped: list[str] = []
        try:
            for article in read(source, skipped):
                pending.append(article)
                if len(pending) >= _BATCH:
                    self._commit(pending, report)
                    pending = []
        except (ImportFailure, ImporterCrashed) as exc:
            report.failures.append((name, str(exc)))
        report.failures.extend((name, reason) for reason in skipped if not isinstance(reason, ImportNote))
        report.notes.extend((name, str(note)) for note in skipped if isinstance(note, ImportNote))
        return pending

    def import_data(self, data: bytes, name: str) -> ImportReport:
        """Import one file's bytes; ``name`` appears in messages."""
        from reader.importers import parse_bytes

        self._check_writable()
        report = ImportReport(files=1)
        self._commit(self._store_read(lambda data, skipped: parse_bytes(data, name, skipped), data, name, [], report), report)
        self._index_import(report)
        return report

    def import_stream(self, stream: IO[bytes], name: str) -> ImportReport:
        """Import what a stream (standard input) holds: a Reader JSON list or JSON Lines
        of any size streams in; anything else is read up to the import limit."""
        from reader.importers import read_stream

        self._check_writable()
        report = ImportReport(files=1)
        self._commit(self._store_read(lambda stream, skipped: read_stream(stream, name, skipped), stream, name, [], report), report)
        self._index_import(report)
        return report

    def import_samples(self, progress: Progress | None = None) -> ImportReport:
        """Import the bundled sample library (its README is not an article).

        Records that the samples were offered (:meth:`samples_offered`), so the app does
        not bring them back after the user removed everything on purpose.
        """
        self._check_writable()
        self.mark_samples_offered()
        return self.import_paths(_sample_sources(), progress)

    def add_articles(self, articles: Iterable[Article]) -> ImportReport:
        """Store and index articles built in code (benchmarks, scripts)."""
        report = ImportReport()
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= _BATCH:
                self._commit(batch, report)
                batch = []
        self._commit(batch, report)
        self._index_stored()
        return report

    def _commit(self, articles: list[Article], report: ImportReport) -> None:
        """Store, at most _BATCH articles per transaction (one file may hold thousands).

        Indexing is the caller's last step (:meth:`_index_stored`), once for the whole import.
        """
        for start in range(0, len(articles), _BATCH):
            try:
                added, updated = self._store.upsert(articles[start : start + _BATCH], skipped=report.deleted)
            except DiskFull as exc:
                exc.saved = (
                    f"{report.added} new and {report.updated} updated articles of this import were saved "
                    "before the disk filled; the rest were not"
                )
                raise
            report.added += len(added)
            report.updated += len(updated)
        self._restore_highlights(articles)

    # -- reading --------------------------------------------------------------------

    def list_articles(
        self,
        *,
        bookmarked: bool = False,
        unread: bool = False,
        language: str | None = None,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: ListOrder = ListOrder.DATE,
        reverse: bool = False,
        tag: str | None = None,
    ) -> list[ArticleRow]:
        """Articles as light rows, newest first unless ``order`` says otherwise
        (``reverse``: that order backwards); filters combine (``tag``: those showing it)."""
        return self._store.rows(
            bookmarked=bookmarked, unread=unread, language=language, source=source, limit=limit, offset=offset,
            order=order, reverse=reverse, ids=self.tagged_ids(tag) if tag is not None else None,
        )

    def count(self, *, bookmarked: bool = False, unread: bool = False) -> int:
        return self._store.count(bookmarked=bookmarked, unread=unread)

    def get(self, article_id: str) -> Article:
        """The whole article, by id or unambiguous id prefix; raises ArticleNotFound."""
        return self._store.get(self._store.resolve_id(article_id))

    def id_for_url(self, url: str) -> str | None:
        """The article of the library a link points at (by canonical URL), or None."""
        return self._store.id_for_url(url)

    def export(self) -> Iterator[Article]:
        """Every article with its related links and state, for ``reader export``."""
        return self._store.iter_articles()

    def bookmarks(self) -> list[Article]:
        return self._store.bookmarked_articles()

    # -- searching ------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, *, as_you_type: bool = False) -> SearchResult:
        """Search the index (see the README for the query language).

        ``as_you_type``: the query is still being typed, so its last word also matches as
        a prefix (the app's search box). An index found damaged while reading raises
        :class:`IndexDamaged`: the rebuild is a task with progress
        (:meth:`sync_index`, :meth:`reindex`), never part of a search. During a rebuild
        in another thread, :class:`IndexRebuilding` says how far it is.
        """
        index = self._ready_index()
        try:
            return self._shown(index.search(query, limit, state=self._search_state(), as_you_type=as_you_type))
        except SearchError as error:
            if not index.needs_rebuild:
                raise
            if self._rebuilding is not None:
                raise self._rebuilding_error() from None
            raise IndexDamaged(index.rebuild_reason or str(error), index_dir=self.index_dir) from error

    def _shown(self, result: SearchResult) -> SearchResult:
        """Hits cleaned again for a screen (see :meth:`clean_reads`): the index is another file."""
        if not self._clean_hits:
            return result
        hits = tuple(
            dataclasses.replace(hit, title=shown_line(hit.title), snippet=shown(hit.snippet), source=shown_line(hit.source))
            for hit in result.hits
        )
        return dataclasses.replace(result, hits=hits)

    def more_like_this(self, article_id: str, limit: int = 5) -> list[SearchHit]:
        """Articles most similar in content to this one (not itself)."""
        return self._ready_index().more_like_this(article_id, limit, state=self._search_state())

    def highlight_spans(
        self, query: str, text: str, language: str, *, as_you_type: bool = False
    ) -> list[tuple[int, int]]:
        """Spans of ``text`` that match the query's terms, stemmed forms (and, for a query
        typed in the search box, completions of its last word) included."""
        return self._open_index().highlight_spans(query, text, language, as_you_type=as_you_type)

    # -- highlights and notes (reader/highlights.py) -------------------------------------

    @property
    def _highlights(self) -> HighlightStore:
        if self._highlight_db is None:
            from reader.highlights_store import HighlightStore

            self._highlight_db = HighlightStore(self._store)
        return self._highlight_db

    def _search_state(self) -> SearchState:
        """What a search asks about user state: bookmarks, read marks and highlights."""
        from reader.highlights_store import SearchState

        return SearchState(self._store, self._highlights)

    def add_highlight(self, article_id: str, start: int, end: int, note: str = "") -> Highlight:
        """Highlight ``[start, end)`` of the article's text as the reader shows it
        (:func:`reader.highlights.article_text`), with an optional note. ValueError when
        the span holds no text."""
        from reader.highlights import article_text, make_anchor

        self._check_writable()
        article = self.get(article_id)
        text = article_text(article.body, article.summary)
        anchor = make_anchor(text.text, start, end)
        return self._highlights.add(article.id, anchor, _clean_note(note), text.digest)

    def highlights(self, article_id: str | None = None) -> list[Highlight]:
        """The highlights of one article (id or prefix), or of the whole library, each
        found again in its article's current text (moved, or marked orphaned: see
        :func:`reader.highlights.reanchor`); what moved is stored, when the library can
        be written. Highlights of a removed article are kept and listed as they were;
        those of an article in the trash are left out until it is restored."""
        from reader.highlights import article_text, reanchor

        if article_id is not None:
            article_id = self._store.resolve_id(article_id)
            found = self._highlights.for_article(article_id)
        else:
            in_trash = {a.id for a in self._store.trashed()}  # they come back with a restore
            found = [h for h in self._highlights.all() if h.article_id not in in_trash]
        by_article: dict[str, list[Highlight]] = {}
        for highlight in found:
            by_article.setdefault(highlight.article_id, []).append(highlight)
        result: list[Highlight] = []
        moved: list[Highlight] = []
        for owner, group in by_article.items():
            try:
                article = self._store.get(owner)
            except ReaderError:
                result += group  # the article was removed: its highlights are kept as they were
                continue
            text = article_text(article.body, article.summary)
            for highlight in group:
                current = reanchor(highlight, text)
                if current != highlight:
                    moved.append(current)
                result.append(current)
        if moved and not self.read_only:
            try:
                self._highlights.put(moved)
            except StorageError:
                pass  # busy or full: found again next time; what was found is still shown

        result.sort(key=lambda h: (h.article_id, h.orphaned, h.start, h.created_at))
        return result

    def highlight(self, key: str) -> Highlight:
        """One highlight by id or unambiguous id prefix; raises HighlightNotFound."""
        return self._highlights.get(key)

    def set_highlight_note(self, key: str, note: str) -> Highlight:
        """Write (or with ``""`` clear) a highlight's note."""
        self._check_writable()
        highlight = self._highlights.get(key)
        self._highlights.set_note(highlight.id, _clean_note(note))
        return self._highlights.get(highlight.id)

    def remove_highlight(self, key: str) -> Highlight:
        """Delete a highlight; returns it as it was."""
        self._check_writable()
        highlight = self._highlights.get(key)
        self._highlights.remove(highlight.id)
        return highlight

    def _restore_highlights(self, articles: Iterable[Article]) -> None:
        """Store the highlights an import brought with its articles (a Reader JSON export);
        a highlight already here is replaced only by a later version of it."""
        brought = [h for article in articles for h in article.highlights]
        if brought:
            self._highlights.put(brought, newer_only=True)

    # -- tags (reader/tags.py) ------------------------------------------------------------

    def edit_tags(self, article_id: str, add: Iterable[str] = (), remove: Iterable[str] = ()) -> tuple[str, ...]:
        """Add and remove an article's tags (names as typed: :class:`InvalidTag` for one
        that is none); returns the tags it shows now, which ``tag:`` finds at once.

        The index takes the change as it takes an import: the article's ``seq`` moved,
        and the catch-up here rewrites its one document (measured against answering
        ``tag:`` from the store: see the commit that made this). Should that fail (a
        full disk), the store has the tags and the next catch-up indexes them.
        """
        from reader.tags import tag_name

        self._check_writable()
        adding, removing = [tag_name(t) for t in add], [tag_name(t) for t in remove]
        shown = self._store.edit_tags(self._store.resolve_id(article_id), adding, removing)
        if self._index is not None or self.index_dir.exists():
            self._catch_up(self._open_index())
        return shown

    def tag_counts(self) -> list[TagCount]:
        """Every tag an article shows, by name, with its article and unread counts."""
        from reader.tags import counts

        return counts(self._store.tagged())

    def tagged_articles(self) -> list[tuple[str, bool, tuple[str, ...]]]:
        """``(id, read, tags)`` of every article that shows a tag (the app's sources pane)."""
        return list(self._store.tagged())

    def tagged_ids(self, tag: str) -> set[str]:
        """The ids of the articles showing ``tag`` (a name as typed; none for no name)."""
        from reader.errors import InvalidTag
        from reader.tags import tag_name

        try:
            name = tag_name(tag)
        except InvalidTag:
            return set()
        return {article_id for article_id, _, tags in self._store.tagged() if name in tags}

    # -- user state -----------------------------------------------------------------

    def waiting_at_most(self, seconds: float) -> AbstractContextManager[None]:
        """State writes inside this block give up (StorageError, busy) after ``seconds``."""
        return self._store.waiting_at_most(seconds)

    def set_bookmarked(self, article_id: str, value: bool) -> None:
        self._store.set_flag(self._store.resolve_id(article_id), ArticleFlag.BOOKMARKED, value)

    def set_read(self, article_id: str, value: bool) -> None:
        self._store.set_flag(self._store.resolve_id(article_id), ArticleFlag.READ, value)

    def set_read_many(self, article_ids: Iterable[str], value: bool = True) -> int:
        """Mark many articles read (or unread) at once; how many were. One transaction:
        marking a 100,000-article list read is one commit, not 100,000."""
        self._check_writable()
        return self._store.set_flag_many(article_ids, ArticleFlag.READ, value)

    def set_position(self, article_id: str, position: float) -> None:
        self._store.set_position(article_id, position)

    def position(self, article_id: str) -> float:
        return self._store.position(article_id)

    # -- the trash (reader/trash.py) -----------------------------------------------------

    def delete(self, article_ids: Iterable[str]) -> list[str]:
        """Move articles (ids or prefixes) to the trash; returns the ids moved. Every id
        is resolved first: an unknown one raises ArticleNotFound and nothing moves.

        They leave every list, count, search and export at once; :meth:`restore` brings
        each back with its bookmark, read mark, position and highlights, until the trash
        lets go of it (:data:`reader.trash.TRASH_DAYS` after, or :meth:`empty_trash`).
        """
        self._check_writable()
        moved = self._store.trash([self._store.resolve_id(i) for i in article_ids], stamp(self.clock()))
        self._follow_store()
        return moved

    def restore(self, article_ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Bring deleted articles (ids or prefixes) back; returns (restored ids, ids whose
        article was emptied from the trash: only forgotten as deleted, so that importing
        it again brings it back). An id never deleted raises ArticleNotFound first."""
        self._check_writable()
        restored, forgotten = self._store.restore([self._store.resolve_deleted(i) for i in article_ids])
        self._follow_store()
        return restored, forgotten

    def trash(self) -> list[TrashedArticle]:
        """The articles in the trash, the last deleted first."""
        return self._store.trashed()

    def trash_count(self) -> int:
        """How many articles are in the trash (the app's status line says it)."""
        return self._store.trash_count()

    def empty_trash(self) -> int:
        """Delete everything in the trash for good; returns how many articles. Their ids
        stay deleted (an update does not bring them back); their highlights are kept, as
        for every article no longer in the library."""
        self._check_writable()
        return self._store.empty_trash()

    def empty_expired_trash(self) -> int:
        """Delete for good what has been in the trash longer than TRASH_DAYS (by
        :attr:`clock`); every open does it. Returns how many."""
        if self.read_only:
            return 0
        return self._store.empty_trash(deleted_before=expiry_cutoff(self.clock()))

    def sample_ids(self) -> set[str]:
        """The ids of the bundled sample articles that are in the library now.

        Samples carry no mark of their own: they are what reading the bundled
        ``sample_data`` files gives, so they are found by reading those files again."""
        from reader.importers import iter_files, read_file

        ids: set[str] = set()
        for path in iter_files(_sample_sources()):
            try:
                ids.update(article.id for article in read_file(path, []))
            except ReaderError:
                continue  # a bundled file that does not read: it imported nothing either
        return ids & {row.id for row in self._store.rows()}

    def delete_samples(self) -> list[str]:
        """Move every bundled sample article to the trash (``reader delete --samples``)."""
        return self.delete(sorted(self.sample_ids()))

    def _follow_store(self) -> None:
        """Bring an index that exists up to date after a change (a new library without
        an index builds it on its first search)."""
        if self._index is not None or self.index_dir.exists():
            self._catch_up(self._open_index())

    # -- bookkeeping ----------------------------------------------------------------

    def changed_elsewhere(self) -> bool:
        """True once after another process committed to the library (the TUI polls this)."""
        version = self._store.data_version()
        changed, self._data_version = version != self._data_version, version
        return changed

    def samples_offered(self) -> bool:
        """Whether this library ever had the samples, or any article: the app offers them once.

        A library that ever stored an article (its change sequence moved) counts as
        offered too, so libraries made before this flag existed are not refilled either.
        """
        return self._store.meta(_SAMPLES_OFFERED) == "1" or self._store.meta("seq", "0") != "0"

    def mark_samples_offered(self) -> None:
        """Remember that the samples were offered (set by :meth:`import_samples`)."""
        self._store.set_meta(_SAMPLES_OFFERED, "1")

    def preference(self, key: str) -> str | None:
        """A choice made in the app (``"ui.theme"``, ``"ui.reading_width"``), or None.

        Kept in the library database, beside the bookmarks; config.toml, when it sets the
        same thing, wins (the app decides that).
        """
        value = self._store.meta(_PREFERENCE + key, "")
        return value or None

    def set_preference(self, key: str, value: str) -> None:
        """Remember a choice made in the app; raises StorageError when read-only."""
        self._store.set_meta(_PREFERENCE + key, value)

    def warm_search(self) -> None:
        """Fill the search caches and load the query machinery now (in a worker), so that
        the user's first keystroke is not the slow query. Failures are left to that query."""
        try:
            index = self._ready_index()
            index.warm()
            index.search("reader", 1, state=self._search_state())
        except Exception:
            pass

    def info(self) -> dict[str, Any]:
        """Where things are and how many: ``reader info``."""
        stats = self._store.stats()
        index_bytes = sum(f.stat().st_size for f in self.index_dir.glob("**/*") if f.is_file()) if self.index_dir.exists() else 0
        return {
            "data_dir": str(self.data_dir),
            "database": str(self._store.path),
            "index_dir": str(self.index_dir),
            "config_file": str(paths.config_dir() / "config.toml"),
            "cache_dir": str(paths.cache_dir()),
            **stats,
            "tags": len(self.tag_counts()),
            "feeds": len(self.subscribed()),
            "saved_searches": len(self.saved_searches.all()),
            "index_bytes": index_bytes,
        }


    @property
    def saved_searches(self) -> SavedSearches:
        """Queries kept under a name (reader/saved_searches.py), among the preferences."""
        from reader.saved_searches import SavedSearches

        return SavedSearches(self._store)

    # -- feeds as stored: no network, and none of reader/web's imports ----------------

    def subscribed(self) -> list[Feed]:
        """The feeds subscribed to, as stored (``reader info``, the sources pane, ``feed list``).

        Read from reader/feeds_store.py directly: :attr:`feeds` imports the HTTP client
        (httpx and reader/web, about 55 ms with bytecode cached), a cost for every start of
        the app and every ``reader info``, which only want the feeds as stored."""
        return self._feed_store().all()

    def feed_counts(self) -> dict[str, FeedCounts]:
        """Each feed's unread and total articles, by feed id."""
        return self._feed_store().counts()

    def feed_article_ids(self, feed_id: str) -> set[str]:
        """The ids of a feed's articles (the app's sources pane filters the list by these)."""
        return set(self._feed_store().article_ids(feed_id))

    def _feed_store(self) -> FeedStore:
        from reader.feeds_store import FeedStore

        return FeedStore(self._store)

    # -- the network (reader/web): only when asked ----------------------------------------

    @property
    def feeds(self) -> Subscriptions:
        """Subscriptions, OPML and fetching; the methods below store what they fetch and index it."""
        if self._feeds is None:
            from reader.web.subscriptions import Subscriptions

            self._feeds = Subscriptions(self._store)
        return self._feeds

    def update_feeds(self, keys: Iterable[str] = (), progress: Progress | None = None) -> UpdateReport:
        """Update the feeds named (id prefix, URL or title), or every due feed; then index."""
        self._check_writable()
        feeds = self.feeds.due(list(keys))
        report = self.feeds.update(feeds, progress)
        self._index_stored()
        return report

    def save_url(self, url: str) -> tuple[Article, bool]:
        """Fetch a web page and store its article (read-later); returns (article, whether new)."""
        self._check_writable()
        article = self.feeds.fetch_page(url)
        added, _ = self._store.upsert([article])
        self._index_stored()
        return self._store.get(article.id), bool(added)

    def fetch_full_text(self, article_id: str) -> Article:
        """Replace an article's text by its page's main text (summaries and cut entries)."""
        self._check_writable()
        article = self.get(article_id)
        self._store.upsert([self.feeds.full_text(article)])
        self._index_stored()
        return self._store.get(article.id)

    def remove_feed(self, key: str, *, delete_articles: bool = False) -> tuple[str, int, int]:
        """Unsubscribe; returns (feed name, articles deleted, bookmarked articles kept)."""
        self._check_writable()
        feed, doomed, kept = self.feeds.remove(key, delete_articles=delete_articles)
        removed = self.delete(doomed) if doomed else []
        return feed.name, len(removed), kept


def recover(data_dir: str | os.PathLike[str] | None = None, progress: Progress | None = None) -> RecoveryReport:
    """Save what a damaged library database still holds: ``reader recover``.

    Nothing is deleted. An intact database is left alone. Otherwise every readable row is
    copied into a new database (see :func:`reader.salvage.salvage`), the damaged file (with
    its ``-wal``/``-shm`` companions) is renamed ``library.sqlite3.damaged-<time>``, the new
    one takes its place and the search index is rebuilt. When nothing at all can be read,
    the damaged file stays where it is and the report says so.
    """
    root = paths.data_dir(data_dir)
    database = paths.database_path(root)
    if not database.exists():
        raise NothingToRecover(database)
    if not writable(database):
        raise LibraryReadOnly(database)
    # Exclusive: an app still open would keep writing into the file renamed away below.
    hold = LibraryLock(database, exclusive=True)
    try:
        problem = check_database(database)
        if problem is None:
            return RecoveryReport("intact", database)
        temp = database.with_name(database.name + ".recovering")
        for leftover in _with_companions(temp):
            leftover.unlink(missing_ok=True)
        try:
            cut: list[str] = []
            counts = salvage(database, temp, cut)
        except BaseException:
            for leftover in _with_companions(temp):
                leftover.unlink(missing_ok=True)
            raise
        if not counts["articles"] and counts["unreadable"]:
            for leftover in _with_companions(temp):
                leftover.unlink(missing_ok=True)
            return RecoveryReport("unreadable", database, read_errors=counts["unreadable"], problem=problem)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = database.with_name(f"{database.name}.damaged-{stamp}")
        number = 1
        while backup.exists():
            number += 1
            backup = database.with_name(f"{database.name}.damaged-{stamp}-{number}")
        for old, new in zip(_with_companions(database), _with_companions(backup), strict=False):
            if old.exists():
                os.replace(old, new)
        for old, new in zip(_with_companions(temp), _with_companions(database), strict=False):
            if old.exists():
                os.replace(old, new)
    finally:
        hold.release()
    with Library.open(root) as library:
        library.reindex(progress)
        articles, bookmarks = library.count(), library.count(bookmarked=True)
    return RecoveryReport(
        "recovered", database, backup, articles=articles, bookmarks=bookmarks,
        read_errors=counts["unreadable"], problem=problem, cut=tuple(cut),
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _sample_sources() -> list[Path]:
    """The bundled sample files and folders (their README is not an article)."""
    return [p for p in sorted(paths.sample_data_dir().iterdir()) if p.name.lower() != "readme.md"]


def _clean_note(note: str) -> str:
    """A note as typed, made safe to store and show (control characters out, paragraphs kept)."""
    return clean_paragraphs(note)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _with_companions(database: Path) -> list[Path]:
    """The database file and SQLite's files beside it, which belong with it."""
    return [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]


def _staged(progress: Progress | None, stage: str) -> Callable[..., None] | None:
    """``progress`` for one stage of the work, as the index's callback (which names a
    stage of its own only when it writes)."""
    if progress is None:
        return None
    return lambda done, total, own_stage=None: progress(done, total, own_stage or stage)
