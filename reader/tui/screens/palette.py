"""The command palette, whose Enter runs the command shown for what was typed.

Textual's palette looks commands up in a worker, a while after each key, and its Enter
selects whatever the list shows at that moment. Typed in one go (ctrl+p, "import", Enter,
as a fast typist or a pasted line sends them), the list still showed the commands offered
before anything was typed, and Enter ran the first of them, Textual's "Maximize", which
hid the search box and the sources pane with no way back in the footer; the keys typed
after the Enter went into the palette's own box instead of the import prompt.

Here Enter is a priority binding: it waits until the palette has handled the keys typed
before it and its list shows the commands found for the whole of its text, then submits
as Textual does. It gives up (and submits on the list shown) only when nothing has moved
for :data:`ENTER_WAITS_AT_MOST` seconds: not a key's change handled, not a look-up
started or ended. The app
holds the keys typed after the Enter (:meth:`reader.tui.app.ReaderApp.release_keys_when_ready`)
until the screen the command opened, or the palette if nothing was chosen, can take them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from reader.tui.keymap import binding_source
from reader.tui.keys import KEYS_HELD_AT_MOST

if TYPE_CHECKING:
    from textual import getters

    from reader.tui.app import ReaderApp

_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)

ENTER_WAITS_AT_MOST = 3 * KEYS_HELD_AT_MOST
"""Seconds the palette's Enter waits for a look-up that does not move on, then submits on
the list shown (the keys after it are held meanwhile, Escape too: there must be an end).
Longer than the app's hold of keys for a screen: the first look-up of a session opens
the search index, and on a machine loaded by two test runs a bound of
KEYS_HELD_AT_MOST from the Enter was passed, and the Enter chose from a stale list."""


@binding_source(None)
class OrderedPalette(CommandPalette):
    """Textual's :class:`~textual.command.CommandPalette` with an Enter that keeps the
    order of the keys typed around it."""

    if TYPE_CHECKING:
        app = getters.app(ReaderApp)

    BINDINGS = [Binding("enter", "submit_in_order", "Run the command", show=False, priority=True, id="palette_submit")]

    holding_keys = False
    """True from Enter until the palette has answered it: the app holds the keys typed then."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Textual's own arguments
        self._searched = ""  # the text the last look-up was started for
        self._give_up: Timer | None = None

    @on(Input.Changed)
    def _remember_search(self, event: Input.Changed) -> None:
        # Runs before Textual's handler of the same message, which starts the look-up.
        self._searched = event.value
        self._moved()
        self.call_later(self._submit_if_current)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self._moved()
        self._submit_if_current()

    def _moved(self) -> None:
        """The look-up moved on: the give-up counts again from now."""
        if self._give_up is not None:
            self._give_up.reset()

    @on(Input.Submitted)
    def _answered(self, event: Input.Submitted) -> None:
        # Runs before Textual's handler. When it will choose a command, the palette
        # closes and the app releases the keys after the command has run (on
        # CommandPalette.Closed); when nothing can be chosen, the palette keeps them.
        if self.app.holding_until_ready and not self._will_choose():
            self.call_later(self.app.release_keys_when_ready)

    def _will_choose(self) -> bool:
        """Whether Textual's Enter picks a command from the list: the one highlighted,
        or the only one (never the disabled line that says nothing matched)."""
        commands = self.query_one(CommandList)
        at = commands.highlighted
        if at is None and commands.option_count == 1:
            at = 0
        return at is not None and not commands.get_option_at_index(at).disabled

    def action_submit_in_order(self) -> None:
        if self.holding_keys:
            return  # a second Enter before the first was answered: one submit is enough
        field = self.query_one(CommandInput)
        self.holding_keys = True
        self._give_up = self.set_timer(ENTER_WAITS_AT_MOST, self._submit)
        field.call_later(self._submit_if_current)  # after the keys the box has yet to handle

    def _list_is_current(self) -> bool:
        """Whether the list shows what the look-up found for the box's whole text."""
        if self._searched != self.query_one(CommandInput).value:
            return False  # a key's change is still on its way to the palette
        return not any(worker.node is self and worker.state in _BUSY for worker in self.app.workers)

    def _submit_if_current(self) -> None:
        if self.holding_keys and self._list_is_current():
            self._submit()

    def _submit(self) -> None:
        if not self.holding_keys:
            return
        self.holding_keys = False
        if self._give_up is not None:
            self._give_up.stop()
            self._give_up = None
        # The keys typed after this Enter wait for whatever screen it leads to.
        self.app.hold_keys_until_ready()
        field = self.query_one(CommandInput)
        field.call_later(field.action_submit)  # Textual's own Enter, on a current list
