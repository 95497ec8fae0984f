"""Command palette providers (ctrl+p): Reader's commands, articles and bookmarks.

* :class:`ReaderCommands`: import, reindex, export bookmarks, the bookmarks filter,
  help. (Theme is Textual's own "Theme" command, which the palette keeps.)
* :class:`ArticleCommands`: type words, get the best articles from the search index.
* :class:`BookmarkCommands`: every bookmark, fuzzy-matched on its title.

Titles are article data, so hits are built as :class:`~textual.content.Content` (never
parsed as markup), help lines included (see :func:`_with_help`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from reader.errors import ReaderError
from reader.model import Article, SearchHit, date_of
from reader.text import clean_line
from reader.tui.messages import OpenArticle, ReloadLibrary, ToggleBookmarksOnly

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


def _meta(source: str, published: str, language: str) -> str:
    return clean_line(" · ".join(p for p in (source, date_of(published), language.upper()) if p))


def _with_help(prompt: Content | str, help_text: str) -> Content:
    """The prompt with its help line under it, as one Content.

    Not Hit's ``help=``: Textual styles that line with the palette's component styles,
    which raise KeyError once the palette is closing, and on a big library hits still
    arrive then (Escape while gathering crashed the app). Content is never parsed as markup.
    """
    main = prompt if isinstance(prompt, Content) else Content(prompt)
    return Content.assemble(main, "\n", (help_text, "dim"))


def _highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` as Content with the fuzzy-matched letters styled (Matcher.highlight parses markup)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets if score else ():
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


# -- Reader's commands ---------------------------------------------------------------


def import_files(app: ReaderApp) -> None:
    from reader.tui.screens.prompt import PathPrompt

    def chosen(value: str | None) -> None:
        if not value:
            return
        path = Path(value).expanduser()
        app.run_task(f"Importing {path.name}", partial(app.library.import_paths, [path]), partial(_imported, app))

    def check(path: Path) -> str | None:
        return None if path.exists() else f"Nothing to import: {path} does not exist."

    hint = "A file or a folder (imported recursively): HTML, Markdown, text captures, RSS/Atom/JSON feeds, Reader JSON."
    app.push_screen(PathPrompt("Import articles", hint, check=check), chosen)


def _imported(app: ReaderApp, report) -> None:
    lines = [f"Imported {report.added} new, updated {report.updated}, failed {report.failed}."]
    if report.deleted:
        lines.append(f"Skipped {len(report.deleted)} you deleted: “Show trash” brings back those still in the trash.")
    # One line per file, whatever its name holds (a newline, an escape sequence).
    lines += [f"{clean_line(Path(path).name)}: {clean_line(reason)}" for path, reason in report.failures[:5]]
    if report.failed > 5:
        lines.append(f"… and {report.failed - 5} more.")
    app.say("\n".join(lines), severity="warning" if report.failed else "information", timeout=10 if report.failed else None)
    app.post_message(ReloadLibrary())


def reindex(app: ReaderApp) -> None:
    def done(count: int) -> None:
        app.say(f"The search index was rebuilt: {count} articles.")
        app.post_message(ReloadLibrary())

    app.run_task("Rebuilding the search index", app.library.reindex, done)


DEFAULT_EXPORT = "~/reader-bookmarks.md"


def export_bookmarks(app: ReaderApp) -> None:
    from reader.tui.screens.prompt import PathPrompt

    # The home folder, where a person finds it again (the data dir is Reader's, not theirs).
    default = DEFAULT_EXPORT

    def chosen(value: str | None) -> None:
        if value:
            path = Path(value).expanduser()
            app.run_task("Exporting bookmarks", partial(_export, app, path), lambda count: app.say(f"Exported {count} bookmarks to {path}."))

    def check(path: Path) -> str | None:
        return f"{path} is a folder: add a file name." if path.is_dir() else None

    hint = "A Markdown file; an existing one is replaced, in one step, only after a second Enter."
    app.push_screen(PathPrompt("Export bookmarks to Markdown", hint, default, check=check, confirm_replace=True), chosen)


def _export(app: ReaderApp, path: Path, progress: Callable[[int, int], None]) -> int:
    from reader.atomic import write_atomically
    from reader.export import bookmarks_markdown

    articles = app.library.bookmarks()
    try:
        write_atomically(path, bookmarks_markdown(articles))
    except OSError as exc:
        raise ReaderError(f"cannot write {path}: {exc.strerror or exc}") from None
    progress(1, 1)
    return len(articles)


def _commands(app: ReaderApp) -> list[tuple[str, str, Callable[[], object]]]:
    return [
        ("Import files or folders…", "Add articles from files to the library", partial(import_files, app)),
        ("Rebuild the search index", "Rebuild the index from the library (reader reindex)", partial(reindex, app)),
        ("Export bookmarks…", "Write the bookmarks to a Markdown file", partial(export_bookmarks, app)),
        ("Show bookmarks only", "Toggle the bookmarks filter of the list: bookmarks only, or all articles again (B)",
         partial(app.post_message, ToggleBookmarksOnly())),
        ("Highlights and notes", "Every highlight of the library; Enter opens its article there",
         partial(_library_highlights, app)),
        ("Help: keys and search syntax", "The help screen (?)", app.action_help),
        *_trash_commands(app),
    ]


def _trash_commands(app: ReaderApp) -> list[tuple[str, str, Callable[[], object]]]:
    """Delete, undo, the trash and the samples (reader/tui/trashing.py, screens/trash.py)."""
    from reader.tui.screens.trash import empty_trash, show_trash

    return [
        ("Delete article", "Move the article under the cursor, or the one open, to the trash (d)",
         partial(_delete_article, app)),
        ("Undo delete", "Bring the last deleted article back where it was (z)", partial(_on_library, app, "undo_delete")),
        ("Show trash", "The deleted articles, kept 30 days; Enter restores one", partial(show_trash, app)),
        ("Empty trash", "Delete what is in the trash for good (asks first)", partial(empty_trash, app)),
        ("Remove all samples", "Move every bundled sample article to the trash (asks first; z undoes it)",
         partial(_remove_samples, app)),
    ]


def _delete_article(app: ReaderApp) -> None:
    from reader.tui.screens.article import ArticleScreen

    if isinstance(app.screen, ArticleScreen):
        app.screen.action_delete_article()
    else:
        _on_library(app, "delete_article")


def _on_library(app: ReaderApp, action: str) -> None:
    """Run a library screen action there (back from the reader first)."""
    from reader.tui.screens.library import LibraryScreen

    while len(app.screen_stack) > 1 and not isinstance(app.screen, LibraryScreen):
        app.pop_screen()
    if isinstance(app.screen, LibraryScreen):
        getattr(app.screen, f"action_{action}")()


def _remove_samples(app: ReaderApp) -> None:
    from reader.tui.screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            _on_library(app, "delete_samples")

    question = "Remove all the sample articles?"
    detail = "Every article Reader brought with it goes to the trash, with its bookmarks and notes; z undoes it."
    app.push_screen(ConfirmScreen(question, detail, "Remove the samples"), answered)


def _library_highlights(app: ReaderApp) -> None:
    from reader.tui.screens.highlighting import open_library_highlights

    open_library_highlights(app)


class _ReaderProvider(Provider):
    """A command provider of Reader's app: ``self.app`` typed as ReaderApp (for mypy only,
    as in reader/tui/screens/base.py)."""

    if TYPE_CHECKING:
        # Textual types it App[object], and App is invariant: ReaderApp is an App[int].
        @property
        def app(self) -> ReaderApp: ...  # type: ignore[override]


class ReaderCommands(_ReaderProvider):
    """Import, reindex, export bookmarks, the bookmarks filter, help."""

    async def discover(self) -> Hits:
        for name, help_text, callback in _commands(self.app):
            yield DiscoveryHit(_with_help(name, help_text), callback, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in _commands(self.app):
            if (score := matcher.match(name)) > 0:
                yield Hit(score, _with_help(_highlighted(matcher, name), help_text), callback, text=name)


# -- articles and bookmarks ----------------------------------------------------------


def _open(app: ReaderApp, article_id: str) -> None:
    from reader.tui.screens.library import LibraryScreen

    while not isinstance(app.screen, LibraryScreen):
        app.pop_screen()
    app.post_message(OpenArticle(article_id))


class ArticleCommands(_ReaderProvider):
    """Articles from the search index, best first (type at least two letters)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if len(query.strip()) < 2:
            return
        try:
            result = await asyncio.to_thread(app.library.search, query, 8)
        except ReaderError:
            return
        hits: tuple[SearchHit, ...] = result.hits
        for rank, hit in enumerate(hits):
            title = Content.assemble(("Open: ", "dim"), Content(" ".join(hit.title.split())))
            prompt = _with_help(title, _meta(hit.source, hit.published, hit.language))
            yield Hit(0.9 - rank * 0.05, prompt, partial(_open, app, hit.id), text=hit.title)


