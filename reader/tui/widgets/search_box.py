"""The search box on top of the library: an Input that can take a "did you mean".

When a search finds nothing and the index suggests a spelling, the library screen sets
:attr:`SearchBox.suggestion`; Tab then replaces the query with it. Without a suggestion
the Tab binding steps aside and Tab moves the focus as usual.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from reader.tui.keymap import binding_source


@binding_source('Search box')
class SearchBox(Input):
    """The query input; Escape and Enter are handled by the library screen."""

    BINDINGS = [
        Binding("tab", "take_suggestion", "Take “did you mean”", id="take_suggestion"),
        Binding("down", "app.focus_next", "To the list", show=False, id="search_to_list"),
    ]

    def __init__(self) -> None:
        super().__init__(placeholder="/ to search: words, \"a phrase\", harb*, title:…   ? for help", id="search")
        self.suggestion: str | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_suggestion":
            return bool(self.suggestion)
        return super().check_action(action, parameters)

    def set_suggestion(self, suggestion: str | None) -> None:
        """Offer (or withdraw) a "did you mean". The footer's keys are refreshed only when
        that changes: refreshing them recomposes the Footer, which on every keystroke
        took more of the UI thread than the search itself."""
        if suggestion == self.suggestion:
            return
        self.suggestion = suggestion
        self.refresh_bindings()

    def action_take_suggestion(self) -> None:
        if self.suggestion:
            self.value = self.suggestion
            self.cursor_position = len(self.value)
            self.set_suggestion(None)
