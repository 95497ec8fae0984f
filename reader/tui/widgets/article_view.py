"""The text of an article, drawn line by line on demand.

One giant Markdown or Static widget freezes on long documents (Textual issue 4586), so
the body is a Line API widget: the paragraphs are word-wrapped once per width (cached,
as offsets into the text, not copies), and only the lines on screen are turned into
strips, themselves cached. The widget sits in the article screen's scroll container
with the related links below it, so text and links scroll as one page.

Highlight spans (from a search) are offsets into a block's text; one of them can be the
"current" match that ``n``/``N`` step through. Text is wrapped in
:class:`rich.text.Text` from plain strings: no markup is ever parsed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from reader.tui.format import text_strip

_WORD = re.compile(r"\S+\s*")

Span = tuple[int, int]


@dataclass(frozen=True)
class Block:
    """A paragraph of the article; ``kind`` picks its style (``summary`` or ``paragraph``)."""

    text: str
    kind: str = "paragraph"
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Match:
    """A highlighted span: which block, where in it."""

    block: int
    start: int
    end: int


def wrap_offsets(text: str, width: int) -> list[Span]:
    """Greedy word wrap of one paragraph into (start, end) offsets, by terminal cells.

    Words wider than the line are cut; the spaces after a word stay on its line (they
    are invisible there and keep the offsets contiguous).
    """
    width = max(1, width)
    measure = len if text.isascii() else cell_len
    lines: list[Span] = []
    line_start = used = 0
    for word in _WORD.finditer(text):
        start, end = word.span()
        if used and used + measure(text[start:end].rstrip()) > width:
            lines.append((line_start, start))
            line_start, used = start, 0
        while measure(text[start:end].rstrip()) > width:  # longer than a line: cut it
            cut = start + _cut_point(text, start, width, measure)
            lines.append((line_start, cut))
            line_start = start = cut
        used += measure(text[start:end])
    if line_start < len(text) or not lines:
        lines.append((line_start, len(text)))
    return lines


def _cut_point(text: str, start: int, width: int, measure) -> int:
    """How many characters from ``start`` fill ``width`` cells (at least one)."""
    if measure is len:
        return width
    used = 0
    for count, char in enumerate(text[start:], 0):
        used += cell_len(char)
        if used > width:
            return max(1, count)
    return len(text) - start


class ArticleBody(Widget):
    """Blocks of text wrapped to the widget's width; as tall as its text."""

    COMPONENT_CLASSES = {
        "article-body--summary",
        "article-body--paragraph",
        "article-body--match",
        "article-body--current",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: Sequence[Block] = ()
        self._current: Match | None = None
        self._layouts: dict[int, list[tuple[int, int, int]]] = {}  # width -> [(block, start, end)]
        self._strips: LRUCache[int, Strip] = LRUCache(512)
        self._styles: dict[str, Style] = {}

    def set_blocks(self, blocks: Sequence[Block]) -> None:
        self._blocks = blocks
        self._current = None
        self._layouts.clear()
        self._forget()
        self.refresh(layout=True)

    def set_current(self, match: Match | None) -> None:
        """Mark one match as the current one (drawn differently)."""
        self._current = match
        self._forget()

    def matches(self) -> list[Match]:
        """Every highlighted span, in reading order."""
        return [Match(i, start, end) for i, block in enumerate(self._blocks) for start, end in sorted(block.spans)]

    def line_of(self, match: Match) -> int:
        """The line (from the widget's top, at its current width) where ``match`` starts."""
        for y, (block, start, end) in enumerate(self._layout(self._text_width())):
            if block == match.block and start <= match.start < max(end, start + 1):
                return y
        return 0

    def anchor_at(self, y: int) -> Match | None:
        """Where in the text line ``y`` starts (the block before, on a blank line between
        blocks): kept across a change of width, so the reader stays on the same words."""
        lines = self._layout(self._text_width())
        for block, start, _end in reversed(lines[: max(0, min(y, len(lines) - 1)) + 1]):
            if block >= 0:
                return Match(block, start, start)
        return None

    # -- layout ------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(1, self.content_region.width or self.size.width)

    def _layout(self, width: int) -> list[tuple[int, int, int]]:
        """Lines as (block index, start, end); block -1 is the blank line between blocks."""
        lines = self._layouts.get(width)
        if lines is None:
            lines = []
            for index, block in enumerate(self._blocks):
                if index:
                    lines.append((-1, 0, 0))
                lines.extend((index, start, end) for start, end in wrap_offsets(block.text, width))
            if len(self._layouts) > 2:
                self._layouts.clear()
            self._layouts[width] = lines
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._layout(max(1, width)))

    def on_resize(self) -> None:
        self._forget()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        """The base style (``""``) or a component's partial style, cached until styles change."""
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if not name else self.get_component_rich_style(f"article-body--{name}", partial=True)
            self._styles[name] = style
        return style

    def _forget(self) -> None:
        self._strips.clear()
        self.refresh()

    # -- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self._text_width()
        strip = self._strips.get(y)
        if strip is not None and strip.cell_length == width:
            return strip
        base = self._style("")
        lines = self._layout(width)
        if y >= len(lines) or lines[y][0] < 0:
            strip = Strip.blank(width, base)
        else:
            strip = text_strip(self._line_text(*lines[y]), self.app.console).adjust_cell_length(width, base)
        self._strips[y] = strip
        return strip

    def _line_text(self, index: int, start: int, end: int) -> Text:
        block = self._blocks[index]
        style = self._style("") + self._style(block.kind)
        text = Text(block.text[start:end].rstrip("\n"), style=style, no_wrap=True, end="")
        match_style = self._style("match")
        current_style = self._style("current")
        current = self._current
        for span_start, span_end in block.spans:
            if span_end <= start or span_start >= end:
                continue
            is_current = current is not None and current.block == index and current.start == span_start
            text.stylize(current_style if is_current else match_style, max(0, span_start - start), min(end, span_end) - start)
        return text