class BookmarkCommands(_ReaderProvider):
    """Every bookmark, matched on its title.

    The bookmarks are read once a palette, by its first look-up, in a task that no
    look-up's end can cancel (:func:`asyncio.shield`). Not in ``startup``: Textual awaits
    a provider's startup task inside each look-up and cancels a look-up at every key,
    which cancels the awaited startup task with it; a key typed while the bookmarks were
    read left every later look-up of that palette cancelled, so "import files" and Enter
    found nothing and the keys after it went into the palette's box.
    """

    _reading: asyncio.Task[list[Article]] | None = None

    async def _bookmarks(self) -> list[Article]:
        if self._reading is None:
            self._reading = asyncio.ensure_future(self._read())
        return await asyncio.shield(self._reading)

    async def _read(self) -> list[Article]:
        try:
            return await asyncio.to_thread(self.app.library.bookmarks)
        except ReaderError:
            return []

    def _hit_parts(self, article: Article) -> tuple[str, str]:
        return " ".join(article.title.split()), _meta(article.source, article.published, article.language)

    async def discover(self) -> Hits:
        for article in await self._bookmarks():
            title, meta = self._hit_parts(article)
            prompt = _with_help(Content.assemble(("★ ", "bold"), Content(title)), meta)
            yield DiscoveryHit(prompt, partial(_open, self.app, article.id), text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for article in await self._bookmarks():
            title, meta = self._hit_parts(article)
            if (score := matcher.match(title)) > 0:
                prompt = _with_help(Content.assemble(("★ ", "bold"), _highlighted(matcher, title)), meta)
                yield Hit(score, prompt, partial(_open, self.app, article.id), text=title)

