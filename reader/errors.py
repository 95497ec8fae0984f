"""The exceptions Reader raises to its callers.

Backend errors (sqlite3, Whoosh, the XML and JSON parsers, HTTP) are translated into
these, each in one place (:mod:`reader.sqlite_errors` for SQLite, :mod:`reader.search.errors`
for Whoosh), so that the CLI and the TUI can show one clear line and never a traceback.

The exceptions carry data (the path, the schema version found, the HTTP status), not
sentences: what a person reads is worded by the front end that shows it
(``reader.cli.error_sentence``, ``reader.tui.wording.error_sentence``). ``str()`` of an
exception is a short technical summary for logs and tests.

``StorageError`` and ``SearchError`` stay the bases of the library's and the index's
errors, so ``except StorageError`` still catches a damaged, read-only or busy library.
"""

from __future__ import annotations

from pathlib import Path


class ReaderError(Exception):
    """Base class of every error Reader reports to a user."""

    saved: str = ""
    """When the error ended work that had already stored something: what was and was not
    saved ("12 new articles were saved before the disk filled; the rest were not")."""


# -- importing ------------------------------------------------------------------------


class ImportFailure(ReaderError):
    """A file could not be imported: an expected parse or read problem.

    The message is the reason, without the file name (the caller adds it).
    """


class ImporterCrashed(ReaderError):
    """An importer raised an exception nobody expected: a bug, not a bad file.

    Deliberately *not* an :class:`ImportFailure`, so a test that accepts refusals does not
    accept crashes. The original exception is ``error`` (and ``__cause__``); ``summary``
    is its one-line, printable description.
    """

    def __init__(self, error: BaseException, summary: str = "") -> None:
        super().__init__(f"importer crashed ({summary or f'{type(error).__name__}: {error}'})")
        self.error = error


# -- articles -------------------------------------------------------------------------


class ArticleNotFound(ReaderError):
    """No article has the id that was asked for."""

    def __init__(self, article_id: str) -> None:
        super().__init__(f"no article with id {article_id!r}")
        self.article_id = article_id


class HighlightNotFound(ReaderError):
    """No highlight has the id (or unambiguous id prefix) that was asked for."""


class InvalidTag(ReaderError):
    """A tag name that cannot be one (empty, too long, with a comma); the message says which."""


# -- the library database ---------------------------------------------------------------


class StorageError(ReaderError):
    """The library database could not be opened, read or written.

    ``path`` is the database (or data directory); ``detail`` what the backend said.
    """

    def __init__(self, path: Path, detail: str = "") -> None:
        super().__init__(f"{path}: {detail}" if detail else str(path))
        self.path = Path(path)
        self.detail = detail


class LibraryDamaged(StorageError):
    """The database file is corrupt or not a database; ``reader recover`` can salvage it."""


class LibraryReadOnly(StorageError):
    """A change was refused: the library's files cannot be written (reading still works)."""


class LibraryBusy(StorageError):
    """Another process held the database locked for longer than the busy timeout."""


class LibraryInUse(LibraryBusy):
    """``reader recover`` refused: another Reader has the library open (``detail`` is
    "open elsewhere"), or a Reader could not open it because a recovery is running
    ("recovering")."""


class DiskFull(StorageError):
    """The disk holding the library is full."""


class LibraryUnopenable(StorageError):
    """The database file could not be opened at all (missing folder, permissions)."""


class DataDirUnavailable(StorageError):
    """The data directory could not be created; ``detail`` is the OS's reason."""


class NothingToRecover(StorageError):
    """``reader recover`` found no database at ``path``."""


class NewerSchema(StorageError):
    """The database was written by a newer Reader (schema ``found`` > ``supported``)."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(path, f"schema {found}, this Reader supports up to {supported}")
        self.found = found
        self.supported = supported


class LibraryNeedsUpgrade(StorageError):
    """An older Reader's database (schema ``found``) cannot be upgraded: it is read-only here."""

    def __init__(self, path: Path, found: int, current: int) -> None:
        super().__init__(path, f"schema {found} needs upgrading to {current}, but the file is read-only")
        self.found = found
        self.current = current


