"""Highlights and notes in the reader: visual mode, the note dialog, the highlight lists.

Visual mode (``v`` by sentence, ``V`` by line, or a drag of the mouse, which is also
Textual's text selection that ctrl+c copies) selects a passage
of the article; the scroll keys (``j``/``k``, arrows) move its end by a sentence or a
line; ``h`` highlights it, ``a`` highlights it with a note; Escape leaves the mode.
Sentences come from :func:`reader.importers.sentences.sentence_spans` and never run
over a block; lines are the lines on screen at the current width.

The selection and the highlights are offsets into the article's text as the reader
shows it (:func:`reader.highlights.article_text`), drawn over the text by the body
widget in a style (:meth:`ArticleBody.set_marks`): nothing is ever written into the text.

``H`` lists the article's highlights (Enter jumps to one, ``e`` edits its note, ``d``
twice deletes it); the palette's "Highlights and notes" lists every highlight of the
library and opens the article at the one chosen (:class:`HighlightList`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.highlights import ArticleText, Highlight
from reader.tui.format import quoted
from reader.tui.keymap import binding_source
from reader.tui.keys import key_label
from reader.tui.screens.ordered_prompt import OrderedPrompt
from reader.tui.widgets.article_view import ArticleBody, LineKind, Match
from reader.tui.wording import error_sentence

if TYPE_CHECKING:
    from reader.model import Article
    from reader.tui.app import ReaderApp
    from reader.tui.screens.base import ReaderScreen
    from reader.tui.widgets.page_scroll import PageScroll

class SelectBy(StrEnum):
    """What a visual-mode selection moves by. Its value is the argument of the ``visual``
    action in the key bindings (``visual('line')``), so a binding names one of these."""

    SENTENCE = "sentence"
    LINE = "line"
    MOUSE = "mouse"  # a drag: the span is exact; the scroll keys go on by sentences


SENTENCE, LINE = SelectBy.SENTENCE, SelectBy.LINE  # the names the article screen's bindings use


@dataclass(frozen=True)
class Visual:
    """A selection being made: by what it moves, the offset it started at (``anchor``)
    and where its moving end is (``cursor``); a mouse selection is ``span`` exactly."""

    by: SelectBy
    anchor: int
    cursor: int
    span: tuple[int, int] | None = None


def unit_at(units: list[tuple[int, int]], offset: int) -> int:
    """The index of the unit (sentence, line) holding ``offset``, else the next one."""
    if not units:
        return -1
    index = bisect.bisect_right([start for start, _ in units], offset) - 1
    if index < 0:
        return 0
    if offset >= units[index][1] and index + 1 < len(units):
        return index + 1
    return index


def selected_span(visual: Visual, units: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The ``(start, end)`` a selection covers now."""
    if visual.span is not None:
        return visual.span
    if not units:
        return None
    first, last = units[unit_at(units, visual.anchor)], units[unit_at(units, visual.cursor)]
    return min(first[0], last[0]), max(first[1], last[1])


def view_marks(
    text: ArticleText, view_index: list[int], highlights: list[Highlight], selection: tuple[int, int] | None
) -> dict[int, list[tuple[int, int, str]]]:
    """Highlights (and the selection, drawn over them) as runs of the screen's blocks.

    ``view_index[i]`` is the screen block that shows block ``i`` of ``text`` (the screen
    has blocks of its own, such as a note that the body was cut). Orphaned highlights are
    not in the text, so not drawn; the list shows them.
    """
    marks: dict[int, list[tuple[int, int, str]]] = {}

    def add(start: int, end: int, component: str) -> None:
        first, _ = text.locate(start)
        last, _ = text.locate(max(start, end - 1))
        for block in range(first, last + 1):
            if block >= len(view_index):
                return
            block_start = text.starts[block]
            a = max(start, block_start) - block_start
            b = min(end, block_start + len(text.blocks[block])) - block_start
            if a < b:
                marks.setdefault(view_index[block], []).append((a, b, component))

    for highlight in highlights:
        if not highlight.orphaned:
            add(highlight.start, highlight.end, "noted" if highlight.note else "highlight")
    if selection is not None:
        add(*selection, "selection")
    return marks


