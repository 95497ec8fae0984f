"""A one-line prompt whose Enter and Escape keep the order of the keys typed around them.

Textual gives a key to the focused widget's queue and goes on to the next key at once;
a prompt closed by a key its Input handles (Enter) was still on top when the keys typed
right after it arrived, so those went to the closing Input and were lost: "name, Enter,
B" saved the search and dropped the B meant for the list. Here Enter is a priority
binding of the prompt: it submits after the keys already given to the Input (a callback
queued behind them), and the app holds every key typed meanwhile
(:meth:`reader.tui.app.ReaderApp.on_event`), to replay them once the prompt has
answered, to the screen below if it closed, to the prompt if it stayed (a path refused,
"Enter again to replace it"). Escape, which throws the text away, closes at once.
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input

from reader.tui.keymap import binding_source

ResultT = TypeVar("ResultT")


@binding_source(None)
class OrderedPrompt(ModalScreen[ResultT]):
    """A modal with one :class:`~textual.widgets.Input`; subclasses answer in :meth:`submit`
    and bind Escape (a priority binding, under an id of their own) to ``cancel``."""

    BINDINGS = [Binding("enter", "submit_in_order", "Confirm", show=False, priority=True, id="confirm_prompt")]

    holding_keys = False
    """True between Enter and the prompt's answer: the app holds the keys typed then."""

    def submit(self, value: str) -> None:
        """Answer the Enter on ``value``: :meth:`dismiss`, or stay open and say why."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit_in_order(self) -> None:
        field = self.focused
        if not isinstance(field, Input):
            return
        self.holding_keys = True
        field.call_later(self._submit_now, field)  # after the keys the Input has yet to handle

    def _submit_now(self, field: Input) -> None:
        try:
            self.submit(field.value)
        finally:
            self.holding_keys = False
            self.app.release_keys()  # type: ignore[attr-defined]  # ReaderApp's
