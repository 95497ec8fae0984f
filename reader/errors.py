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
