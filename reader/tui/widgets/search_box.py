"""The search box on top of the library: an Input that can take a "did you mean", and
walk back through the searches made before.

When a search finds nothing and the index suggests a spelling, the library screen sets
:attr:`SearchBox.suggestion`; Tab then replaces the query with it. Without a suggestion
the Tab binding steps aside and Tab moves the focus as usual.

↑ puts the previous search in the box (as in a shell), again for the one before; ↓ walks
forward and, past the newest, gives back the text that was being typed. Only while
walking does ↓ belong to the history: otherwise it still moves to the list, as it did
before there was a history. The library screen records a search (:meth:`SearchHistory.add`)
when Enter is pressed on it or an article is opened from its results, and keeps the
history in the library's preferences, so that it outlives the run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from textual.binding import Binding
from textual.widgets import Input

from reader.tui.keymap import binding_source

HISTORY_LIMIT = 100
"""Searches kept; the oldest goes when a new one comes."""


class SearchHistory:
    """The searches made, most recent first, each at most once, at most HISTORY_LIMIT."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self.entries: list[str] = []
        for query in reversed(list(entries)):
            self.add(query)

    def add(self, query: str) -> bool:
        """Put ``query`` first (a search made again moves up, it is not kept twice);
        whether that changed anything. Blank queries are not kept."""
        query = query.strip()
        if not query or (self.entries and self.entries[0] == query):
            return False
        if query in self.entries:
            self.entries.remove(query)
        self.entries.insert(0, query)
        del self.entries[HISTORY_LIMIT:]
        return True

    def dumps(self) -> str:
        return json.dumps(self.entries, ensure_ascii=False)

    @classmethod
    def loads(cls, text: str) -> SearchHistory:
        """The history :meth:`dumps` wrote; ValueError for anything else."""
        entries = json.loads(text)
        if not isinstance(entries, list) or not all(isinstance(entry, str) for entry in entries):
            raise ValueError("not a list of searches")
        return cls(entries)


@binding_source('Search box')
class SearchBox(Input):
    """The query input; Escape and Enter are handled by the library screen."""

    # Tab and ↓ leave the box: as priority bindings they move the focus while the key is
    # dispatched, so a key typed right after them ("↓ b", "Tab S") reaches the list or
    # the pane. Handled when they bubble up (Textual's own Tab), the focus moved after
    # the next key had already been given to the box, and "S" was typed into the query.
    BINDINGS = [
        Binding("tab", "take_suggestion", "Take “did you mean”", priority=True, id="take_suggestion"),
        Binding("tab", "leave", "To the next pane", show=False, priority=True, id="search_next"),
        Binding("up", "history(1)", "Earlier searches", id="search_history_back"),
        # Before "To the list": it takes the key only while walking the history.
        Binding("down", "history(-1)", "Later search, after an earlier one", show=False, priority=True, id="search_history_forward"),
        Binding("down", "leave", "To the list", show=False, priority=True, id="search_to_list"),
        # Enter too: the keys typed after it belong to the reader it opens, not the query.
        Binding("enter", "submit_in_order", "Open the top result", show=False, priority=True, id="search_submit"),
    ]

    def __init__(self) -> None:
        super().__init__(placeholder="/ to search: words, \"a phrase\", harb*, title:…   ? for help", id="search")
        self.suggestion: str | None = None
        self.history = SearchHistory()
        self._walk: int | None = None  # the entry of the history in the box, while walking it
        self._draft = ""  # the text typed before the walk began, given back at its end
        self._shown = ""  # the text the walk put in the box: once edited, the walk is over
        self.submitting = False  # from Enter until the screen has answered it (see below)

    def _walking(self) -> bool:
        return self._walk is not None and self.value == self._shown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_suggestion":
            return bool(self.suggestion)
        if action == "history" and parameters == (-1,):
            return self._walking()
        return super().check_action(action, parameters)

    def set_suggestion(self, suggestion: str | None) -> None:
        """Offer (or withdraw) a "did you mean". The footer's keys are refreshed only when
        that changes: refreshing them recomposes the Footer, which on every keystroke
        took more of the UI thread than the search itself."""
        if suggestion == self.suggestion:
            return
        self.suggestion = suggestion
        self.refresh_bindings()

    def action_submit_in_order(self) -> None:
        """Enter, bound as it arrives: ``submitting`` is set at once (the library screen
        holds the keys typed from now on) and :class:`Input.Submitted` is posted after
        the keys typed before it, which this box has yet to take. As Input's own binding,
        Enter was handled after the keys that followed it had been given to the box
        ("/pilots⏎jjj" searched for "pilotsjjj")."""
        self.submitting = True
        self.call_later(lambda: self.post_message(self.Submitted(self, self.value)))

    def action_leave(self) -> None:
        """The focus to the next widget (the list, or the sources pane), at once."""
        self.screen.focus_next()

    def action_take_suggestion(self) -> None:
        if self.suggestion:
            self._put(self.suggestion)
            self.set_suggestion(None)

    def action_history(self, step: int) -> None:
        """``step`` 1: the search before the one in the box (the newest first); -1: the
        one after it, and after the newest the text that was being typed."""
        entries = self.history.entries
        if not self._walking():
            if step < 0 or not entries:
                self.app.bell()
                return
            self._walk, self._draft = -1, self.value
        assert self._walk is not None
        index = self._walk + step
        if index >= len(entries):
            self.app.bell()  # the oldest is in the box already
            return
        if index < 0:
            self._walk = None
            self._put(self._draft)
            return
        self._walk = index
        self._shown = entries[index]
        self._put(entries[index])

    def _put(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)
