"""The sources pane: "All articles" and every feed, with unread counts and last errors;
then the saved searches (reader/tui/saved_searches.py builds that section), then "Tags".

Shown beside the article list once the library has a feed, a tag or a saved search (a
library with none looks as before). Choosing a feed or a tag posts
:class:`SourcesPane.Chosen`; the library screen filters its list to its articles. Choosing
a saved search posts :class:`~reader.tui.saved_searches.SavedSearchChosen`: the screen
searches for it. Titles, errors, tag names and saved searches' names are untrusted text, so
every line is built as :class:`~textual.content.Content`, never parsed as markup. The tags
section is self-contained (:class:`TagSection` and the functions beside it): it keeps every
tagged article's tags and read state, so that a read mark changes its counts at once,
without reading the library again.

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
from reader.tags import TagCount, counts
from reader.tui import saved_searches
from reader.tui.keymap import binding_source
from reader.tui.messages import OpenArticle, ReloadLibrary
from reader.tui.widgets.pane_line import PaneLine

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
    feeds = library.subscribed()
    if not feeds:
        return []
    counts = library.feed_counts()
    lines = [SourceLine(ALL, "All articles", library.count(unread=True))]
    for feed in feeds:
        count = counts.get(feed.id)
        error = ("gone: " if feed.gone else "") + feed.last_error
        lines.append(SourceLine(feed.id, feed.name, count.unread if count else 0, error))
    return lines


# -- the tags section -------------------------------------------------------------------

TAG_OPTION = "tag:"  # option ids of the tags section: TAG_OPTION + name (feed ids are hex)
TAGS_HEADING = "tags-heading"


class TagSection:
    """Every tagged article's (read, tags), as the store gave them (Library.tagged_articles),
    and each tag's counts, kept up to date by :meth:`read_changed` (no pass over them all:
    a read mark comes with every article opened)."""

    def __init__(self, tagged: dict[str, tuple[bool, tuple[str, ...]]]) -> None:
        self.tagged = tagged
        self._counts = {c.name: c for c in counts((i, read, tags) for i, (read, tags) in tagged.items())}

    def counts(self) -> list[TagCount]:
        return list(self._counts.values())  # by name, as counts() made them

    def ids(self, tag: str) -> set[str]:
        return {article_id for article_id, (_, tags) in self.tagged.items() if tag in tags}

    def read_changed(self, article_id: str, read: bool) -> list[TagCount]:
        """Note a read mark; the counts it changed."""
        found = self.tagged.get(article_id)
        if found is None or found[0] == read:
            return []
        self.tagged[article_id] = (read, found[1])
        changed = []
        for tag in found[1]:
            old = self._counts[tag]
            changed.append(TagCount(tag, old.articles, old.unread + (-1 if read else 1)))
            self._counts[tag] = changed[-1]
        return changed


def tag_section(app: ReaderApp) -> TagSection:
    """The section's data, read from the library (in a worker)."""
    return TagSection({article_id: (read, tags) for article_id, read, tags in app.library.tagged_articles()})


def tag_options(section: TagSection) -> list[Option]:
    """A heading (not selectable), then a line per tag; none without tags."""
    found = section.counts()
    if not found:
        return []
    heading = Option(Content("Tags").stylize("bold dim"), id=TAGS_HEADING, disabled=True)
    return [heading, *(Option(_tag_prompt(count), id=TAG_OPTION + count.name) for count in found)]  # safe: PaneLine of Content


def _tag_prompt(count: TagCount) -> PaneLine:
    return _prompt(SourceLine(TAG_OPTION + count.name, "# " + count.name, count.unread))


def tag_of(option_id: str | None) -> str | None:
    """The tag an option of the pane stands for, or None (a feed, All articles)."""
    return option_id[len(TAG_OPTION) :] if option_id and option_id.startswith(TAG_OPTION) else None


# -- the pane -------------------------------------------------------------------------------


def _prompt(line: SourceLine) -> PaneLine:
    count = Content.styled(f"{line.unread:,}", "bold") if line.unread else None
    error = Content.styled("! " + line.error[:120], "$error") if line.error else None
    return PaneLine(Content(line.title), count, error)


