"""The countdown shown when quitting while changes are not on disk yet.

Quitting never waits without limit and never without saying why: this screen names the
changes still pending (the database is busy in another process, the disk is full, …),
counts down :data:`QUIT_SECONDS`, and quits as soon as they are written or when the
count reaches zero. ``q``/``ctrl+c`` quit at once, Escape goes back to Reader (the writer
keeps retrying). What is still unsaved when the app ends is printed by
:func:`reader.tui.run` after the terminal is restored, so it stays readable.
"""

from __future__ import annotations

from time import monotonic

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.text import strip_unsafe
from reader.tui.keymap import binding_source
from reader.tui.state import StateWriter

QUIT_SECONDS = 10.0
_TICK = 0.25


@binding_source(None)
class QuitScreen(ModalScreen[None]):
    """Wait for pending writes with a visible countdown and a way out."""

    DEFAULT_CSS = """
    QuitScreen { align: center middle; background: $background 60%; }
    QuitScreen #quit { width: 80; max-width: 100%; height: auto; padding: 1 2; border: thick $error; background: $surface; }
    QuitScreen #quit-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("q", "app.quit", "Quit now", id="quit_now"),
        Binding("escape", "back", "Back to Reader", id="quit_cancel"),
    ]

    def __init__(self, writer: StateWriter) -> None:
        super().__init__()
        self._writer = writer
        self._deadline = monotonic() + QUIT_SECONDS

    def compose(self) -> ComposeResult:
        with Vertical(id="quit"):
            yield Static(id="quit-text")  # safe: filled with Content(strip_unsafe(...))
            yield Static(Content("q or ctrl+c: quit now and lose these changes · Escape: back to Reader (keeps retrying)"), id="quit-keys")

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(_TICK, self._tick)

    def _tick(self) -> None:
        unsaved = self._writer.unsaved()
        left = self._deadline - monotonic()
        if not unsaved or left <= 0:
            self.app.exit()
            return
        reason = next((u.reason for u in reversed(unsaved) if u.reason), "writing")
        lines = [
            f"Saving {len(unsaved)} change{'s' if len(unsaved) != 1 else ''} before quitting ({reason}).",
            f"Quitting in {int(left) + 1} s; not saved yet, lost if still pending then:",
            *(f"  • {u.describe()}" for u in unsaved[:8]),
        ]
        if len(unsaved) > 8:
            lines.append(f"  … and {len(unsaved) - 8} more")
        self.query_one("#quit-text", Static).update(Content(strip_unsafe("\n".join(lines))))

    def action_back(self) -> None:
        self.dismiss(None)
