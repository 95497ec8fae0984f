"""The trash, from the palette ("Show trash"): the deleted articles, restored with Enter.

Each line names the article (its title is article data: Content, never markup), its
source, when it was deleted and how many days are left before the trash lets go of it.
Enter or ``r`` restores the highlighted one with its bookmark, read mark, place and
highlights; ``E`` empties the trash after a confirmation; Escape closes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.model import date_of
from reader.trash import TRASH_DAYS, TrashedArticle
from reader.tui.format import plural, quoted
from reader.tui.keymap import binding_source
from reader.tui.messages import ReloadLibrary
from reader.tui.wording import error_sentence

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


def days_left(article: TrashedArticle, now: datetime) -> int:
    """Days until the trash lets go of ``article``, counted up: 30 just after deleting it."""
    return max(0, math.ceil((datetime.fromisoformat(article.expires_at) - now).total_seconds() / 86400))


@binding_source(None)
class TrashScreen(ModalScreen[None]):
    """The articles in the trash; restore one, or empty it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="close_trash"),
        Binding("r", "restore", "Restore", id="restore_article"),
        Binding("E", "empty", "Empty the trash", id="empty_trash"),
    ]
    DEFAULT_CSS = """
    TrashScreen { align: center middle; background: $background 60%; }
    TrashScreen #prompt {
        width: 100; max-width: 100%; height: auto; max-height: 90%;
        padding: 1 2; border: thick $primary; background: $surface;
    }
    TrashScreen #prompt-title { text-style: bold; margin-bottom: 1; }
    TrashScreen #trash-options { height: auto; max-height: 30; }
    TrashScreen #prompt-hint { color: $text-muted; margin-top: 1; }
    """

    if TYPE_CHECKING:
        @property
        def app(self) -> ReaderApp: ...  # type: ignore[override]

    def __init__(self, trashed: list[TrashedArticle]) -> None:
        super().__init__()
        self._trashed = trashed

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Static(id="prompt-title")  # safe: filled with Content
            yield OptionList(id="trash-options")  # safe: Options of Content
            yield Static(  # safe: Content
                Content(f"Enter or r restores · E empties the trash for good · Escape closes. "
                        f"Articles stay {TRASH_DAYS} days."),
                id="prompt-hint",
            )

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        now = self.app.library.clock()
        title = f"Trash ({plural(len(self._trashed), 'article')})" if self._trashed else "The trash is empty."
        self.query_one("#prompt-title", Static).update(Content(title))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(self._prompt(t, now), id=t.id) for t in self._trashed])  # safe: Content
        if self._trashed:
            options.highlighted = 0
        options.focus()

    @staticmethod
    def _prompt(article: TrashedArticle, now: datetime) -> Content:
        left = days_left(article, now if now.tzinfo else now.replace(tzinfo=UTC))
        meta = " · ".join(p for p in (article.source, f"deleted {date_of(article.deleted_at)}",
                                      f"emptied in {plural(left, 'day')}") if p)
        return Content.assemble(Content(" ".join(article.title.split()) or article.id[:8]).stylize("bold"), "\n", (meta, "dim"))

    def _current(self) -> TrashedArticle | None:
        index = self.query_one(OptionList).highlighted
        return self._trashed[index] if index is not None and 0 <= index < len(self._trashed) else None

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        article = self._current()
        if article is None:
            return
        if self.app.library.read_only:
            self.app.tell_read_only()
            return

        def restored(_: object) -> None:
            self._trashed = [t for t in self._trashed if t.id != article.id]
            self._show()
            self.app.say(f"Restored {quoted(article.title)}.")
            self.app.post_message(ReloadLibrary())

        self.app.run_task("Restoring an article", lambda _progress: self.app.library.restore([article.id]), restored)

    def action_empty(self) -> None:
        if self._trashed:
            empty_trash(self.app, then=self._emptied)

    def _emptied(self, _: int) -> None:
        self._trashed = []
        self._show()

    def action_close(self) -> None:
        self.dismiss(None)


def show_trash(app: ReaderApp) -> None:
    """The palette's "Show trash"."""
    try:
        trashed = app.library.trash()
    except ReaderError as error:
        app.say(f"The trash cannot be read: {error_sentence(error)}", severity="error")
        return
    app.push_screen(TrashScreen(trashed))


def empty_trash(app: ReaderApp, then: Callable[[int], None] | None = None) -> None:
    """The palette's "Empty trash": asks first (it cannot be undone), then empties."""
    from reader.tui.screens.confirm import ConfirmScreen

    try:
        count = len(app.library.trash())
    except ReaderError as error:
        app.say(f"The trash cannot be read: {error_sentence(error)}", severity="error")
        return
    if not count:
        app.say("The trash is empty.")
        return
    if app.library.read_only:
        app.tell_read_only()
        return

    def done(emptied: int) -> None:
        app.say(f"Emptied the trash: {plural(emptied, 'article')} deleted for good.")
        app.post_message(ReloadLibrary())  # the status line's trash count
        if then is not None:
            then(emptied)

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_task("Emptying the trash", lambda _progress: app.library.empty_trash(), done)

    question = f"Empty the trash? {plural(count, 'article')} will be deleted for good."
    detail = "This cannot be undone. Their highlights and notes are kept; feeds do not bring them back."
    app.push_screen(ConfirmScreen(question, detail, "Empty the trash"), answered)