def _passage(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@binding_source(None)
class NotePrompt(OrderedPrompt[str | None]):
    """Write the note of a highlight: Enter keeps it, Escape leaves it as it was."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True, id="cancel_note")]
    DEFAULT_CSS = """
    NotePrompt { align: center middle; background: $background 60%; }
    NotePrompt #prompt {
        width: 90; max-width: 100%; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    NotePrompt #prompt-title { text-style: bold; margin-bottom: 1; }
    NotePrompt #note-passage { color: $text-muted; margin-bottom: 1; }
    NotePrompt #prompt-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, passage: str, note: str = "") -> None:
        super().__init__()
        self._passage = passage
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Static(Content("Note on the highlight"), id="prompt-title")
            yield Static(Content(f"“{_passage(self._passage, 300)}”"), id="note-passage")
            yield Input(value=self._note, placeholder="your note (empty: no note)", id="prompt-input")
            yield Static(Content("Enter keeps the note, Escape cancels."), id="prompt-hint")

    def submit(self, value: str) -> None:
        self.dismiss(value)



@binding_source(None)
class HighlightList(ModalScreen[tuple[str, Highlight] | None]):
    """Highlights to choose from: returns ``("go" | "note" | "delete", highlight)``.

    ``titles`` (article id -> title) makes it the library's list, a heading per article.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="close_highlights"),
        Binding("e", "choose('note')", "Edit the note", id="edit_note"),
        Binding("d", "choose('delete')", "Delete (press twice)", id="delete_highlight"),
    ]
    DEFAULT_CSS = """
    HighlightList { align: center middle; background: $background 60%; }
    HighlightList #prompt {
        width: 100; max-width: 100%; height: auto; max-height: 90%;
        padding: 1 2; border: thick $primary; background: $surface;
    }
    HighlightList #prompt-title { text-style: bold; margin-bottom: 1; }
    HighlightList #highlight-options { height: auto; max-height: 30; }
    HighlightList #prompt-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, highlights: list[Highlight], titles: dict[str, str] | None = None) -> None:
        super().__init__()
        self._title = title
        self._highlights = highlights
        self._titles = titles
        self._deleting: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Static(Content(self._title), id="prompt-title")
            options = [Option(self._prompt(h), id=h.id) for h in self._highlights]  # safe: _prompt builds Content
            yield OptionList(*options, id="highlight-options")  # safe: Options of Content
            yield Static(Content("Enter goes to it · e edits its note · d twice deletes it · Escape closes"), id="prompt-hint")

    def _prompt(self, highlight: Highlight) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        if self._titles is not None:
            title = self._titles.get(highlight.article_id) or f"article {highlight.article_id[:8]} (no longer in the library)"
            parts += [Content(_passage(title, 100)).stylize("bold"), "\n"]
        parts.append(Content(f"“{_passage(highlight.text)}”"))
        if highlight.orphaned:
            parts.append(("  (no longer in the text)", "italic $text-warning"))
        if highlight.note:
            parts += ["\n", Content("✎ " + _passage(highlight.note)).stylize("dim")]
        return Content.assemble(*parts)

    def _current(self) -> Highlight | None:
        index = self.query_one(OptionList).highlighted
        return self._highlights[index] if index is not None and 0 <= index < len(self._highlights) else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(("go", self._highlights[event.option_index]))

    def action_choose(self, what: str) -> None:
        highlight = self._current()
        if highlight is None:
            return
        if what == "delete" and self._deleting != highlight.id:
            self._deleting = highlight.id
            hint = "Press d again to delete this highlight" + (" and its note." if highlight.note else ".")
            self.query_one("#prompt-hint", Static).update(Content(hint).stylize("bold"))
            return
        self.dismiss((what, highlight))

    def action_cancel(self) -> None:
        self.dismiss(None)


