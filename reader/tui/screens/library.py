"""The start screen: the article list, search as you type, the preview and the status line.

The first rows come straight from the store before the first paint (a bounded query),
the full list follows from a worker, and Whoosh is only touched once the user searches
or the start-up index check runs after the first frame.

Every keystroke in the search box starts an ``exclusive`` worker; each query carries a
generation number and a result is shown only if it is still the newest, so a slow
older query can never overwrite a newer one.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from reader.errors import ReaderError
from reader.library import SyncReport
from reader.model import (
    Article,
    ArticleFlag,
    ArticleRow,
    ListOrder,
    SearchHit,
    SearchResult,
    date_of,
    has_flag,
    with_flag,
)
from reader.tui.format import joined, language_label, plural, quoted
from reader.tui.keymap import binding_source
from reader.tui.keys import KEYS_HELD_AT_MOST, key_label
from reader.tui.links import copy_link, open_link
from reader.tui.messages import (
    FlagChanged,
    OpenArticle,
    ReloadLibrary,
    SearchFor,
    TagsChanged,
    ToggleBookmarksOnly,
)
from reader.tui.saved_searches import SavedSearchChosen, SavedSearchCommands, save_search
from reader.tui.screens.base import ReaderScreen
from reader.tui.screens.tags import edit_tags, tags_line
from reader.tui.state import PREFERENCE
from reader.tui.trashing import UNDO_DEPTH, WRITES_WAIT, Deletion, JobDone, SerialJobs
from reader.tui.widgets.article_list import ArticleList, Entry
from reader.tui.widgets.search_box import SearchBox, SearchHistory
from reader.tui.widgets.sources import SourcesPane, add_url, update_feeds
from reader.tui.widgets.task_bar import TaskBar
from reader.tui.wording import error_sentence

log = logging.getLogger(__name__)

FIRST_PAGE = 200  # rows read before the first paint; the rest follow from a worker
SEARCH_LIMIT = 50  # the first page of results: a screenful or three
MORE_MARGIN = 10  # rows before the end of the loaded results at which the next page is asked for
# Seconds the search thread waits before taking the newest text. Keys that come together
# reach the app within a few milliseconds; a person's next key comes 100 ms or more later.
KEYS_SETTLE = 0.008
INDEX_CHECK_DELAY = 1.0  # seconds after start; a search before that opens the index itself
# The list's sort and "unread only" are remembered in the library like the theme.
ORDER_PREFERENCE = "ui.list_order"
UNREAD_ONLY_PREFERENCE = "ui.unread_only"
LANGUAGE_PREFERENCE = "ui.language"  # the language filter: a primary language code, "" for all
E = TypeVar("E", ArticleRow, SearchHit)



@functools.lru_cache(maxsize=512)
def primary_language(code: str) -> str:
    """A row's language as the filter compares it ("de-DE" is "de"): cached, because a
    library has few distinct values and the filter runs over every row; imported here,
    because reader.language loads Whoosh's language tables, which the first frame must
    not wait for."""
    from reader.language import language_code

    return language_code(code)
ORDER_NAMES = {ListOrder.DATE: "newest first", ListOrder.TITLE: "by title", ListOrder.SOURCE: "by source"}
HISTORY_PREFERENCE = "search.history"  # the search box's history, as SearchHistory.dumps wrote it


@dataclass(frozen=True)
class Counts:
    total: int
    unread: int
    bookmarked: int
    trashed: int  # in the trash, not in total


class RowsLoaded(Message):
    def __init__(self, rows: list[ArticleRow], counts: Counts, order: ListOrder) -> None:
        super().__init__()
        self.rows = rows
        self.counts = counts
        self.order = order  # rows read in an order since changed are not shown


class SearchFinished(Message):
    def __init__(self, generation: int, query: str, result: SearchResult | None, error: str | None) -> None:
        super().__init__()
        self.generation = generation
        self.query = query
        self.result = result
        self.error = error


class PreviewReady(Message):
    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article


@binding_source('Library')
class LibraryScreen(ReaderScreen[None]):
    """The article list with a search box; Enter opens the reader."""

    BINDINGS = [
        # priority: bound at once, as the key arrives. A normal binding runs only once "/"
        # has bubbled up from the list, after the keys typed with it went to the list.
        Binding("slash", "focus_search", "Search", id="search", priority=True),
        Binding("escape", "clear", "Clear", id="clear"),
        Binding("b", "toggle_bookmark", "Bookmark", id="bookmark"),
        Binding("B", "toggle_bookmarks_only", "Bookmarks only", id="bookmarks_only"),
        # In the footer only from VIEW_KEYS_MIN_WIDTH columns: at 80 it has 5 cells left, and
        # "? Help" would go. Each key has two bindings of one id (a remap moves both): the
        # hidden one works below that width, the shown one from it (check_action). The
        # status line names both once in use, with the key that undoes them.
        Binding("U", "toggle_unread_only", "Unread only", show=False, id="unread_only"),
        Binding("U", "toggle_unread_only('footer')", "Unread only", id="unread_only"),
        Binding("s", "cycle_sort", "Sort: date, title, source", show=False, id="cycle_sort"),
        Binding("s", "cycle_sort('footer')", "Sort", id="cycle_sort"),
        Binding("L", "cycle_language", "Language: the next, then all", show=False, id="cycle_language"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle_read"),
        Binding("n", "next_unread", "Next unread", show=False, id="next_unread"),
        Binding("A", "mark_all_read", "Mark all read", show=False, id="mark_all_read"),
        Binding("r", "update_feed", "Update feed", show=False, id="update_feed"),
        Binding("R", "update_all", "Update all", show=False, id="update_all"),
        Binding("a", "add_url", "Add URL", show=False, id="add_url"),
        Binding("S", "save_search", "Save this search", show=False, id="save_search"),
        # The ids of the reader's o and y: a remap in [keys] moves both.
        Binding("o", "open_url", "Open in browser", show=False, id="open_in_browser"),
        Binding("y", "copy_url", "Copy link", show=False, id="copy_link"),
        Binding("d", "delete_article", "Delete (to the trash)", show=False, id="delete_article"),
        Binding("z", "undo_delete", "Undo delete", show=False, id="undo_delete"),
        Binding("t", "edit_tags", "Tags: add or remove", show=False, id="edit_tags"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]
    AUTO_FOCUS = "#articles"
    COMMANDS = {SavedSearchCommands}  # the palette's commands of this screen, beside the app's
    # Columns from which the summary preview shows beside the list: below, the titles need
    # the room (at 120 columns they were cut at 43 characters beside a 36-column preview).
    PREVIEW_MIN_WIDTH = 150
    # Columns from which the footer has room for "s Sort" and "U Unread only" as well (they
    # need 23 cells; the footer's other keys take up to 75 and "^p palette" 12).
    VIEW_KEYS_MIN_WIDTH = 120

    def __init__(self) -> None:
        super().__init__()
        self.bookmarks_only = False
        self.unread_only = False
        self.language = ""  # only articles in this language (a primary code: "de"); "" for all
        self.order = ListOrder.DATE
        self._sorted_anew = False  # the next rows come in a new order: show them from the top
        self._rows: list[ArticleRow] = []
        self._counts: Counts | None = None
        self._query = ""
        self._generation = 0
        self._search_lock = threading.Lock()
        self._wanted: tuple[int, str, int] | None = None  # generation, query, limit: the next search
        self._limit = SEARCH_LIMIT  # results asked for: doubled as the list nears their end
        self._searching = False  # a search thread is running
        self._result: SearchResult | None = None
        self._search_error: str | None = None
        self._open_when_ready = False
        self._holding = False  # until the top hit opens, after an Enter before the results
        self._hold_timer: Timer | None = None
        self._source_ids: set[str] | None = None  # the chosen feed's articles (None: every article)
        self._deletions: list[Deletion] = []  # what z undoes, the last deletion last
        self._trash_jobs = SerialJobs(self, "trash")

    def compose(self) -> ComposeResult:
        yield SearchBox()
        yield Static(id="status", markup=False)
        with Horizontal(id="library-body"):
            yield SourcesPane(id="sources")
            yield ArticleList(id="articles")
            yield Static(id="preview", markup=False)
        yield TaskBar()
        # The Footer (docked at the bottom) is mounted after the first frame: it costs
        # as much as the list itself, and the titles are what a person waits for.

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

    def on_mount(self) -> None:
        library = self.app.library
        self._restore_view()
        try:
            self._rows = library.list_articles(limit=FIRST_PAGE, order=self.order)
        except ReaderError as exc:
            self.app.say(error_sentence(exc), severity="error")
        self._show_rows()
        self._load_search_history()
        self._fit_preview(self.app.size.width)
        self.watch(self.article_list, "scroll_y", self._list_scrolled, init=False)
        # Everything else waits for the first frame: a worker thread holding the GIL
        # (reading 100,000 rows, importing Whoosh) would delay the first titles.
        self.call_after_refresh(self._mount_footer)
        if self._rows:
            self.call_after_refresh(self._load_rows)
            if INDEX_CHECK_DELAY > 0:
                self.set_timer(INDEX_CHECK_DELAY, self._check_index)
            else:  # at once (tests): Textual's one-shot timer never fires at 0 (it divides by it)
                self.call_after_refresh(self._check_index)
        else:
            self.call_after_refresh(self._first_start)

    # -- start-up work -----------------------------------------------------------------

    def _restore_view(self) -> None:
        """The sort and the unread filter chosen last time; a value this version does
        not know (written by a newer one, or edited) leaves the default."""
        try:
            order = self.app.library.preference(ORDER_PREFERENCE)
            unread_only = self.app.library.preference(UNREAD_ONLY_PREFERENCE)
            language = self.app.library.preference(LANGUAGE_PREFERENCE)
        except ReaderError:
            return
        if order in set(ListOrder):
            self.order = ListOrder(order)
        self.unread_only = unread_only == "1"
        # Written by _set_language: a primary code; anything else (edited, newer) is no filter.
        language = language or ""
        self.language = language if language.isascii() and language.isalpha() and language.islower() and len(language) <= 3 else ""

    async def _mount_footer(self) -> None:
        if not self.is_attached:
            return  # the app quit before its first frame (q pressed at once)
        # Imported here, not at the top: its import is 2 ms of the first frame.
        from textual.widgets import Footer

        await self.mount(Footer())
        self.refresh_bindings()  # a Footer mounted late draws its keys on the next update

    def _first_start(self) -> None:
        """An empty library gets the bundled samples once, so there is something to read.

        Once only: a library the user emptied on purpose stays empty (see
        :meth:`reader.library.Library.samples_offered`), and a read-only one cannot take them.
        """
        library = self.app.library
        try:
            offer = not library.read_only and not library.samples_offered()
        except ReaderError as exc:
            self.app.say(error_sentence(exc), severity="error")
            return
        if not offer:
            self._set_status("Your library is empty: import articles from the command palette (ctrl+p).")
            return
        self._set_status("Your library is empty: importing the bundled sample articles…")
        self.app.run_task("Importing the sample articles", library.import_samples, self._samples_imported)

    def _samples_imported(self, report) -> None:
        self.app.say(
            f"Welcome to Reader. Your library was empty, so it now holds {report.added} sample articles. "
            "Import your own from the command palette (ctrl+p).",
            timeout=10,
        )
        self.reload()

    def _check_index(self) -> None:
        self.app.run_task("Updating the search index", self._sync_and_warm, self._index_checked, quiet=True)

    def _sync_and_warm(self, progress) -> SyncReport:
        """Bring the index up to date, then warm it, so the first keystroke's query is fast."""
        library = self.app.library
        report = library.sync_index(progress)
        library.warm_search()
        return report

    def _index_checked(self, report: SyncReport) -> None:
        if report.rebuilt:
            self.app.say(f"Rebuilding the search index: {report.rebuilt}")
        sources = self.query_one(SourcesPane)
        sources.count_searches = True  # the index is ready: the saved searches can be counted
        sources.load()
        if self._query:  # typed during the catch-up, it searched the index as it was then
            self._start_search(self._query, more=True)  # the same search, complete: the cursor stays

    # -- the rows ----------------------------------------------------------------------

    def reload(self) -> None:
        """Read the rows again (after an import here or elsewhere) and redo the search."""
        self._load_rows()
        self.query_one(SourcesPane).load()
        if self._query:
            self._start_search(self._query)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def _load_rows(self) -> None:
        library = self.app.library
        order = self.order
        try:
            rows = library.list_articles(order=order)
            counts = Counts(library.count(), library.count(unread=True), library.count(bookmarked=True), library.trash_count())
        except ReaderError as exc:
            self.app.call_from_thread(self.app.say, error_sentence(exc), severity="error")
            return
        self.post_message(RowsLoaded(rows, counts, order))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        if message.order != self.order:
            return  # the sort changed while they were read: the newer rows follow
        self._rows = message.rows
        self._counts = message.counts
        if not self._query:
            self._show_rows(keep=not self._sorted_anew)
        else:
            self._show_status()
        self._sorted_anew = False

    def _show_rows(self, *, keep: bool = True) -> None:
        """The rows through the filters; ``keep``: the cursor stays on its article."""
        rows: Sequence[Entry] = self._filtered(self._rows)
        if self._source_ids is not None:
            rows = [r for r in rows if r.id in self._source_ids]
        if self.bookmarks_only:
            empty = "No bookmarks yet: press b on an article to keep it here."
        elif self.unread_only and self._rows:
            empty = f"Everything is read: press {key_label(self, 'unread_only')} to show all articles."
        elif self.language and self._rows:
            empty = f"No articles in {language_label(self.language)}: press {key_label(self, 'cycle_language')} for the next language."
        else:
            empty = "No articles yet."
        self.article_list.set_entries(rows, keep=self._current_id() if keep else None, empty_message=empty)
        self._show_status()

    def _filtered(self, entries: Sequence[E]) -> list[E]:
        """``entries`` through the bookmarks-only, unread-only and language filters, when on."""
        if not (self.bookmarks_only or self.unread_only or self.language):
            return list(entries)  # 100,000 rows at every reload: no test per row when none is on
        return [
            e for e in entries
            if (e.bookmarked or not self.bookmarks_only) and not (e.read and self.unread_only)
            and (not self.language or primary_language(e.language) == self.language)
        ]

    def _current_id(self) -> str | None:
        entry = self.article_list.entry
        return entry.id if entry else None

    # -- search ------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._open_when_ready = False
        self.search_box.set_suggestion(None)
        query = event.value.strip()
        if query == self._query:
            return
        self._query = query
        self._limit = SEARCH_LIMIT
        if query:
            self._start_search(query)
        else:
            self._generation += 1  # any search still running is no longer wanted
            self._result = None
            self._show_rows()

    def _start_search(self, query: str, *, more: bool = False) -> None:
        """Search for ``query`` up to ``self._limit`` results; ``more``: the same query's
        next page, asked for while its first results stay on screen."""
        self._generation += 1
        self._search_error = None
        if not more:
            self._set_status(Content(f"Searching for {quoted(query)}…"))
        with self._search_lock:
            self._wanted = (self._generation, query, self._limit)
            if self._searching:
                return  # the running search thread takes it next
            self._searching = True
        self._search_latest()

    @work(thread=True, group="search", exit_on_error=False)
    def _search_latest(self) -> None:
        """Search for the latest query until there is no newer one.

        One thread, always on the newest text: a thread per keystroke would run the
        stale searches side by side with the last one (Python runs one at a time), and
        the results a person waits for would come after all of them. Each search waits
        KEYS_SETTLE first, so that keys arriving together (a paste, a burst of typing)
        are one search, not a search of some half-typed word on the way.
        """
        while True:
            time.sleep(KEYS_SETTLE)
            with self._search_lock:
                wanted, self._wanted = self._wanted, None
                if wanted is None:
                    self._searching = False
                    return
            generation, query, limit = wanted
            try:
                result = self.app.library.search(query, limit=limit, as_you_type=True)
            except ReaderError as exc:
                self.post_message(SearchFinished(generation, query, None, error_sentence(exc)))
            except Exception as exc:  # a bug: say so, and keep searching on the next key
                log.exception("search for %r failed", query)
                self.post_message(SearchFinished(generation, query, None, f"unexpected {type(exc).__name__}: {exc}"))
            else:
                self.post_message(SearchFinished(generation, query, result, None))

    def on_search_finished(self, message: SearchFinished) -> None:
        if message.generation != self._generation or message.query != self._query:
            return  # an older query: the user has typed on
        more = self._result is not None and message.result is not None and self._result.query == message.query
        self._result = message.result
        self._search_error = message.error
        hits = self._visible_hits()
        articles = self.article_list
        if more:  # the next page of the same search: the cursor and the view stay where they are
            scroll_y = articles.scroll_y
            articles.set_entries(hits, keep=self._current_id(), empty_message="No matches.")
            articles.scroll_to(y=scroll_y, animate=False, immediate=True)
        else:
            articles.set_entries(hits, empty_message="No matches.")
        suggestion = message.result.suggestion if message.result and not hits else None
        self.search_box.set_suggestion(suggestion)
        self._show_status()
        if self._open_when_ready:
            self._open_when_ready = False
            self._open_top_hit()
            self._stop_holding()  # to the reader just opened, or back to the box

    def _load_more_near(self, row: int) -> None:
        """Ask for the next page of results once ``row`` (the cursor, or the last row in
        view) is near the end of those loaded: the list reads the whole result."""
        result = self._result
        if result is None or result.query != self._query or len(result.hits) >= result.total:
            return
        if self._limit > len(result.hits) or row < len(self.article_list.entries) - MORE_MARGIN:
            return  # already asked for, or not near the end yet
        self._limit = len(result.hits) * 2
        self._start_search(self._query, more=True)

    def _list_scrolled(self, scroll_y: float) -> None:
        articles = self.article_list
        last_in_view = int(scroll_y + articles.size.height) // max(1, articles.row_height)
        self._load_more_near(last_in_view)

    def _visible_hits(self) -> list[SearchHit]:
        return self._filtered(self._result.hits if self._result else [])

    def _load_search_history(self) -> None:
        try:
            saved = self.app.library.preference(HISTORY_PREFERENCE)
            if saved:
                self.search_box.history = SearchHistory.loads(saved)
        except ReaderError as exc:
            self.app.say(f"The search history could not be read: {error_sentence(exc)}", severity="warning")
        except ValueError:  # not what dumps() writes: said, as the next search replaces it
            self.app.say("The saved search history was unreadable; a new one starts with your next search.", severity="warning")

    def _remember_search(self) -> None:
        """Keep the query in the search box's history (↑), and in the library for next time."""
        if self.search_box.history.add(self._query) and not self.app.library.read_only:
            self.app.writer.set(HISTORY_PREFERENCE, PREFERENCE, self.search_box.history.dumps())

    @property
    def holding_keys(self) -> bool:
        """Whether the app holds the keys typed now (ReaderApp.on_event): from the search
        box's Enter until its top hit opens, and from the list's Enter until the reader is
        pushed, so that "/pilots⏎ j j" and "⏎ j j" scroll the reader."""
        if self._holding:
            return True
        if not self.is_mounted:  # a key typed before the screen is composed
            return False
        # Asked on every key: query_one's cache, not a walk of the DOM (query()).
        return self.search_box.submitting or self.article_list.selecting

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self._remember_search()
        if not self._query:
            self.set_focus(self.article_list)
        elif self._result is not None and self._result.query == self._query:
            self._open_top_hit()
        else:
            self._open_when_ready = True  # Enter before the results came: open them when they do
            # The keys typed meanwhile wait for the reader, at most KEYS_HELD_AT_MOST (a
            # slow search never swallows the keyboard).
            self._holding = True
            self._hold_timer = self.set_timer(KEYS_HELD_AT_MOST, self._stop_holding)
            self.search_box.submitting = False
            return
        self._stop_holding()

    def _stop_holding(self) -> None:
        """The keys held since the box's Enter, to the screen shown now (the reader, or
        the box when nothing was found)."""
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        was_holding = self.holding_keys
        self._holding = self.search_box.submitting = self.article_list.selecting = False
        if was_holding:
            self.app.release_keys()

    def _open_top_hit(self) -> None:
        hits = self._visible_hits()
        if hits:
            self.open_article(hits[0].id)

    # -- what other screens ask for (reader.tui.messages, handed on by the app) ---------

    def on_search_for(self, message: SearchFor) -> None:
        """Put the text in the search box and search (the reader's cards)."""
        self.search_box.value = message.text
        self.set_focus(self.search_box)

    def on_reload_library(self, message: ReloadLibrary) -> None:
        self.reload()

    def on_flag_changed(self, message: FlagChanged) -> None:
        self.show_flag(message.article_id, message.flag, message.value)
        if message.flag == ArticleFlag.READ:
            self.query_one(SourcesPane).read_changed(message.article_id, message.value)

    def on_tags_changed(self, message: TagsChanged) -> None:
        self.query_one(SourcesPane).load()
        if self._current_id() == message.article_id:
            self._load_preview(message.article_id)

    def on_open_article(self, message: OpenArticle) -> None:
        self.open_article(message.article_id)

    def on_toggle_bookmarks_only(self, message: ToggleBookmarksOnly) -> None:
        self.action_toggle_bookmarks_only()

    # -- the status line and the preview -----------------------------------------------

    def _show_status(self) -> None:
        if self._query:
            self._set_status(self._search_status())
            return
        counts = self._counts
        if counts is None:
            self._set_status(plural(len(self._rows), "article") if self._rows else "")
            return
        parts = [plural(counts.total, "article"), f"{counts.unread:,} unread", f"{counts.bookmarked:,} bookmarked"]
        if counts.trashed:
            parts.append(f"{counts.trashed:,} in the trash")
        parts += self._view_parts()
        self._set_status(" · ".join(parts))

    def _view_parts(self) -> list[str]:
        """The filters and the sort in force, for the status line (the defaults unsaid);
        short, with the key that changes each: at 80 columns all of it must fit."""
        parts = []
        if self.bookmarks_only:
            parts.append(f"showing bookmarks only ({key_label(self, 'bookmarks_only')} for all)")
        if self.unread_only:
            parts.append(f"unread only ({key_label(self, 'unread_only')})")
        if self.language:
            parts.append(f"{language_label(self.language)} only ({key_label(self, 'cycle_language')})")
        if self.order != ListOrder.DATE:
            parts.append(f"{ORDER_NAMES[self.order]} ({key_label(self, 'cycle_sort')})")
        return parts

    def _search_status(self) -> Content:
        if self._search_error:
            return Content(f"Search failed: {self._search_error}")
        result = self._result
        if result is None:
            return Content(f"Searching for {quoted(self._query)}…")
        if result.hits:
            shown = len(self._visible_hits())
            about = "about " if result.total_is_estimate else ""
            text = f"{about}{plural(result.total, 'result')} for {quoted(result.query)}"
            if result.total > len(result.hits):
                text += f" ({len(result.hits):,} loaded, more as you scroll)"
            which = self._filter_words()
            if which:
                text += f" · {shown:,} {which}"
            if result.notes:
                text += " · " + "; ".join(result.notes)
            return Content(text + f" · Enter opens the top one, {key_label(self, 'clear')} clears")
        if result.suggestion:
            return Content.assemble(
                f"No results for {quoted(result.query)}. Did you mean ",
                (quoted(result.suggestion), "bold"),
                f"? Press {key_label(self.search_box, 'take_suggestion')} to search for it.",
            )
        # "?" typed in the box is part of the query: the help key works from the list.
        clear, help_ = key_label(self, "clear"), key_label(self, "help")
        return Content(f"No results for {quoted(result.query)}. Press {clear}, then {help_} for the search syntax.")

    def _set_status(self, text: str | Content) -> None:
        self.query_one("#status", Static).update(Content(text) if isinstance(text, str) else text)

    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        if event.entry is not None and self._query:
            self._load_more_near(self.article_list.cursor)
        if event.entry is None:
            self.query_one("#preview", Static).update(Content(""))
        else:  # loaded also when hidden, to be ready if the terminal widens; after the
            # next frame, so that the first titles never wait for this thread
            self.call_after_refresh(self._load_preview, event.entry.id)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_preview(event.size.width)
        self.refresh_bindings()  # the footer's s and U come and go with the width

    def _fit_preview(self, width: int) -> None:
        """Show the preview only when the terminal is wide (set directly: a breakpoint
        class on the screen would restyle every widget, after the first frame)."""
        self.query_one("#preview", Static).display = width >= self.PREVIEW_MIN_WIDTH

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _load_preview(self, article_id: str) -> None:
        try:
            self.post_message(PreviewReady(self.app.library.get(article_id)))
        except ReaderError:
            pass  # removed meanwhile: the next reload drops the row

    def on_preview_ready(self, message: PreviewReady) -> None:
        article = message.article
        if self._current_id() != article.id:
            return
        meta = joined(article.source, date_of(article.published), language_label(article.language), f"{article.reading_minutes} min read")
        text = article.summary or (article.paragraphs[0] if article.paragraphs else "")
        tags = tags_line(article.shown_tags)
        self.query_one("#preview", Static).update(
            Content.assemble(
                Content(article.title).stylize("bold"), "\n", meta.stylize("dim"), *(("\n", tags) if tags else ()),
                "\n\n", Content(text),
            )
        )

    # -- opening articles --------------------------------------------------------------

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        self.open_article(event.entry.id)
        self._stop_holding()  # the keys typed after Enter, to the reader (which holds them until placed)

    def open_article(self, article_id: str) -> None:
        from reader.tui.screens.article import ArticleScreen

        self._remember_search()
        self.app.push_screen(ArticleScreen(article_id, query=self._query or None, neighbour=self.neighbour))

    def neighbour(self, article_id: str, step: int) -> str | None:
        """The article ``step`` rows away from ``article_id`` in the list; moves the cursor there."""
        articles = self.article_list
        index = articles.index_of(article_id)
        if index is None or not 0 <= index + step < len(articles.entries):
            return None
        articles.cursor = index + step
        return articles.entries[index + step].id

    # -- flags -------------------------------------------------------------------------

    def show_flag(self, article_id: str, flag: ArticleFlag, value: bool) -> None:
        """Show a flag change everywhere this screen keeps the row, and in the counts."""
        self.article_list.update_flag(article_id, flag, value)
        for index, row in enumerate(self._rows):
            if row.id == article_id:
                old = has_flag(row, flag)
                self._rows[index] = with_flag(row, flag, value)
                if self._counts is not None and old != value:
                    delta = 1 if value else -1
                    if flag == ArticleFlag.BOOKMARKED:
                        self._counts = dataclasses.replace(self._counts, bookmarked=self._counts.bookmarked + delta)
                    else:
                        self._counts = dataclasses.replace(self._counts, unread=self._counts.unread - delta)
                break
        for deletion in self._deletions:  # a flag set just before its d: z brings it back set
            deletion.rows = [(i, with_flag(row, flag, value) if row.id == article_id else row) for i, row in deletion.rows]
            deletion.hits = [(i, with_flag(hit, flag, value) if hit.id == article_id else hit) for i, hit in deletion.hits]
        self._show_status()

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_search":  # in the box "/" is a character of the query
            return not isinstance(self.focused, SearchBox)
        if action == "clear":
            return bool(self._query or self.bookmarks_only or self.unread_only or self.language or isinstance(self.focused, SearchBox))
        if action in ("toggle_unread_only", "cycle_sort"):  # the footer's one (a parameter) from the width
            return (self.app.size.width >= self.VIEW_KEYS_MIN_WIDTH) == bool(parameters)
        if action in ("toggle_bookmark", "toggle_read", "next_unread", "mark_all_read", "open_url", "copy_url", "delete_article", "edit_tags"):
            return self.article_list.entry is not None or None
        return True

    def _entry_url(self) -> str | None:
        """The link of the article under the cursor ("" if it has none; None: no article
        there, or it could not be read, which is said)."""
        entry = self.article_list.entry
        if entry is None:
            return None
        try:
            return self.app.library.get(entry.id).url
        except ReaderError as exc:
            self.app.say(f"Cannot read that article: {error_sentence(exc)}", severity="error")
            return None

    def action_open_url(self) -> None:
        url = self._entry_url()
        if url is not None:
            open_link(self, url)

    def action_copy_url(self) -> None:
        url = self._entry_url()
        if url is not None:
            copy_link(self, url, shown_where="in the reader, under the title")

    def action_next_unread(self) -> None:
        """The next unread article after the cursor, from the top again after the last."""
        articles = self.article_list
        entries = articles.entries
        start = articles.cursor
        for step in range(1, len(entries) + 1):
            index = (start + step) % len(entries)
            if not entries[index].read:
                articles.cursor = index
                return
        self.app.say("Everything in this list is read.")

    def action_mark_all_read(self) -> None:
        """Mark every article of the list as read: the whole result of a search (not only
        the pages loaded), the bookmarks when only they are shown, the list otherwise."""
        if self.app.library.read_only:
            self.app.tell_read_only()
            return
        query, result, keep = self._query, self._result, self._filtered
        shown = [entry.id for entry in self.article_list.entries]  # unread only: those shown are the unread
        library = self.app.library

        def mark(progress) -> int:
            ids = shown
            if query and result is not None and result.total > len(result.hits):
                limit = result.total * 2 if result.total_is_estimate else result.total
                hits = library.search(query, limit=limit, as_you_type=True).hits
                ids = [hit.id for hit in keep(hits)]  # through the bookmarks and language filters
            return library.set_read_many(ids)

        self.app.run_task("Marking the list read", mark, self._marked_read)

    def _marked_read(self, count: int) -> None:
        self.app.say(f"Marked {plural(count, 'article')} as read.")
        self.reload()

    def action_focus_search(self) -> None:
        # Focus is set at once, not with Widget.focus() (which defers it to after the
        # keys already queued): the letters of a query typed straight after "/" arrive
        # together with it and must land in the box, not run as list commands.
        self.set_focus(self.search_box)

    def action_clear(self) -> None:
        """Escape: clear the search (then the bookmarks and unread filters) and go back to the list."""
        if self._query:
            self.search_box.value = ""
        elif self.bookmarks_only:
            self.action_toggle_bookmarks_only()
        elif self.unread_only:
            self.action_toggle_unread_only()
        elif self.language:
            self._set_language("")
        self.set_focus(self.article_list)

    def action_toggle_bookmark(self) -> None:
        entry = self.article_list.entry
        if entry is not None:
            self.app.set_article_flag(entry.id, ArticleFlag.BOOKMARKED, not entry.bookmarked)

    def action_toggle_read(self) -> None:
        entry = self.article_list.entry
        if entry is not None:
            self.app.set_article_flag(entry.id, ArticleFlag.READ, not entry.read)

    def on_sources_pane_chosen(self, message: SourcesPane.Chosen) -> None:
        self._source_ids = message.article_ids
        self._show_rows()
        self.article_list.focus()

    def action_save_search(self) -> None:
        """S: keep the search box's query under a name, in the sources pane."""
        save_search(self.app, self._query, self.query_one(SourcesPane).load)

    def on_saved_search_chosen(self, message: SavedSearchChosen) -> None:
        """A saved search chosen in the pane or the palette: its query in the box, searched."""
        self.search_box.value = message.search.query
        self.search_box.cursor_position = len(message.search.query)
        self.set_focus(self.article_list)  # its results are what the person wants to read

    def action_update_feed(self) -> None:
        chosen = self.query_one(SourcesPane).selected_id
        update_feeds(self.app, [chosen] if chosen else [])

    def action_update_all(self) -> None:
        update_feeds(self.app, [])

    def action_add_url(self) -> None:
        add_url(self.app)

    def action_edit_tags(self) -> None:
        entry = self.article_list.entry
        if entry is not None:
            edit_tags(self.app, entry.id)

    def action_toggle_bookmarks_only(self) -> None:
        self.bookmarks_only = not self.bookmarks_only
        self._refilter()

    def action_toggle_unread_only(self, _from_footer: str = "") -> None:
        """Show only the unread articles (and results), or all again; remembered."""
        self.unread_only = not self.unread_only
        self._remember(UNREAD_ONLY_PREFERENCE, "1" if self.unread_only else "0")
        self._refilter()

    def action_cycle_language(self) -> None:
        """Only the articles in the library's most common language, then the next, …,
        then all again; remembered. The languages are those of the list's rows."""
        counts = Counter(primary_language(row.language) for row in self._rows)
        counts.pop("", None)
        languages = [code for code, _ in counts.most_common()]
        if not languages:
            self.app.say("The articles here have no language to filter by.")
            return
        following = languages[languages.index(self.language) + 1 :] if self.language in languages else languages
        self._set_language(following[0] if following else "")  # the status line says which

    def _set_language(self, code: str) -> None:
        self.language = code
        self._remember(LANGUAGE_PREFERENCE, code)
        self._refilter()

    def _filter_words(self) -> str:
        """The filters in force as words: "bookmarked and unread", "German"…"""
        words = [w for w, on in (("bookmarked", self.bookmarks_only), ("unread", self.unread_only)) if on]
        if self.language:
            words.append(language_label(self.language))
        return " and ".join(words)

    def _refilter(self) -> None:
        if self._query:
            which = self._filter_words()
            self.article_list.set_entries(self._visible_hits(), empty_message=f"No {which} matches." if which else "No matches.")
            self._show_status()
        else:
            self._show_rows()
        self.refresh_bindings()

    def _next_order(self) -> ListOrder:
        orders = list(ListOrder)
        return orders[(orders.index(self.order) + 1) % len(orders)]

    def action_cycle_sort(self, _from_footer: str = "") -> None:
        """Sort the list by the next order (date, title, source, date …), from its top;
        the rows are read again in that order by the store, like ``reader list --sort``.
        Search results keep the order of their query, which says so itself."""
        if self._query:
            self.app.say("Search results keep the order of the query: by relevance, or newest first with sort:date in it.")
            return
        self.order = self._next_order()
        self._sorted_anew = True
        self._remember(ORDER_PREFERENCE, self.order.value)
        self._show_status()
        self._load_rows()

    def _remember(self, key: str, value: str) -> None:
        if not self.app.library.read_only:
            self.app.writer.set(key, PREFERENCE, value)

    # -- deleting and undoing (reader/tui/trashing.py) ---------------------------------

    def action_delete_article(self) -> None:
        """d: the article under the cursor to the trash; the cursor moves on to the next."""
        entry = self.article_list.entry
        if entry is not None:
            self.delete_articles([entry.id])

    def delete_articles(self, ids: Sequence[str], title: str | None = None) -> None:
        """Take the articles out of the list (and the results) at once, then move them to
        the trash in the background; a notice says how to undo (naming ``title``, if
        given: the reader's article may not be in the list)."""
        if self.app.library.read_only:
            self.app.tell_read_only()
            return
        deletion = self._take_out(list(ids))
        if title is not None and len(ids) == 1:
            deletion.name = quoted(title)
        self._remember_deletion(deletion)
        library, writer = self.app.library, self.app.writer

        def delete() -> list[str]:
            writer.wait(WRITES_WAIT)  # a bookmark or position set just before goes into the trash too
            return library.delete(deletion.ids)

        self._trash_jobs.run(delete, self._trash_changed)
        self.app.say(f"Deleted {deletion.name} — {key_label(self, 'undo_delete')} to undo")

    def action_delete_samples(self) -> None:
        """Every bundled sample article to the trash (the palette asks first); z undoes it."""
        if self.app.library.read_only:
            self.app.tell_read_only()
            return
        self.app.run_task("Removing the sample articles", lambda _progress: self.app.library.delete_samples(), self._samples_deleted)

    def _samples_deleted(self, ids: list[str]) -> None:
        if not ids:
            self.app.say("There are no sample articles in the library.")
            return
        deletion = Deletion(ids, plural(len(ids), "sample article"))
        self._remember_deletion(deletion)
        self.app.say(f"Deleted {deletion.name} — {key_label(self, 'undo_delete')} to undo")
        self.reload()

    def _remember_deletion(self, deletion: Deletion) -> None:
        self._deletions.append(deletion)
        del self._deletions[:-UNDO_DEPTH]

    def action_undo_delete(self) -> None:
        """z: the last deletion back, where it was in the list, with its state."""
        if not self._deletions:
            self.app.say("Nothing to undo: no article was deleted here since Reader started.")
            return
        deletion = self._deletions.pop()
        back = {row.id for row in self._rows} | {hit.id for hit in (self._result.hits if self._result else ())}
        if back.issuperset(deletion.ids):  # restored from the trash screen meanwhile
            self.app.say(f"{deletion.name} is back already.")
            return
        deletion.rows = [(index, row) for index, row in deletion.rows if row.id not in back]
        deletion.hits = [(index, hit) for index, hit in deletion.hits if hit.id not in back]
        self._put_back(deletion)
        library = self.app.library

        def restored(result: tuple[list[str], list[str]]) -> None:
            _, gone = result
            if gone:
                self.app.say(f"{plural(len(gone), 'article')} had been emptied from the trash and cannot come back.", severity="warning")
            if gone or (not deletion.rows and not deletion.hits) or deletion.query != self._query:
                self.reload()  # what the list or these results did not hold, or could not get back
            else:
                self._trash_changed(None)

        self._trash_jobs.run(lambda: library.restore([i for i in deletion.ids if i not in back]), restored)
        self.app.say(f"Restored {deletion.name}")

    def _take_out(self, ids: list[str]) -> Deletion:
        """Remove ``ids`` from the rows, the results and the counts; the cursor goes to the
        next article left (or the one before, at the end)."""
        wanted = set(ids)
        articles = self.article_list
        entries, cursor = articles.entries, articles.cursor
        gone = [e for e in entries if e.id in wanted]
        after = [e for e in entries[cursor + 1 :] if e.id not in wanted]
        before = [e for e in entries[:cursor] if e.id not in wanted]
        following = after[0] if after else (before[-1] if before else None)
        name = quoted(gone[0].title) if len(gone) == 1 else plural(len(ids), "article")
        deletion = Deletion(ids, name, query=self._query)
        deletion.rows = [(i, row) for i, row in enumerate(self._rows) if row.id in wanted]
        self._rows = [row for row in self._rows if row.id not in wanted]
        if self._counts is not None:
            rows = [row for _, row in deletion.rows]
            self._counts = Counts(
                self._counts.total - len(rows),
                self._counts.unread - sum(not row.read for row in rows),
                self._counts.bookmarked - sum(row.bookmarked for row in rows),
                self._counts.trashed + len(rows),
            )
        result = self._result
        if result is not None:
            deletion.hits = [(i, hit) for i, hit in enumerate(result.hits) if hit.id in wanted]
            kept = tuple(hit for hit in result.hits if hit.id not in wanted)
            self._result = dataclasses.replace(result, hits=kept, total=max(0, result.total - len(deletion.hits)))
        self._show_entries(following.id if following else None)
        return deletion

    def _put_back(self, deletion: Deletion) -> None:
        """Undo :meth:`_take_out`: the rows and hits where they were, the cursor on the first."""
        for index, row in deletion.rows:
            self._rows.insert(index, row)
        if self._counts is not None:
            rows = [row for _, row in deletion.rows]
            self._counts = Counts(
                self._counts.total + len(rows),
                self._counts.unread + sum(not row.read for row in rows),
                self._counts.bookmarked + sum(row.bookmarked for row in rows),
                max(0, self._counts.trashed - len(rows)),
            )
        result = self._result
        if result is not None and deletion.hits and result.query == deletion.query:
            hits = list(result.hits)
            for index, hit in deletion.hits:
                hits.insert(index, hit)
            self._result = dataclasses.replace(result, hits=tuple(hits), total=result.total + len(deletion.hits))
        shown = [row.id for _, row in deletion.rows] + [hit.id for _, hit in deletion.hits]
        self._show_entries(shown[0] if shown else None)

    def _show_entries(self, cursor_on: str | None) -> None:
        """The list again after a deletion or its undo, the cursor on ``cursor_on``."""
        articles = self.article_list
        if cursor_on is not None:
            index = next((i for i, e in enumerate(articles.entries) if e.id == cursor_on), None)
            if index is not None:
                articles.cursor = index
        if self._query:
            articles.set_entries(self._visible_hits(), keep=cursor_on, empty_message="No matches.")
            self._show_status()
        else:
            self._show_rows()
            if cursor_on is not None:
                index = articles.index_of(cursor_on)
                if index is not None:
                    articles.cursor = index

    def _trash_changed(self, _: object) -> None:
        """A deletion or restore is on disk: the sources pane counts again."""
        self.query_one(SourcesPane).load()

    def on_unmount(self) -> None:
        """Quitting: the deletions and restores asked for are done before the library closes."""
        self._trash_jobs.finish()

    def on_job_done(self, message: JobDone) -> None:
        if message.error:
            self.app.say(message.error, severity="error", timeout=10)
            self.reload()  # the list shows what the library holds, whatever happened
        else:
            message.then(message.result)
