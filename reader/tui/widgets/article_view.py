"""The text of an article, drawn line by line on demand.

One giant Markdown or Static widget freezes on long documents (Textual issue 4586), so
the body is a Line API widget: the paragraphs are word-wrapped once per width (cached,
as offsets into the text, not copies), and only the lines on screen are turned into
strips, themselves cached. The widget sits in the article screen's scroll container
with the related links below it, so text and links scroll as one page.

The blocks come from the body's structure (:func:`body_blocks`, built on
:func:`reader.body.flatten`, the layout ``show --format text`` uses too): headings,
paragraphs, code, rules, each with the prefix of its first and following lines (quote
bars, list markers, hanging indents). Inline styles and links are offsets into a block's
text; so are highlight spans (from a search), one of which can be the "current" match
that ``n``/``N`` step through. Links with an http(s) URL can be selected one at a time
(:meth:`ArticleBody.select_link`), which is how the keyboard reaches them. Text is
wrapped in :class:`rich.text.Text` from plain strings: no markup is ever parsed.

Find in the article (``/``) draws its own matches in place of the search's
(:meth:`ArticleBody.set_found`), without rewrapping anything. The body takes part in
Textual's text selection: each strip carries the offsets Textual's selection needs
(:meth:`~textual.strip.Strip.apply_offsets`), :meth:`ArticleBody.get_selection` turns a
selection into the words of the text (soft line breaks are not newlines; paragraphs are
separated by a blank line, list items keep their markers), and a drag posts
:class:`ArticleBody.Dragged` so that the reader can highlight the passage too.

What one article may hold on screen is bounded (:data:`MAX_BODY_CHARS`,
:data:`MAX_SUMMARY_CHARS`): a longer body is shown up to a paragraph boundary before the
limit and ends with a line saying how much more there is and how to read all of it, so
an article of a million paragraphs opens in the time of a long one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style as RichStyle
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

from reader.body import BlockKind, Part, Style, flatten, parse, plain_paragraphs, prefix_text
from reader.tui.format import text_strip

_WORD = re.compile(r"\S+\s*")

MAX_BODY_CHARS = 400_000
"""Characters of a body drawn (about 65,000 words, hours of reading); the rest is named."""
MAX_SUMMARY_CHARS = 20_000

Span = tuple[int, int]
StyleRun = tuple[int, int, Style]
LinkRun = tuple[int, int, str]

_INLINE = {Style.EMPHASIS: RichStyle(italic=True), Style.STRONG: RichStyle(bold=True)}


class LineKind(StrEnum):
    """What a drawn block is; its value names its style (``article-body--<kind>``)."""

    SUMMARY = "summary"
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    CODE = "code"
    RULE = "rule"
    NOTE = "note"  # what the screen says about the article, such as a cut


@dataclass(frozen=True)
class Block:
    """A text block of the article as drawn.

    ``kind`` picks its style (:class:`LineKind`). ``first`` and
    ``rest`` are the prefixes of its first and other lines; ``blank_before`` puts a blank
    line (with the quote bars of ``gap``) before it. ``styles`` and ``links`` are runs of
    ``text`` set in a style or linking to a URL (only http(s) links are kept here);
    ``spans`` are the highlighted matches.
    """

    text: str
    kind: LineKind = LineKind.PARAGRAPH
    spans: tuple[Span, ...] = ()
    first: tuple[Part, ...] = ()
    rest: tuple[Part, ...] = ()
    blank_before: bool = True
    gap: tuple[Part, ...] = ()
    styles: tuple[StyleRun, ...] = ()
    links: tuple[LinkRun, ...] = ()


@dataclass(frozen=True)
class Link:
    """An http(s) link of the text: in which block, where, to what."""

    block: int
    start: int
    end: int
    url: str


_KINDS = {BlockKind.HEADING: LineKind.HEADING, BlockKind.CODE: LineKind.CODE, BlockKind.RULE: LineKind.RULE}


@lru_cache(maxsize=4)
def body_blocks(body: str, summary: str = "") -> tuple[Block, ...]:
    """The blocks of an article: its summary (plain text), then its body's structure.

    Cached for the last few articles: the screen asks again when highlights arrive.
    """
    blocks: list[Block] = []
    if summary:
        shown = summary[:MAX_SUMMARY_CHARS]
        blocks.append(Block(shown, LineKind.SUMMARY, blank_before=False))
        if len(shown) < len(summary):
            blocks.append(_note(f"The summary continues for {len(summary) - len(shown):,} more characters."))
    shown_body = _cut(body)
    after_summary = bool(blocks)
    plain = plain_paragraphs(shown_body)
    if plain is not None:  # only paragraphs (most bodies): no parser needed
        blocks += [Block(paragraph, blank_before=bool(number) or after_summary) for number, paragraph in enumerate(plain)]
    for number, leaf in enumerate(flatten(parse(shown_body)) if plain is None else ()):
        block = leaf.block
        styles: list[StyleRun] = []
        links: list[LinkRun] = []
        offset = 0
        for span in block.spans:
            end = offset + len(span.text)
            if span.style and block.kind is not BlockKind.CODE:
                styles.append((offset, end, span.style))
            if span.web_url:
                if links and links[-1][2] == span.url and links[-1][1] == offset:
                    links[-1] = (links[-1][0], end, span.url)
                else:
                    links.append((offset, end, span.url))
            offset = end
        blocks.append(
            Block(
                block.text,
                _KINDS.get(block.kind, LineKind.PARAGRAPH),
                first=leaf.first,
                rest=leaf.rest,
                blank_before=leaf.blank_before or (after_summary and number == 0),
                gap=leaf.gap,
                styles=tuple(styles),
                links=tuple(links),
            )
        )
    if len(shown_body) < len(body):
        rest = len(body) - len(shown_body)
        blocks.append(_note(f"The article continues for {rest:,} more characters, more than the screen holds; `reader show` prints all of it."))
    return tuple(blocks)


def _cut(body: str) -> str:
    """``body`` up to :data:`MAX_BODY_CHARS`, ended at a blank line when there is one."""
    if len(body) <= MAX_BODY_CHARS:
        return body
    end = body.rfind("\n\n", 0, MAX_BODY_CHARS)
    return body[: end if end > 0 else MAX_BODY_CHARS]


def _note(text: str) -> Block:
    return Block(text, LineKind.NOTE)


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
    """Blocks of text wrapped to the widget's width; as tall as its text.

    A drag of the mouse over the text is Textual's text selection (ctrl+c copies it,
    :meth:`get_selection`); as it changes the widget posts :class:`Dragged` (where it
    starts and ends in the text): the screen turns it into a selection that the highlight
    key highlights.
    """

    class Dragged(Message):
        """The mouse's selection in the text changed: it starts at ``start`` and ends
        before ``end``."""

        def __init__(self, start: Match, end: Match) -> None:
            super().__init__()
            self.start = start
            self.end = end

    COMPONENT_CLASSES = {
        "article-body--summary",
        "article-body--paragraph",
        "article-body--heading",
        "article-body--code",
        "article-body--rule",
        "article-body--note",
        "article-body--quote",
        "article-body--marker",
        "article-body--link",
        "article-body--link-selected",
        "article-body--match",
        "article-body--current",
        "article-body--highlight",
        "article-body--noted",
        "article-body--selection",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: Sequence[Block] = ()
        self._links: list[Link] = []
        self._selected: int | None = None
        self._current: Match | None = None
        # width -> [(block, start, end, first line?)]; block -1 is a blank line before block `start`
        self._layouts: dict[int, list[tuple[int, int, int, bool]]] = {}
        self._strips: LRUCache[int, Strip] = LRUCache(512)
        self._styles: dict[str, RichStyle] = {}
        # block -> [(start, end, component)]: highlights and the visual-mode selection,
        # drawn over the text (never written into it)
        self._marks: dict[int, list[tuple[int, int, str]]] = {}
        # block -> spans found by find in the article; None: draw the blocks' own spans
        self._found: dict[int, list[Span]] | None = None

    @property
    def blocks(self) -> Sequence[Block]:
        return self._blocks

    def set_blocks(self, blocks: Sequence[Block]) -> None:
        self._blocks = blocks
        self._links = [Link(i, start, end, url) for i, block in enumerate(blocks) for start, end, url in block.links]
        self._selected = None
        self._current = None
        self._marks = {}
        self._found = None
        self._layouts.clear()
        self._forget()
        self.refresh(layout=True)

    def set_current(self, match: Match | None) -> None:
        """Mark one match as the current one (drawn differently)."""
        self._current = match
        self._forget()

    @property
    def marks(self) -> dict[int, list[tuple[int, int, str]]]:
        """What :meth:`set_marks` was last given: block -> runs drawn in a component style."""
        return self._marks

    def set_marks(self, marks: dict[int, list[tuple[int, int, str]]]) -> None:
        """Runs of blocks drawn in a component style (``highlight``, ``noted``,
        ``selection``): the highlights of the article and the passage being selected."""
        self._marks = marks
        self._forget()

    def set_found(self, found: Sequence[Match] | None) -> None:
        """Draw ``found`` (find in the article) as the matches instead of the blocks'
        own spans (the search's terms); None draws those again."""
        if found is None:
            self._found = None
        else:
            self._found = {}
            for match in found:
                self._found.setdefault(match.block, []).append((match.start, match.end))
        self._forget()

    def lines(self) -> list[tuple[int, int, int]]:
        """The text lines at the current width as ``(block, start, end)`` (blank lines left
        out): the steps of visual mode by line."""
        return [(block, start, end) for block, start, end, _ in self._layout(self._text_width()) if block >= 0]

    def offset_at(self, x: int, y: int) -> Match | None:
        """The place in the text under the cell ``(x, y)`` of the widget (for the mouse):
        its block and offset, or None on a blank line or past the text."""
        lines = self._layout(self._text_width())
        if not 0 <= y < len(lines):
            return None
        index, start, end, first = lines[y]
        if index < 0:
            return None
        block = self._blocks[index]
        column = x - cell_len(prefix_text(block.first if first else block.rest))
        used = 0
        for offset in range(start, end):
            used += cell_len(block.text[offset])
            if used > column:
                return Match(index, offset, offset)
        return Match(index, end, end)

    def matches(self) -> list[Match]:
        """Every highlighted span, in reading order."""
        return [Match(i, start, end) for i, block in enumerate(self._blocks) for start, end in sorted(block.spans)]

    def line_of(self, match: Match) -> int:
        """The line (from the widget's top, at its current width) where ``match`` starts."""
        for y, (block, start, end, _) in enumerate(self._layout(self._text_width())):
            if block == match.block and start <= match.start < max(end, start + 1):
                return y
        return 0

    # -- links -------------------------------------------------------------------------

    @property
    def links(self) -> list[Link]:
        """The http(s) links of the text, in reading order."""
        return self._links

    @property
    def selected_link(self) -> Link | None:
        return self._links[self._selected] if self._selected is not None else None

    def select_link(self, index: int | None) -> Link | None:
        """Select the ``index``-th link (None: no link); it is drawn as selected."""
        self._selected = index if index is not None and 0 <= index < len(self._links) else None
        self._forget()
        return self.selected_link

    @property
    def selected_index(self) -> int | None:
        return self._selected

    def line_of_link(self, link: Link) -> int:
        return self.line_of(Match(link.block, link.start, link.end))

    def anchor_at(self, y: int) -> Match | None:
        """Where in the text line ``y`` starts (the block before, on a blank line between
        blocks): kept across a change of width, so the reader stays on the same words."""
        lines = self._layout(self._text_width())
        for block, start, *_rest in reversed(lines[: max(0, min(y, len(lines) - 1)) + 1]):
            if block >= 0:
                return Match(block, start, start)
        return None

    # -- text selection (the mouse) ---------------------------------------------------

    def _place(self, x: int, y: int) -> Match:
        """The place in the text of the character offset ``(x, y)`` of a selection: ``x``
        counts the characters of line ``y`` as drawn, prefix included (Strip.apply_offsets)."""
        lines = self._layout(self._text_width())
        if not lines:
            return Match(0, 0, 0)
        if y >= len(lines):
            return self._text_end()
        index, start, end, first = lines[max(0, y)]
        if index < 0:  # a blank line: the start of the block after it
            return Match(start, 0, 0)
        block = self._blocks[index]
        column = x - len(prefix_text(block.first if first else block.rest))
        offset = start + max(0, min(column, len(block.text[start:end].rstrip("\n"))))
        return Match(index, offset, offset)

    def _text_end(self) -> Match:
        last = len(self._blocks) - 1
        return Match(last, len(self._blocks[last].text), len(self._blocks[last].text))

    def selection_span(self, selection: Selection) -> tuple[Match, Match] | None:
        """Where ``selection`` starts and ends in the text (the end exclusive), or None
        when it selects nothing."""
        if not self._blocks:
            return None
        begin = Match(0, 0, 0) if selection.start is None else self._place(*selection.start)
        finish = self._text_end() if selection.end is None else self._place(*selection.end)
        if (finish.block, finish.start) <= (begin.block, begin.start):
            return None
        return begin, finish

    def text_between(self, begin: Match, finish: Match) -> str:
        """The text from ``begin`` to ``finish``: blocks joined by a newline, a blank line
        where one is drawn; a list item's marker comes with it when its start is selected."""
        parts: list[str] = []
        for index in range(begin.block, finish.block + 1):
            block = self._blocks[index]
            start = begin.start if index == begin.block else 0
            end = finish.start if index == finish.block else len(block.text)
            if index > begin.block:
                parts.append("\n\n" if block.blank_before else "\n")
            if start == 0:
                parts.append("".join(piece for piece, role in block.first if role == "marker"))
            parts.append(block.text[start:end])
        return "".join(parts)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected words (Textual's ctrl+c, Screen.get_selected_text)."""
        span = self.selection_span(selection)
        return (self.text_between(*span), "\n") if span is not None else None

    def selection_updated(self, selection: Selection | None) -> None:
        self._forget()
        span = self.selection_span(selection) if selection is not None else None
        if span is not None:
            self.post_message(self.Dragged(*span))

    # -- layout ------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(1, self.content_region.width or self.size.width)

    def _layout(self, width: int) -> list[tuple[int, int, int, bool]]:
        """Lines as (block index, start, end, first line of the block?)."""
        lines = self._layouts.get(width)
        if lines is None:
            lines = []
            for index, block in enumerate(self._blocks):
                if block.blank_before and index:
                    lines.append((-1, index, 0, False))
                room = max(min(width, 12), width - cell_len(prefix_text(block.rest)))
                first = True
                for start, end in _wrap_block(block, room):
                    lines.append((index, start, end, first))
                    first = False
            if len(self._layouts) > 2:
                self._layouts.clear()
            self._layouts[width] = lines
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._layout(max(1, width)))

    def laid_out(self) -> bool:
        """Whether the screen has laid out the blocks set last: until then the widget
        (and the scroll view around it) has the size of the text it showed before, and
        a scroll to a place in the new text lands nowhere near it."""
        return self.content_size.height == len(self._layout(self._text_width()))

    def on_resize(self) -> None:
        self._forget()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def _style(self, name: str) -> RichStyle:
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
        if y >= len(lines):
            strip = Strip.blank(width, base)
        else:
            index, start, end, first = lines[y]
            if index < 0:
                line = self._prefix(self._blocks[start].gap)
            else:
                line = self._line_text(index, start, end, first, width)
            strip = text_strip(line, self.app.console).adjust_cell_length(width, base)
        strip = strip.apply_offsets(0, y)  # where each character is, for Textual's text selection
        self._strips[y] = strip
        return strip

    def _prefix(self, parts: tuple[Part, ...]) -> Text:
        text = Text(style=self._style(""), no_wrap=True, end="")
        for piece, role in parts:
            text.append(piece, self._style("quote") if role == "quote" else self._style("marker") if role == "marker" else None)
        return text

    def _line_text(self, index: int, start: int, end: int, first: bool, width: int) -> Text:
        block = self._blocks[index]
        line = self._prefix(block.first if first else block.rest)
        style = self._style("") + self._style(block.kind)
        if block.kind == LineKind.RULE:
            line.append("─" * max(1, width - line.cell_len), style)
            return line
        text = Text(block.text[start:end].rstrip("\n"), style=style, no_wrap=True, end="")
        for run_start, run_end, inline in block.styles:
            self._stylize(text, start, end, run_start, run_end, _inline_style(inline, self._style("code")))
        link_style, selected_style = self._style("link"), self._style("link-selected")
        selected = self.selected_link
        for run_start, run_end, _ in block.links:
            is_selected = selected is not None and selected.block == index and selected.start == run_start
            self._stylize(text, start, end, run_start, run_end, selected_style if is_selected else link_style)
        match_style = self._style("match")
        current_style = self._style("current")
        current = self._current
        spans = block.spans if self._found is None else self._found.get(index, ())
        for span_start, span_end in spans:
            is_current = current is not None and current.block == index and current.start == span_start
            self._stylize(text, start, end, span_start, span_end, current_style if is_current else match_style)
        for mark_start, mark_end, component in self._marks.get(index, ()):
            self._stylize(text, start, end, mark_start, mark_end, self._style(component))
        selection = self.text_selection
        span = self.selection_span(selection) if selection is not None else None
        if span is not None and span[0].block <= index <= span[1].block:
            run_start = span[0].start if index == span[0].block else 0
            run_end = span[1].start if index == span[1].block else len(block.text)
            self._stylize(text, start, end, run_start, run_end, self.screen.get_component_rich_style("screen--selection"))
        line.append_text(text)
        return line

    @staticmethod
    def _stylize(text: Text, start: int, end: int, run_start: int, run_end: int, style: RichStyle) -> None:
        """Style the part of ``[run_start, run_end)`` that falls on the line ``[start, end)``."""
        if run_end <= start or run_start >= end:
            return
        text.stylize(style, max(0, run_start - start), min(end, run_end) - start)


def _inline_style(style: Style, code: RichStyle) -> RichStyle:
    result = RichStyle()
    for flag, rich in _INLINE.items():
        if style & flag:
            result += rich
    if style & Style.CODE:
        result += code
    return result


def _wrap_block(block: Block, width: int) -> list[Span]:
    """Lines of a block as offsets: words wrapped, code cut; a newline always ends a line."""
    if block.kind == LineKind.RULE or not block.text:
        return [(0, 0)]
    lines: list[Span] = []
    offset = 0
    for segment in block.text.split("\n"):
        if block.kind == LineKind.CODE:
            measure_cut = [(i, min(i + width, len(segment))) for i in range(0, len(segment), width)] or [(0, 0)]
            if not segment.isascii():
                measure_cut = wrap_offsets(segment, width)
            lines.extend((offset + a, offset + b) for a, b in measure_cut)
        else:
            lines.extend((offset + a, offset + b) for a, b in wrap_offsets(segment, width))
        offset += len(segment) + 1
    return lines