class MigrationFailed(StorageError):
    """Upgrade step ``version`` (``name``) failed; nothing was changed, ``backup`` is the copy kept."""

    def __init__(self, path: Path, version: int, name: str, cause: str, backup: Path | None) -> None:
        super().__init__(path, f"migration {version} ({name}) failed: {cause}")
        self.version = version
        self.name = name
        self.cause = cause
        self.backup = backup


# -- the search index -------------------------------------------------------------------


class SearchError(ReaderError):
    """The index could not answer or be written. ``detail`` is what the backend said."""

    def __init__(self, detail: str = "", *, index_dir: Path | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.index_dir = index_dir


class IndexBusy(SearchError):
    """Another process has been writing the index for longer than ``seconds``."""

    def __init__(self, seconds: float, *, index_dir: Path | None = None) -> None:
        super().__init__(f"locked for over {seconds:.0f} s", index_dir=index_dir)
        self.seconds = seconds


class IndexDamaged(SearchError):
    """The index could not be read; it is rebuilt from the library (``reader reindex``)."""


class IndexUnwritable(SearchError):
    """The index folder cannot be written (read-only or full disk, permissions)."""


class IndexNeedsRebuild(SearchError):
    """The index must be rebuilt (``reason``): it was found damaged or out of date.

    A search never rebuilds it itself: ``reader reindex`` or the app's start-up catch-up
    does, as a task with progress. ``read_only``: the library cannot be written, so the
    rebuild cannot happen here at all.
    """

    def __init__(self, reason: str, *, index_dir: Path | None = None, read_only: bool = False) -> None:
        super().__init__(reason, index_dir=index_dir)
        self.reason = reason
        self.read_only = read_only


class IndexRebuilding(SearchError):
    """A search asked while the index is being rebuilt (``done`` of ``total`` articles):
    ask again when it has finished."""

    def __init__(self, done: int, total: int, *, index_dir: Path | None = None) -> None:
        super().__init__(f"being rebuilt ({done} of {total} articles)", index_dir=index_dir)
        self.done = done
        self.total = total


class QueryError(SearchError):
    """A query that cannot be run as written (``query`` is what was typed)."""

    def __init__(self, query: str, detail: str = "") -> None:
        super().__init__(detail)
        self.query = query


# -- the network (feeds, save-by-URL) ----------------------------------------------------


class FetchError(ReaderError):
    """A URL could not be fetched; the message is the reason, ``url`` the address asked for."""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class FetchTimeout(FetchError):
    """Connecting, waiting for data, or the whole transfer took longer than its limit."""


class ConnectFailed(FetchError):
    """No connection: the name does not resolve, the host refuses, the network is down."""


class TLSFailure(FetchError):
    """The server's certificate could not be verified (Reader never skips the check)."""


class ResponseTooLarge(FetchError):
    """The response, or what it decompresses to, is over the size limit."""


class RedirectError(FetchError):
    """Too many redirects, a redirect loop, or a redirect to something that is not http(s)."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (``status``)."""

    def __init__(self, message: str, url: str = "", status: int = 0) -> None:
        super().__init__(message, url)
        self.status = status


class Gone(HTTPStatusError):
    """410 Gone: the resource was removed on purpose; a feed that says so is stopped."""


class RateLimited(HTTPStatusError):
    """429 or 503: ``retry_after`` seconds (or None) before the server wants to be asked again."""

    def __init__(self, message: str, url: str = "", status: int = 0, retry_after: float | None = None) -> None:
        super().__init__(message, url, status)
        self.retry_after = retry_after


class FeedNotFound(ReaderError):
    """No feed matches what was asked for, or several do (the message says which)."""


class FeedChoiceNeeded(ReaderError):
    """A page announces several feeds; ``found`` lists them (url, title) for the user to pick."""

    def __init__(self, message: str, found: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.found = found


class SavedSearchError(ReaderError):
    """A saved search is not there, its new name is taken, or a name or query is unusable
    (the message says which)."""
