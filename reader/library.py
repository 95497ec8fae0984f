"""The one facade the CLI, the TUI, the tests and scripts use.

:class:`Library` keeps the SQLite store (the truth) and the Whoosh index (derived) in
step. Every write goes to the store first; the index then catches up from the store's
change sequence (``seq``), so a crash between the two, or a write by another process,
is repaired by :meth:`Library.sync_index` instead of being lost.

Heavy modules (Whoosh, the importers) load on first use, so listing articles (and the
TUI's first screen) never waits for them.

    from reader.library import Library
    with Library.open() as lib:
        print(lib.search("harbour").total)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader import paths
from reader.errors import ImportFailure, ReaderError
from reader.model import Article, ArticleRow, SearchHit, SearchResult
from reader.store import Store

if TYPE_CHECKING:
    from reader.search import SearchIndex

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called as long work advances."""

_BATCH = 500  # articles per store transaction and index commit during an import
_INDEX_SEQ = "index_seq"  # meta key: the store seq the index has caught up with


@dataclass
class ImportReport:
    """What an import did: counts, and one ``(path, reason)`` per file that failed."""

    added: int = 0
    updated: int = 0
    files: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return f"imported {self.added}, updated {self.updated}, failed {self.failed}"


class Library:
    """A library of articles in one data directory. Use :meth:`open`; close when done."""

    def __init__(self, root: Path, store: Store) -> None:
        self.data_dir = root
        self.index_dir = paths.index_dir(root)
        self._store = store
        self._index: SearchIndex | None = None
        self._index_lock = threading.RLock()
        self._data_version = store.data_version()
        self.index_message: str | None = None  # why the index was last rebuilt, for the UI

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None) -> "Library":
        """Open the library in ``data_dir`` (default: READER_DATA_DIR or the user data dir)."""
        root = paths.data_dir(data_dir)
        try:
            paths.ensure_private_dir(root)
        except OSError as exc:
            raise ReaderError(f"cannot create the data directory {root}: {exc.strerror or exc}") from None
        return cls(root, Store.open(paths.database_path(root)))

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None
        self._store.close()

    # -- the index ------------------------------------------------------------------

    def _open_index(self, progress: Progress | None = None) -> "SearchIndex":
        with self._index_lock:
            if self._index is None:
                from reader.search import SearchIndex

                self._index = SearchIndex.open(self.index_dir)
                if self._index.needs_rebuild:
                    self.index_message = f"Rebuilding the search index: {self._index.rebuild_reason}"
                    self._rebuild(self._index, progress)
            return self._index

    def sync_index(self, progress: Progress | None = None) -> str | None:
        """Open the index and bring it up to date with the store.

        Returns a message when the index had to be rebuilt (missing, damaged, old schema).
        Cheap when nothing changed; the TUI calls it in a worker at start.
        """
        self.index_message = None
        index = self._open_index(progress)
        self._catch_up(index, progress)
        return self.index_message

    def _catch_up(self, index: "SearchIndex", progress: Progress | None = None) -> None:
        with self._index_lock:
            done_seq = int(self._store.meta(_INDEX_SEQ, "0"))
            target = int(self._store.meta("seq", "0"))
            if target <= done_seq:
                return
            removed = self._store.removed_since(done_seq)
            if removed:
                index.delete(removed)
            total = self._store.changes_after(done_seq)
            if total:
                index.add(_counted(self._store.iter_articles(since_seq=done_seq), total, progress))
            self._store.set_meta(_INDEX_SEQ, str(target))

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the index from the store; return the number of articles indexed."""
        index = self._open_index()
        with self._index_lock:
            return self._rebuild(index, progress)

    def _rebuild(self, index: "SearchIndex", progress: Progress | None) -> int:
        target = self._store.meta("seq", "0")
        total = self._store.count()
        index.rebuild(self._store.iter_articles(), total, progress)
        self._store.set_meta(_INDEX_SEQ, target)
        return total

    # -- importing ------------------------------------------------------------------

    def import_paths(self, sources: Iterable[str | os.PathLike[str]], progress: Progress | None = None) -> ImportReport:
        """Import files and folders (recursively). Bad files are reported, never fatal."""
        from reader.importers import iter_files, parse_file

        files = list(iter_files(Path(s) for s in sources))
        report = ImportReport(files=len(files))
        pending: list[Article] = []
        for done, path in enumerate(files, 1):
            try:
                pending.extend(parse_file(path))
            except ImportFailure as exc:
                report.failures.append((str(path), str(exc)))
            if len(pending) >= _BATCH:
                self._commit(pending, report)
                pending = []
            if progress:
                progress(done, len(files))
        self._commit(pending, report)
        return report

    def import_data(self, data: bytes, name: str) -> ImportReport:
        """Import one file's bytes (standard input); ``name`` appears in messages."""
        from reader.importers import parse_bytes

        report = ImportReport(files=1)
        try:
            self._commit(parse_bytes(data, name), report)
        except ImportFailure as exc:
            report.failures.append((name, str(exc)))
        return report

    def import_samples(self, progress: Progress | None = None) -> ImportReport:
        """Import the bundled sample library (its README is not an article)."""
        root = paths.sample_data_dir()
        sources = [p for p in sorted(root.iterdir()) if p.name.lower() != "readme.md"]
        return self.import_paths(sources, progress)

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
        return report

    def _commit(self, articles: list[Article], report: ImportReport) -> None:
        if not articles:
            return
        added, updated = self._store.upsert(articles)
        report.added += len(added)
        report.updated += len(updated)
        self._catch_up(self._open_index())

    # -- reading --------------------------------------------------------------------

    def list(
        self,
        *,
        bookmarked: bool = False,
        unread: bool = False,
        language: str | None = None,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ArticleRow]:
        """Articles newest first, as light rows; filters combine."""
        return self._store.rows(
            bookmarked=bookmarked, unread=unread, language=language, source=source, limit=limit, offset=offset
        )

    def count(self, *, bookmarked: bool = False, unread: bool = False) -> int:
        return self._store.count(bookmarked=bookmarked, unread=unread)

    def get(self, article_id: str) -> Article:
        """The whole article, by id or unambiguous id prefix; raises ArticleNotFound."""
        return self._store.get(self._store.resolve_id(article_id))

    def export(self) -> Iterator[Article]:
        """Every article with its related links and state, for ``reader export``."""
        return self._store.iter_articles()

    def bookmarks(self) -> list[Article]:
        return self._store.bookmarked_articles()

    # -- searching ------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> SearchResult:
        """Search the index (see the README for the query language)."""
        return self._open_index().search(query, limit, state=self._store)

    def more_like_this(self, article_id: str, limit: int = 5) -> list[SearchHit]:
        """Articles most similar in content to this one (not itself)."""
        return self._open_index().more_like_this(article_id, limit, state=self._store)

    def highlight_spans(self, query: str, text: str, language: str) -> list[tuple[int, int]]:
        """Spans of ``text`` that match the query's terms, stemmed forms included."""
        return self._open_index().highlight_spans(query, text, language)

    # -- user state -----------------------------------------------------------------

    def set_bookmarked(self, article_id: str, value: bool) -> None:
        self._store.set_flag(self._store.resolve_id(article_id), "bookmarked", value)

    def toggle_bookmark(self, article_id: str) -> bool:
        """Flip the bookmark; return the new state."""
        value = not self.get(article_id).bookmarked
        self.set_bookmarked(article_id, value)
        return value

    def set_read(self, article_id: str, value: bool) -> None:
        self._store.set_flag(self._store.resolve_id(article_id), "read", value)

    def set_position(self, article_id: str, position: float) -> None:
        self._store.set_position(article_id, position)

    def position(self, article_id: str) -> float:
        return self._store.position(article_id)

    def remove(self, article_ids: Iterable[str]) -> list[str]:
        """Remove articles by id or prefix; raises ArticleNotFound for an unknown one."""
        removed = self._store.remove([self._store.resolve_id(i) for i in article_ids])
        if self._index is not None or self.index_dir.exists():
            self._catch_up(self._open_index())
        return removed

    # -- bookkeeping ----------------------------------------------------------------

    def changed_elsewhere(self) -> bool:
        """True once after another process committed to the library (the TUI polls this)."""
        version = self._store.data_version()
        changed, self._data_version = version != self._data_version, version
        return changed

    def is_empty(self) -> bool:
        return self._store.count() == 0

    def info(self) -> dict:
        """Where things are and how many: ``reader info``."""
        stats = self._store.stats()
        index_bytes = sum(f.stat().st_size for f in self.index_dir.glob("**/*") if f.is_file()) if self.index_dir.exists() else 0
        return {
            "data_dir": str(self.data_dir),
            "database": str(self._store.path),
            "index_dir": str(self.index_dir),
            "config_file": str(paths.config_dir() / "config.toml"),
            **stats,
            "index_bytes": index_bytes,
        }


def _counted(articles: Iterable[Article], total: int, progress: Progress | None) -> Iterator[Article]:
    """Pass articles through, reporting progress every 100."""
    done = 0
    for done, article in enumerate(articles, 1):
        if progress and done % 100 == 0:
            progress(done, total)
        yield article
    if progress:
        progress(done, total)
