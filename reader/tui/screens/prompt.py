"""A small dialog that asks for a path (import, export bookmarks).

It returns the text typed (Enter) or None (Escape) through ``dismiss``; the caller
decides what the path means.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.tui.keymap import binding_source


@binding_source(None)
class PathPrompt(ModalScreen[str | None]):
    """Ask for a file or folder path."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_prompt")]

    def __init__(self, title: str, hint: str, value: str = "") -> None:
        super().__init__()
        self._title = title
        self._hint = hint
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Static(self._title, id="prompt-title", markup=False)
            yield Input(value=self._value, placeholder="a path, e.g. ~/Downloads/articles", id="prompt-input")
            yield Static(self._hint + "\nEnter to confirm, Escape to cancel.", id="prompt-hint", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
