"""A yes-or-no dialog for what cannot be undone from the screen (emptying the trash) or
touches many articles at once (removing every sample).

It returns True (``y`` or Enter on "Yes") or False (``n``, Escape) through ``dismiss``.
The question and the detail are Content: they may quote titles and counts, never markup.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from reader.tui.keymap import binding_source


@binding_source(None)
class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something big; No is the default."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; background: $background 60%; }
    ConfirmScreen #confirm { width: 70; max-width: 100%; height: auto; padding: 1 2; border: thick $warning; background: $surface; }
    ConfirmScreen #confirm-question { text-style: bold; }
    ConfirmScreen #confirm-detail { color: $text-muted; margin-top: 1; }
    ConfirmScreen #confirm-buttons { height: auto; margin-top: 1; }
    ConfirmScreen Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str, detail: str, yes: str = "Yes") -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Content(self._question), id="confirm-question")
            yield Static(Content(self._detail + "\ny: yes · n or Escape: no"), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(Content(self._yes), id="confirm-yes", variant="warning")
                yield Button(Content("No"), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
