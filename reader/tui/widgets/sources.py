"""The sources pane: "All articles" and every feed, with unread counts and last errors;
then the saved searches (reader/tui/saved_searches.py builds that section).

Shown beside the article list once the library has a feed or a saved search (a library
with neither looks as before). Choosing a feed posts :class:`SourcesPane.Chosen`; the
library screen filters its list to that feed's articles. Choosing a saved search posts
:class:`~reader.tui.saved_searches.SavedSearchChosen`: the screen searches for it.
Titles, errors and saved searches' names are untrusted text, so every line is built as
:class:`~textual.content.Content`, never parsed as markup.

The feed work itself (update one, update all, add a page by URL, the background timer)
is here too, as functions of the app, so that the library screen only binds keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.tui import saved_searches
from reader.tui.keymap import binding_source
from reader.tui.messages import OpenArticle, ReloadLibrary

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from reader.model import Article
    from reader.tui.app import ReaderApp
    from reader.web.feeds import UpdateReport

ALL = "all"


@dataclass(frozen=True)
class SourceLine:
    id: str  # ALL or a feed id
    title: str
    unread: int
    error: str = ""


def source_lines(app: ReaderApp) -> list[SourceLine]:
    """What the pane shows, read from the library (in a worker)."""
    library = app.library
    feeds = library.feeds.all()
    if not feeds:
        return []
    counts = library.feeds.counts()
    lines = [SourceLine(ALL, "All articles", library.count(unread=True))]
    for feed in feeds:
        count = counts.get(feed.id)
        error = ("gone: " if feed.gone else "") + feed.last_error
        lines.append(SourceLine(feed.id, feed.name, count.unread if count else 0, error))
    return lines


def _prompt(line: SourceLine) -> Content:
    title = Content(line.title)
    if line.unread:
        title = Content.assemble(title, " ", (str(line.unread), "bold"))
    if line.error:
        title = Content.assemble(title, "\n", ("! " + line.error[:120], "$error"))
    return title


@binding_source("Library")
class SourcesPane(OptionList):
    """Feeds and their unread counts, then the saved searches; Enter (or a click) on a
    feed filters the list, on a saved search runs it; Delete forgets a saved search."""

    DEFAULT_CSS = """
    SourcesPane { width: 30; max-width: 25%; height: 1fr; border-right: vkey $foreground 20%; }
    """
    BINDINGS = [
        Binding("delete", "delete_saved_search", "Delete saved search", id="delete_saved_search"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._saved: list[saved_searches.SavedLine] = []  # the saved searches' section, as shown
        # Counting a saved search is a search: only once the library screen's start-up
        # check has made the index ready (a search before it could rebuild it unseen).
        self.count_searches = False

    class Chosen(Message):
        """A source was chosen: ``article_ids`` None means every article."""

        def __init__(self, feed_id: str | None, article_ids: set[str] | None) -> None:
            super().__init__()
            self.feed_id = feed_id
            self.article_ids = article_ids

    class Loaded(Message):
        def __init__(self, lines: list[SourceLine], saved: list[saved_searches.SavedLine]) -> None:
            super().__init__()
            self.lines = lines
            self.saved = saved

    def on_mount(self) -> None:
        self.display = False
        self.load()

    @work(thread=True, exclusive=True, group="sources", exit_on_error=False)
    def load(self) -> None:
        try:
            lines = source_lines(self.app)  # type: ignore[arg-type]
            saved = saved_searches.saved_lines(self.app)  # type: ignore[arg-type]
        except ReaderError:
            return  # the next reload tries again; the list itself reports storage errors
        self.post_message(self.Loaded(lines, saved))
        if saved and self.count_searches:  # the counts are searches: after the names are on screen
            self.post_message(self.Loaded(lines, saved_searches.counted(self.app, saved)))  # type: ignore[arg-type]

    def on_sources_pane_loaded(self, message: Loaded) -> None:
        message.stop()
        keep = self._highlighted_id()
        self._saved = saved_searches.keep_counts(message.saved, self._saved)
        self.display = bool(message.lines or message.saved)
        self.clear_options()
        self.add_options([Option(_prompt(line), id=line.id) for line in message.lines])
        self.add_options(saved_searches.section_options(self._saved))
        ids = [self.get_option_at_index(index).id for index in range(self.option_count)]
        if ids:
            first = 0 if message.lines else 1  # past the saved searches' title
            self.highlighted = ids.index(keep) if keep in ids else first

    def _highlighted_id(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    @property
    def selected_id(self) -> str | None:
        """The feed id highlighted (None for "All articles" or nothing)."""
        if self.highlighted is None or not self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        if option_id == ALL or saved_searches.search_of(option_id, self._saved) is not None:
            return None
        return option_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        search = saved_searches.search_of(event.option.id, self._saved)
        if search is not None:
            self.post_message(saved_searches.SavedSearchChosen(search))
            return
        self._choose(event.option.id if event.option.id != ALL else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_saved_search":  # shown, and done, only on a saved search
            return saved_searches.search_of(self._highlighted_id(), self._saved) is not None
        return True

    def action_delete_saved_search(self) -> None:
        search = saved_searches.search_of(self._highlighted_id(), self._saved)
        if search is not None:
            saved_searches.delete_search(self.app, search, self.load)  # type: ignore[arg-type]

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh_bindings()  # the footer offers Delete only on a saved search

    @work(thread=True, exclusive=True, group="source-filter", exit_on_error=False)
    def _choose(self, feed_id: str | None) -> None:
        ids = self.app.library.feed_article_ids(feed_id) if feed_id else None  # type: ignore[attr-defined]
        self.post_message(self.Chosen(feed_id, ids))


# -- the feed work of the app ---------------------------------------------------------------


def update_feeds(app: ReaderApp, feed_ids: list[str], *, background: bool = False) -> None:
    """Update the feeds (all due ones when ``feed_ids`` is empty), with the task bar's progress."""
    if background and app.current_task is not None:
        return  # a person's task runs; the next tick updates
    if not background and not feed_ids and not app.library.feeds.all():
        app.say("No feeds yet: subscribe with `reader feed add URL`, or add a page with a.")
        return
    label = "Updating feeds" if not feed_ids else "Updating the feed"
    app.run_task(label, partial(app.library.update_feeds, feed_ids), partial(_updated, app, background))