@binding_source("Library")
class SourcesPane(OptionList):
    """Feeds and their unread counts, then the saved searches, then the tags; Enter (or a
    click) on a feed or a tag filters the list, on a saved search runs it; Delete forgets
    a saved search."""

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
        self.tags = TagSection({})
        self.chosen_tag: str | None = None  # the tag whose articles the list shows

    class Chosen(Message):
        """A source was chosen: ``article_ids`` None means every article."""

        def __init__(self, feed_id: str | None, article_ids: set[str] | None) -> None:
            super().__init__()
            self.feed_id = feed_id
            self.article_ids = article_ids

    class Loaded(Message):
        def __init__(self, lines: list[SourceLine], tags: TagSection, saved: list[saved_searches.SavedLine]) -> None:
            super().__init__()
            self.lines = lines
            self.tags = tags
            self.saved = saved

    def on_mount(self) -> None:
        self.display = False
        # After the first frame: the tags section reads every tagged article (143 ms of
        # Python at 100,000 articles), which in a thread still holds the GIL the first
        # titles wait for.
        self.call_after_refresh(self.load)

    @work(thread=True, exclusive=True, group="sources", exit_on_error=False)
    def load(self) -> None:
        try:
            lines = source_lines(self.app)  # type: ignore[arg-type]
            tags = tag_section(self.app)  # type: ignore[arg-type]
            saved = saved_searches.saved_lines(self.app)  # type: ignore[arg-type]
        except ReaderError:
            return  # the next reload tries again; the list itself reports storage errors
        if tags.tagged and not lines:
            lines = [SourceLine(ALL, "All articles", self.app.library.count(unread=True))]  # type: ignore[attr-defined]
        self.post_message(self.Loaded(lines, tags, saved))
        if saved and self.count_searches:  # the counts are searches: after the names are on screen
            self.post_message(self.Loaded(lines, tags, saved_searches.counted(self.app, saved)))  # type: ignore[arg-type]

    def on_sources_pane_loaded(self, message: Loaded) -> None:
        message.stop()
        keep = self._highlighted_id()
        self.tags = message.tags
        self._saved = saved_searches.keep_counts(message.saved, self._saved)
        options = [Option(_prompt(line), id=line.id) for line in message.lines]  # safe: PaneLine of Content
        # The saved searches before the tags: a few lines, where a library's tags can be many.
        options += saved_searches.section_options(self._saved) + tag_options(message.tags)
        self.display = bool(options)
        self.clear_options()
        self.add_options(options)
        ids = [option.id for option in options]
        if ids:
            first = next(i for i, option in enumerate(options) if not option.disabled)  # past a section's title
            self.highlighted = ids.index(keep) if keep in ids else first
        if self.chosen_tag is not None:  # its articles may have changed: the list follows
            self.post_message(self.Chosen(None, self.tags.ids(self.chosen_tag)))

    def _highlighted_id(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def read_changed(self, article_id: str, read: bool) -> None:
        """A read mark changed: the counts of the article's tags follow at once."""
        shown = {option.id for option in self.options}
        for count in self.tags.read_changed(article_id, read):
            if TAG_OPTION + count.name in shown:
                self.replace_option_prompt(TAG_OPTION + count.name, _tag_prompt(count))

    @property
    def selected_id(self) -> str | None:
        """The feed id highlighted (None for "All articles" or nothing)."""
        if self.highlighted is None or not self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        if option_id == ALL or tag_of(option_id) is not None or saved_searches.search_of(option_id, self._saved) is not None:
            return None
        return option_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.chosen_tag = tag_of(event.option.id)
        search = saved_searches.search_of(event.option.id, self._saved)
        if search is not None:
            self.post_message(saved_searches.SavedSearchChosen(search))
            return
        if self.chosen_tag is not None:
            self.post_message(self.Chosen(None, self.tags.ids(self.chosen_tag)))
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
    if not background and not feed_ids and not app.library.subscribed():
        app.say("No feeds yet: subscribe with `reader feed add URL`, or add a page with a.")
        return
    label = "Updating feeds" if not feed_ids else "Updating the feed"
    app.run_task(label, partial(app.library.update_feeds, feed_ids), partial(_updated, app, background))


def _updated(app: ReaderApp, background: bool, report: UpdateReport) -> None:
    failed = report.failed
    if failed or not background:
        lines = [report.summary()] + [f"{r.feed.name}: {r.error}" for r in failed[:5]]
        if not background:  # entries left out (the rest of their feed was stored), as the CLI says them
            left_out = [f"{r.feed.name}: {line}" for r in report.results for line in r.skipped]
            lines += left_out[:3] + ([f"… and {len(left_out) - 3} more entries left out."] if len(left_out) > 3 else [])
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
