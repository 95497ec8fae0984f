"""The article list: a virtual list that draws only the rows on screen.

It holds light rows (:class:`~reader.model.ArticleRow`, or :class:`~reader.model.SearchHit`
while searching) in a plain sequence and renders each visible line on demand through
Textual's Line API, caching one :class:`~textual.strip.Strip` per row line. There is never
one widget per article, so 100,000 rows cost a list of tuples and a few dozen strips.

Search hits take two lines: the title with the matched words marked, and the snippet.
All article text goes through :class:`rich.text.Text` built from plain strings, which
never parses markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import ArticleFlag, ArticleRow, SearchHit, date_of, with_flag
from reader.tui.format import one_line, text_strip
from reader.tui.keymap import binding_source

Entry = ArticleRow | SearchHit
"""What the list shows: both kinds carry id, title, source, published, language and flags."""

_SOURCE_WIDTH = 20
_DATE_WIDTH = 10
_LANG_WIDTH = 2


@binding_source('Library')
class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """A keyboard-driven list of articles; posts Highlighted and Selected messages."""

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--bookmark",
        "article-list--meta",
        "article-list--match",
        "article-list--snippet",
        "article-list--empty",
    }

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="up"),
        Binding("g,home", "first", "First", show=False, id="first"),
        Binding("G,end", "last", "Last", show=False, id="last"),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="half_page_down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="half_page_up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        # priority: bound as the key arrives, so that the keys typed after it wait for the
        # reader it opens ("⏎ j j" scrolls it); see action_select_in_order.
        Binding("enter", "select_in_order", "Open", id="open", priority=True),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    class Highlighted(Message):
        """The cursor moved to ``entry`` (None when the list is empty)."""

        def __init__(self, entry: Entry | None) -> None:
            super().__init__()
            self.entry = entry

    class Selected(Message):
        """The user chose ``entry`` (Enter or a click on the highlighted row)."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: Sequence[Entry] = ()
        self._row_height = 1
        self._empty_message = ""
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}
        self.selecting = False  # from Enter until the screen has opened the entry

    # -- the data ----------------------------------------------------------------------

    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    @property
    def entry(self) -> Entry | None:
        """The highlighted entry."""
        if 0 <= self.cursor < len(self._entries):
            return self._entries[self.cursor]
        return None

    @property
    def row_height(self) -> int:
        """Lines per entry: 2 for search hits (title and snippet), 1 for rows."""
        return self._row_height

    def set_entries(self, entries: Sequence[Entry], *, keep: str | None = None, empty_message: str = "") -> None:
        """Show ``entries``; the cursor stays on the article ``keep`` if it is still there, else the top."""
        self._entries = entries
        self._row_height = 2 if entries and isinstance(entries[0], SearchHit) else 1
        self._empty_message = empty_message
        self._strips.clear()
        self.virtual_size = Size(0, len(entries) * self._row_height)
        index = self.index_of(keep) if keep else None
        self.set_reactive(ArticleList.cursor, index or 0)  # no watcher: one Highlighted below
        if index is None:
            self.scroll_to(y=0, animate=False, immediate=True)
        else:
            self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self.entry))

    def index_of(self, article_id: str) -> int | None:
        for index, entry in enumerate(self._entries):
            if entry.id == article_id:
                return index
        return None

    def update_flag(self, article_id: str, flag: ArticleFlag, value: bool) -> None:
        """Show a changed bookmark or read flag at once (the store is written elsewhere)."""
        index = self.index_of(article_id)
        if index is None:
            return
        entries = list(self._entries)  # a copy: the caller's sequence is theirs
        entries[index] = with_flag(entries[index], flag, value)
        self._entries = entries
        self._forget_row(index)

    # -- keys --------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._entries) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._forget_row(old)
        self._forget_row(new)
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self.entry))

    def _scroll_to_cursor(self) -> None:
        top = self.cursor * self._row_height
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif height and top + self._row_height > self.scroll_y + height:
            self.scroll_to(y=top + self._row_height - height, animate=False, immediate=True)

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // self._row_height)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._entries) - 1

    def action_half_page_down(self) -> None:
        self.cursor += max(1, self._page_rows() // 2)

    def action_half_page_up(self) -> None:
        self.cursor -= max(1, self._page_rows() // 2)

    def action_page_down(self) -> None:
        self.cursor += self._page_rows()

    def action_page_up(self) -> None:
        self.cursor -= self._page_rows()

    def action_select(self) -> None:
        if self.entry is not None:
            self.post_message(self.Selected(self.entry))

    def action_select_in_order(self) -> None:
        """Enter: ``selecting`` at once (the library screen holds the keys typed from now
        on, until the reader has them), and the choice after the keys typed before it
        ("j j ⏎" opens the third row). As a plain binding, the keys after Enter had
        already been given to the list when it ran: "⏎ j j" moved the cursor under the
        reader instead of scrolling it."""
        self.selecting = True
        self.call_later(self._select_now)

    def _select_now(self) -> None:
        if self.entry is not None:
            self.post_message(self.Selected(self.entry))  # the screen ends the hold once it opened it
            return
        self.selecting = False
        release = getattr(self.app, "release_keys", None)  # ReaderApp's; nothing to open here
        if release is not None:
            release()

    def on_click(self, event: events.Click) -> None:
        index = (event.y + int(self.scroll_y)) // self._row_height
        if not 0 <= index < len(self._entries):
            return
        if index == self.cursor:
            self.action_select()
        else:
            self.cursor = index

    # -- drawing -----------------------------------------------------------------------

    def on_focus(self) -> None:
        self._forget_all()

    def on_blur(self) -> None:
        self._forget_all()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_all()

    def _forget_all(self) -> None:
        self._strips.clear()
        self._styles.clear()
        self.refresh()

    def _style(self, name: str) -> Style:
        """The base style (``""``) or a component's partial style, cached until styles change.

        Resolving styles walks the CSS each time; a screenful of rows asks dozens of times.
        """
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if not name else self.get_component_rich_style(f"article-list--{name}", partial=name != "cursor")
            self._styles[name] = style
        return style

    def _forget_row(self, index: int) -> None:
        for line in range(self._row_height):
            self._strips.discard((index, line))
        self.refresh_lines(index * self._row_height, self._row_height)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style("")
        line_no = y + int(self.scroll_y)
        if not self._entries:
            if y == 1 and self._empty_message:
                message = Text(self._empty_message, style=base + self._style("empty"), end="")
                message.align("center", width)
                return text_strip(message, self.app.console).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        index, line = divmod(line_no, self._row_height)
        if index >= len(self._entries):
            return Strip.blank(width, base)
        key = (index, line)
        strip = self._strips.get(key)
        if strip is None or strip.cell_length != width:
            text = self._title_line(index, width) if line == 0 else self._snippet_line(index, width)
            strip = text_strip(text, self.app.console).adjust_cell_length(width, self._line_style(index))
            self._strips[key] = strip
        return strip

    def _line_style(self, index: int) -> Style:
        return self._style("") + self._style("cursor") if index == self.cursor else self._style("")

    def _title_line(self, index: int, width: int) -> Text:
        entry = self._entries[index]
        line = Text(style=self._line_style(index), no_wrap=True, end="")
        line.append(" •" if not entry.read else "  ", self._style("unread"))
        line.append(" ★ " if entry.bookmarked else "   ", self._style("bookmark"))
        meta_style = self._style("meta")
        meta = Text(no_wrap=True, end="")
        if width >= 70:
            source_width = min(_SOURCE_WIDTH, width // 5)
            source = one_line(entry.source) or "—"  # unknown, said as such rather than a blank
            source = source if len(source) <= source_width else source[: source_width - 1] + "…"
            meta.append(source.ljust(source_width) + "  ", meta_style)
        if width >= 50:
            meta.append((date_of(entry.published) or "undated").ljust(_DATE_WIDTH) + "  ", meta_style)
        meta.append(entry.language.upper()[:_LANG_WIDTH].ljust(_LANG_WIDTH) + " ", meta_style)
        title = Text(one_line(entry.title), no_wrap=True, end="")
        if entry.read:
            title.stylize(meta_style + Style(bold=False))
        else:
            title.stylize(Style(bold=True))
        if isinstance(entry, SearchHit):
            match_style = self._style("match")
            for start, end in entry.title_matches:
                title.stylize(match_style, start, end)
        title_width = max(4, width - line.cell_len - meta.cell_len - 1)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line.append_text(title)
        line.append(" ")
        line.append_text(meta)
        return line

    def _snippet_line(self, index: int, width: int) -> Text:
        entry = self._entries[index]
        line = Text(style=self._line_style(index), no_wrap=True, end="")
        line.append("     ")
        room = max(1, width - 6)
        snippet, spans = visible_snippet(one_line(getattr(entry, "snippet", "")), getattr(entry, "matches", ()), room)
        text = Text(snippet, style=self._style("snippet"), no_wrap=True, end="")
        match_style = self._style("match")
        for start, end in spans:
            text.stylize(match_style, start, end)
        text.truncate(room, overflow="ellipsis")
        line.append_text(text)
        return line


def visible_snippet(snippet: str, spans: Sequence[tuple[int, int]], room: int) -> tuple[str, list[tuple[int, int]]]:
    """Cut the front of a snippet whose first match would fall past ``room`` columns.

    The search engine's snippet may open well before the matched word; on a narrow
    terminal the match would be cut off, so the snippet then starts a little before it.
    """
    spans = sorted(spans)
    if not spans or spans[0][1] <= room:
        return snippet, list(spans)
    cut = max(0, spans[0][0] - room // 3)
    space = snippet.find(" ", cut, spans[0][0])
    cut = space + 1 if space >= 0 else cut
    return "…" + snippet[cut:], [(start - cut + 1, end - cut + 1) for start, end in spans if start >= cut]
