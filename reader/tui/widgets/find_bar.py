"""Find in the article: the bar docked under the text, and the search it runs.

``/`` in the reader opens the bar; each key typed searches the text again and moves to
the first match from where the reading was when the bar opened; Enter closes the bar
and keeps the matches (``n``/``N`` step through them), Escape closes it and clears them.

The search is a plain substring search, case-insensitive and accent-folding like the
search's highlights (``cafe`` finds "Café", ``strasse`` finds "Straße"): each block's
text is folded once (:class:`Finder`, with a map back to the original offsets) and every
keystroke is then one ``str.find`` loop per block, a few milliseconds on a 4,300-word
article.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from reader.text import fold_accents
from reader.tui.keymap import binding_source
from reader.tui.keys import key_label
from reader.tui.widgets.article_view import Block, Match

MAX_FOUND = 10_000
"""Matches kept for one needle (a single letter in a long article): more are not shown."""


def fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` case- and accent-folded, and for each folded character the offset of the
    character of ``text`` it comes from (None: the same offsets, as for ASCII)."""
    if text.isascii():
        return text.lower(), None
    pieces: list[str] = []
    origin: list[int] = []
    for offset, char in enumerate(text):
        folded = fold_accents(char).casefold() if not char.isascii() else char.lower()
        pieces.append(folded)
        origin.extend([offset] * len(folded))
    return "".join(pieces), origin


def fold_needle(needle: str) -> str:
    return fold_accents(needle).casefold()


class Finder:
    """The folded texts of an article's blocks, folded on the first search."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self._blocks = blocks
        self._folded: list[tuple[str, list[int] | None]] | None = None

    def find(self, needle: str) -> list[Match]:
        """Every place ``needle`` occurs, in reading order (at most :data:`MAX_FOUND`)."""
        wanted = fold_needle(needle)
        if not wanted.strip():
            return []
        if self._folded is None:
            self._folded = [fold(block.text) for block in self._blocks]
        found: list[Match] = []
        for index, (text, origin) in enumerate(self._folded):
            at = text.find(wanted)
            while at >= 0:
                end = at + len(wanted)
                if origin is None:
                    found.append(Match(index, at, end))
                else:
                    found.append(Match(index, origin[at], origin[end - 1] + 1))
                if len(found) >= MAX_FOUND:
                    return found
                at = text.find(wanted, end)
        return found


@binding_source("Reading")
class FindBar(Horizontal):
    """An Input and the count of matches ("3/12"); hidden until ``/``."""

    DEFAULT_CSS = """
    FindBar { height: 1; display: none; background: $panel; }
    FindBar #find-label { width: auto; padding: 0 1; text-style: bold; }
    FindBar #find-input { width: 1fr; height: 1; border: none; padding: 0; background: $panel; }
    FindBar #find-count { width: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Close the find bar, clear its matches", show=False, id="close_find")]

    class Changed(Message):
        """The text to find changed (typed)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Closed(Message):
        """The bar closed: with Enter (``keep``: the matches stay) or Escape."""

        def __init__(self, keep: bool) -> None:
            super().__init__()
            self.keep = keep

    def compose(self) -> ComposeResult:
        yield Static(Content("Find:"), id="find-label")
        yield Input(id="find-input")
        yield Static(Content(""), id="find-count")

    def on_mount(self) -> None:
        close = key_label(self, "close_find")  # as mapped now
        self.input.placeholder = f"a word or phrase in this article · Enter keeps the matches, {close} clears them"

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    def show_count(self, text: str) -> None:
        """"3/12", "no match" or nothing."""
        self.query_one("#find-count", Static).update(Content(text))

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Closed(keep=True))

    def action_cancel(self) -> None:
        self.post_message(self.Closed(keep=False))