class HighlightsLoaded(Message):
    """The article's text and highlights, read (and re-anchored) in a worker."""

    def __init__(self, article_id: str, text: ArticleText, highlights: list[Highlight]) -> None:
        super().__init__()
        self.article_id = article_id
        self.text = text
        self.highlights = highlights


if TYPE_CHECKING:
    _Screen = ReaderScreen[None]  # to the type checker, the mixin is the screen it is part of
else:
    _Screen = object


class HighlightActions(_Screen):
    """The article screen's part for highlights (a mixin of ArticleScreen; see the module doc)."""

    if TYPE_CHECKING:
        body: ArticleBody
        scroller: PageScroll
        _article: Article | None

        def _set_status(self, text: str) -> None: ...
        def _scroll_to_line(self, line: int) -> None: ...

    _text: ArticleText | None = None
    _marked: list[Highlight] = []
    _visual: Visual | None = None
    _view_index: list[int] = []
    _jump_to: str | None = None  # a highlight to bring into view once they are read
    _note_after_jump = False  # and to write the note of (the library's list, e)

    def _key(self, binding_id: str) -> str:
        """The key of a binding as mapped now."""
        return key_label(self, binding_id)

    # -- reading them --------------------------------------------------------------------

    def _start_highlights(self, article: Article) -> None:
        self._text, self._marked, self._visual = None, [], None
        self._view_index = [i for i, block in enumerate(self.body.blocks) if block.kind != LineKind.NOTE]
        self._read_highlights(article)

    @work(thread=True, exclusive=True, group="marks", exit_on_error=False)
    def _read_highlights(self, article: Article) -> None:
        from reader.highlights import article_text

        text = article_text(article.body, article.summary)
        try:
            found = self.app.library.highlights(article.id)
        except ReaderError:
            found = []  # the text still shows; the list will say what is wrong
        self.post_message(HighlightsLoaded(article.id, text, found))
        # The sentence rules live in reader.importers, which loads every importer (0.8 s):
        # loaded here, in the background, rather than on the first press of v.
        from reader.importers import sentences  # noqa: F401

    def on_highlights_loaded(self, message: HighlightsLoaded) -> None:
        if self._article is None or message.article_id != self._article.id:
            return
        self._text, self._marked = message.text, message.highlights
        self._draw_marks()
        if self._jump_to is not None:
            wanted = next((h for h in self._marked if h.id == self._jump_to), None)
            self._jump_to = None
            if wanted is not None:
                self.call_after_refresh(self._show_highlight, wanted)
                if self._note_after_jump:
                    self._edit_note(wanted)
        self.refresh_bindings()

    def _draw_marks(self) -> None:
        """Draw the highlights and the selection (again: set_blocks forgets them)."""
        if self._text is None:
            return
        self._view_index = [i for i, block in enumerate(self.body.blocks) if block.kind != LineKind.NOTE]
        selection = selected_span(self._visual, self._units()) if self._visual else None
        self.body.set_marks(view_marks(self._text, self._view_index, self._marked, selection))

    # -- visual mode ---------------------------------------------------------------------

    def _units(self) -> list[tuple[int, int]]:
        text = self._text
        if text is None or self._visual is None:
            return []
        if self._visual.by is SelectBy.LINE:
            text_of = {view: block for block, view in enumerate(self._view_index)}
            units = []
            for view, start, end in self.body.lines():
                block = text_of.get(view)
                if block is not None and block < len(text.blocks):
                    line = text.blocks[block][start:end].rstrip()
                    if line.strip():
                        units.append((text.offset(block, start), text.offset(block, start + len(line))))
            return units
        return text.sentences()

    def _top_offset(self) -> int:
        """Where visual mode starts: the selected link, or the line at the top of the view."""
        body, text = self.body, self._text
        assert text is not None
        link = body.selected_link
        top = max(0, int(self.scroller.scroll_y - body.virtual_region.y))
        place = Match(link.block, link.start, link.start) if link else body.anchor_at(top)
        if place is None:
            return 0
        later = [block for block, view in enumerate(self._view_index) if view >= place.block]
        if not later:
            return len(text.text)
        block = later[0]
        offset = place.start if self._view_index[block] == place.block else 0
        return text.offset(block, min(offset, len(text.blocks[block])))

    def action_visual(self, by: str) -> None:
        """Start selecting by ``by`` (a :class:`SelectBy` value, from the binding's action)."""
        kind = SelectBy(by)
        if self._text is None or not self._text.text.strip():
            self.app.say("Nothing to select yet." if self._text is None else "This page has no text to select.")
            return
        start = self._top_offset()
        self._visual = Visual(kind, start, start)
        units = self._units()
        if not units:
            self._visual = None
            return
        first = units[unit_at(units, start)][0]
        self._visual = Visual(kind, first, first)
        self._after_move()
        self.refresh_bindings()

    def _move_selection(self, step: int) -> None:
        visual = self._visual
        assert visual is not None
        if visual.span is not None:  # from the mouse: go on by sentences from its ends
            visual = Visual(SelectBy.SENTENCE, visual.span[0], max(visual.span[0], visual.span[1] - 1))
            self._visual = visual
        units = self._units()
        index = max(0, min(len(units) - 1, unit_at(units, visual.cursor) + step))
        self._visual = Visual(visual.by, visual.anchor, units[index][0])
        self._after_move()

    def _after_move(self) -> None:
        self._draw_marks()
        visual, text = self._visual, self._text
        assert visual is not None and text is not None
        span = selected_span(visual, self._units())
        if span is None:
            return
        cursor = visual.cursor if visual.span is None else span[1]
        block, offset = text.locate(cursor)
        if block < len(self._view_index):
            self._scroll_to_line(self.body.line_of(Match(self._view_index[block], offset, offset)))
        # Short enough for 80 columns: the footer has no room for these keys there.
        what = {SelectBy.SENTENCE: "sentences", SelectBy.LINE: "lines", SelectBy.MOUSE: "with the mouse"}[visual.by]
        self._set_status(
            f"Selecting {what} · {self._key('scroll_down')}/{self._key('scroll_up')} extend · "
            f"{self._key('highlight')} highlight · {self._key('highlight_note')} with note · "
            f"{self._key('back')} cancels"
        )

    def _leave_visual(self, status: str = "") -> None:
        self._visual = None
        self.clear_selection()  # the mouse's selection was this passage: it goes with it
        self._draw_marks()
        self._set_status(status)
        self.refresh_bindings()

    def on_article_body_dragged(self, message: ArticleBody.Dragged) -> None:
        text = self._text
        if text is None:
            return
        text_of = {view: block for block, view in enumerate(self._view_index)}
        ends = []
        for place in (message.start, message.end):
            block = text_of.get(place.block)
            if block is None:
                return
            ends.append(text.offset(block, place.start))
        start, end = _whole_words(text.text, min(ends), max(ends))
        if start >= end:
            return
        self._visual = Visual(SelectBy.MOUSE, start, end, (start, end))
        self._after_move()
        self.refresh_bindings()

    def action_highlight(self, with_note: bool) -> None:
        visual, text, article = self._visual, self._text, self._article
        if visual is None or text is None or article is None:
            return
        span = selected_span(visual, self._units())
        if span is None:
            return
        try:
            made = self.app.library.add_highlight(article.id, *span)
        except (ReaderError, ValueError) as error:
            self.app.say(f"Not highlighted: {error_sentence(error) if isinstance(error, ReaderError) else 'nothing is selected'}", severity="error")
            return
        self._marked = sorted([*self._marked, made], key=lambda h: h.start)
        self._leave_visual(f"Highlighted. {self._key('list_highlights')} lists the highlights of this article.")
        if with_note:
            self._edit_note(made)

    # -- notes and the list --------------------------------------------------------------

    def _edit_note(self, highlight: Highlight) -> None:
        def written(note: str | None) -> None:
            if note is None:
                return
            try:
                changed = self.app.library.set_highlight_note(highlight.id, note)
            except ReaderError as error:
                self.app.say(f"The note was not saved: {error_sentence(error)}", severity="error")
                return
            self._marked = [changed if h.id == changed.id else h for h in self._marked]
            self._draw_marks()
            self._set_status("Note saved." if changed.note else "Note removed.")

        self.app.push_screen(NotePrompt(highlight.text, highlight.note), written)

    def action_list_highlights(self) -> None:
        if not self._marked:
            self.app.say(f"No highlights in this article yet: {self._key('visual_select')} selects a passage, {self._key('highlight')} highlights it.")
            return
        self.app.push_screen(HighlightList("Highlights of this article", list(self._marked)), self._chosen)

    def _chosen(self, choice: tuple[str, Highlight] | None) -> None:
        if choice is None:
            return
        what, highlight = choice
        if what == "go":
            self._show_highlight(highlight)
        elif what == "note":
            self._edit_note(highlight)
        elif what == "delete":
            try:
                self.app.library.remove_highlight(highlight.id)
            except ReaderError as error:
                self.app.say(f"The highlight was not deleted: {error_sentence(error)}", severity="error")
                return
            self._marked = [h for h in self._marked if h.id != highlight.id]
            self._draw_marks()
            self._set_status(f"Deleted the highlight {quoted(highlight.text, 40)}.")

    def _show_highlight(self, highlight: Highlight) -> None:
        text = self._text
        if text is None:
            return
        if highlight.orphaned:
            self._set_status(f"This passage is no longer in the article: {quoted(highlight.text)}")
            return
        block, offset = text.locate(highlight.start)
        if block < len(self._view_index):
            line = self.body.line_of(Match(self._view_index[block], offset, offset))
            self.scroller.scroll_to(y=max(0, self.body.virtual_region.y + line - 2), animate=False)
        note = f" · ✎ {quoted(highlight.note)}" if highlight.note else ""
        self._set_status(f"Highlight {quoted(highlight.text, 40)}{note}")


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A mouse selection widened to the words it cuts and trimmed of spaces."""
    while start > 0 and not text[start - 1].isspace() and start < len(text) and not text[start].isspace():
        start -= 1
    while end < len(text) and end > 0 and not text[end - 1].isspace() and not text[end].isspace():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def open_library_highlights(app: ReaderApp) -> None:
    """The palette's "Highlights and notes": every highlight; the one chosen opens its article."""
    from reader.tui.screens.article import ArticleScreen

    try:
        found = app.library.highlights()
        titles = {}
        for article_id in dict.fromkeys(h.article_id for h in found):
            try:
                titles[article_id] = app.library.get(article_id).title
            except ReaderError:
                pass  # removed: listed as such
    except ReaderError as error:
        app.say(f"The highlights cannot be read: {error_sentence(error)}", severity="error")
        return
    if not found:
        app.say("No highlights yet: open an article, select a passage with v and highlight it with h.")
        return

    def chosen(choice: tuple[str, Highlight] | None) -> None:
        if choice is None:
            return
        what, highlight = choice
        if what == "delete":
            app.library.remove_highlight(highlight.id)
            app.say(f"Deleted the highlight {quoted(highlight.text, 40)}.")
        elif highlight.article_id in titles:
            app.push_screen(ArticleScreen(highlight.article_id, highlight=highlight.id, edit_note=what == "note"))
        else:
            app.say("That article is no longer in the library; `reader highlights` still lists the passage.")

    app.push_screen(HighlightList(f"Highlights and notes ({len(found)})", found, titles), chosen)