def _updated(app: ReaderApp, background: bool, report: UpdateReport) -> None:
    failed = report.failed
    if failed or not background:
        lines = [report.summary()] + [f"{r.feed.name}: {r.error}" for r in failed[:5]]
        app.say("\n".join(lines), severity="warning" if failed else "information", timeout=10 if failed else None)
    app.post_message(ReloadLibrary())


def add_url(app: ReaderApp) -> None:
    """Ask for a URL and save its page as an article."""
    def chosen(value: str | None) -> None:
        if value:
            save_url(app, value)

    app.push_screen(_url_prompt(), chosen)


def _url_prompt() -> ModalScreen[str | None]:
    from textual.widgets import Input

    from reader.tui.screens.prompt import PathPrompt

    class UrlPrompt(PathPrompt):
        def on_mount(self) -> None:
            self.query_one(Input).placeholder = "https://…"

    return UrlPrompt("Add a web page", "Its article is saved in the library (read-later).")


def save_url(app: ReaderApp, url: str, *, open_it: bool = False) -> None:
    def saved(result: tuple[Article, bool]) -> None:
        article, new = result
        app.say(f"{'Saved' if new else 'Updated'}: {article.title}")
        app.post_message(ReloadLibrary())
        if open_it:
            app.post_message(OpenArticle(article.id))

    app.run_task("Fetching the page", lambda progress: app.library.save_url(url), saved)


def start_background_updates(app: ReaderApp) -> None:
    """Every ``update_interval`` minutes of config.toml, update the due feeds (off by default)."""
    minutes = app.config.update_interval
    if minutes:
        app.set_interval(minutes * 60, partial(update_feeds, app, [], background=True))


class FeedCommands(Provider):
    """Palette commands: add a web page by URL, update every feed."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        app: ReaderApp = self.app  # type: ignore[assignment]
        return [
            ("Add a web page by URL", "Save a page's article in the library (read-later)", partial(add_url, app)),
            ("Update feeds", "Fetch every due feed now", partial(update_feeds, app, [])),
        ]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def fetch_full_text(app: ReaderApp) -> None:
    """The reader's F key: on an article, fetch its page's full text (a progress note in
    the task bar; a failure says why and leaves the article as it was); on a related
    card that is not in the library, fetch its page, save it and open it."""
    from reader.body import is_web_url
    from reader.tui.screens.article import ArticleScreen

    screen = app.screen
    if not isinstance(screen, ArticleScreen):
        return
    page = screen.page
    if page.article_id is None:
        card = page.card
        if card is not None and is_web_url(card.url):
            save_url(app, card.url, open_it=True)
        else:
            app.say("This card has no web address to fetch.", severity="warning")
        return
    article_id = page.article_id

    def done(article: Article) -> None:
        app.say(f"Full text fetched: {len(article.body.split())} words.")
        if app.screen is screen:
            app.pop_screen()
            app.push_screen(ArticleScreen(article_id))
        app.post_message(ReloadLibrary())

    app.run_task("Fetching the full text", lambda progress: app.library.fetch_full_text(article_id), done)
