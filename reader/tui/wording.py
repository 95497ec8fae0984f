"""What the app says about Reader's errors: the one place the TUI words them.

The core raises typed errors carrying data (:mod:`reader.errors`); this module turns each
into a sentence for a notification or the status line. Sentences start with a capital
and name what the user can do from the app (recovering a damaged library needs the
command line, so the sentence says so). The command line has its own wording
(``reader.cli.error_sentence``).
"""

from __future__ import annotations

from reader import errors


def error_sentence(error: errors.ReaderError) -> str:
    """One sentence about ``error`` for the app's notifications."""
    if isinstance(error, errors.StorageError):
        if isinstance(error, errors.LibraryDamaged):
            return (
                f"The library database {error.path} is damaged ({error.detail}). Quit and run "
                "`reader recover` to copy what can be read into a new database."
            )
        if isinstance(error, errors.LibraryReadOnly):
            return (
                f"The library in {error.path.parent} is read-only: reading and searching work, "
                "but imports, bookmarks and other changes cannot be saved."
            )
        if isinstance(error, errors.LibraryInUse):
            return f"`reader recover` is working on {error.path}; start Reader again when it has finished."
        if isinstance(error, errors.LibraryBusy):
            return f"The library database {error.path} is busy in another process; try again."
        if isinstance(error, errors.DiskFull):
            return f"Cannot write the library database {error.path}: the disk is full."
        if isinstance(error, errors.NewerSchema):
            return f"{error.path} was written by a newer Reader (schema {error.found}); upgrade Reader to open it."
        if isinstance(error, errors.LibraryNeedsUpgrade):
            return (
                f"{error.path} was written by an older Reader and must be upgraded, but it cannot be "
                "written here; open it once where it can be written."
            )
        if isinstance(error, errors.MigrationFailed):
            kept = f" A copy from before the upgrade is kept at {error.backup}." if error.backup else ""
            return f"Could not upgrade {error.path} ({error.detail}); nothing was changed.{kept}"
        if isinstance(error, errors.DataDirUnavailable):
            return f"Cannot create the data directory {error.path}: {error.detail}."
        return f"Library database error ({error.path}): {error.detail}"
    if isinstance(error, errors.SearchError):
        if isinstance(error, errors.IndexBusy):
            return (
                "The search index is busy: another Reader process has been writing to it for over "
                f"{error.seconds:.0f} s. Try again when it has finished."
            )
        if isinstance(error, errors.IndexDamaged):
            return f"The search index is unreadable ({error.detail}); it is rebuilt on the next search."
        if isinstance(error, errors.IndexUnwritable):
            return f"The search index cannot be written ({error.detail})."
        if isinstance(error, errors.IndexNeedsRebuild):
            why = f" ({error.reason})" if error.reason else ""
            if error.read_only:
                return f"The search index needs rebuilding{why}, but the library is read-only."
            return f"The search index needs rebuilding{why}: use Rebuild the search index in the command palette."
        if isinstance(error, errors.IndexRebuilding):
            return (
                f"The search index is being rebuilt ({error.done:,} of {error.total:,} articles); "
                "search again when it has finished."
            )
        if isinstance(error, errors.QueryError):
            return f"Cannot search for that: {error.detail}"
        return f"The search index could not answer: {error.detail}"
    if isinstance(error, errors.FetchError):
        # The web layer's reason is already a phrase about the response ("410 Gone: …").
        return f"{error.url}: {error}" if error.url else str(error)
    if isinstance(error, errors.ImporterCrashed):
        return f"An importer failed unexpectedly ({error}); please report it."
    if isinstance(error, errors.ArticleNotFound):
        return "That article is no longer in the library."
    return str(error)
