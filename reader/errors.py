"""The exceptions Reader raises to its callers.

Backend errors (sqlite3, Whoosh, the XML and JSON parsers) are translated into these so
that the CLI and the TUI can show one clear line and never a traceback.
"""


class ReaderError(Exception):
    """Base class of every error Reader reports to a user."""


class ImportFailure(ReaderError):
    """A file could not be imported; the message is the reason, without the file name."""


class ArticleNotFound(ReaderError):
    """No article has the id that was asked for."""

    def __init__(self, article_id: str) -> None:
        super().__init__(f"no article with id {article_id!r}")
        self.article_id = article_id


class StorageError(ReaderError):
    """The database could not be opened or written (corrupt, read-only, locked too long)."""


class SearchError(ReaderError):
    """The index could not answer; the library rebuilds it or says how to."""


class IndexRebuilding(SearchError):
    """A search asked while the index is being rebuilt (a task with its own progress):
    ask again when it has finished. The message says how far it is."""


class IndexNeedsRebuild(SearchError):
    """The index was found damaged while searching; a rebuild (``reader reindex``, or
    the app's start-up catch-up) repairs it. A search never rebuilds it itself."""
