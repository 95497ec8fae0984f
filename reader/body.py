"""The stored form of an article body: a small Markdown subset, and how to read it.

Every ``Article.body`` in the store, in exports and in importers' output is text in this
form. It is CommonMark (parsed by markdown-it-py, already a dependency) restricted to:

Blocks
    - paragraphs, separated by a blank line;
    - headings ``#`` to ``######`` (ATX; a setext underline works too);
    - bullet lists (``-``, ``*`` or ``+``) and ordered lists (``1.`` or ``1)``), nested by
      indenting the inner list under its item's text;
    - block quotes (``>``), which may hold any other block;
    - code: fenced (```` ``` ```` or ``~~~``) or indented by four spaces, shown verbatim;
    - a thematic break (``---``).

Inline
    ``*emphasis*`` (or ``_…_``), ``**strong**``, ```code```, ``[text](url)`` links;
    backslash escapes (``\\*``) and character references (``&amp;``) are read as the
    character they stand for; a hard line break (two spaces or ``\\`` at a line's end)
    is a line break.

Everything else is text, never markup and never dropped: raw HTML is shown as its
characters, an image ``![alt](src)`` is a link whose text is its alt text, reference
definitions (``[x]: url``) and reference links stay as typed. A link's URL is kept
whatever it is; only http(s) URLs are *followable* (:func:`links`, :attr:`Span.web_url`).

Indentation past :data:`MAX_INDENT` columns is read as that many (it can only be
inside code there). Nesting (quotes and lists inside each other) is capped at
:data:`MAX_DEPTH` levels: the source lines of anything deeper are kept, verbatim but for their leading
spaces, as one preformatted block inside the deepest level shown, and
:attr:`Document.flattened` counts those lines so that an importer can say so.

Plain text (what a file without markup or a feed summary holds) enters this form through
:func:`escape_text`, so that ``*``, ``[`` or ``#`` in it are never read as markup.
:func:`to_plain_text` is what the search index, snippets and highlights see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, Flag, auto
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

FORMAT = "reader-markdown-1"
"""The name of this form, written beside bodies in Reader JSON (``body_format``): an
export without it comes from a version whose bodies were plain paragraphs."""

MAX_DEPTH = 32
"""markdown-it nesting levels kept as structure: a quote takes one, a list level two (the
list and its item), so 32 quotes or 16 nested lists; anything deeper is kept as text."""


class BlockKind(Enum):
    """What a :class:`Block` is; containers hold ``children``, the others ``spans``."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    CODE = "code"
    RULE = "rule"
    QUOTE = "quote"
    BULLET_LIST = "bullet_list"
    ORDERED_LIST = "ordered_list"
    LIST_ITEM = "list_item"


class Style(Flag):
    """How a run of inline text is set; styles combine (``STRONG | EMPHASIS``)."""

    PLAIN = 0
    EMPHASIS = auto()
    STRONG = auto()
    CODE = auto()


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one style; ``url`` is set when the run is (part of) a link."""

    text: str
    style: Style = Style.PLAIN
    url: str = ""

    @property
    def web_url(self) -> str:
        """The link's URL if it may be opened (absolute http or https), else ``""``."""
        return self.url if is_web_url(self.url) else ""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the body.

    ``level`` is a heading's level (1-6); ``start`` an ordered list's first number;
    ``tight`` tells a list written without blank lines between its items.
    Paragraphs, headings and code hold ``spans`` (code: one span, verbatim, newlines
    kept); quotes, lists and list items hold ``children``.
    """

    kind: BlockKind
    spans: tuple[Span, ...] = ()
    children: tuple[Block, ...] = ()
    level: int = 0
    start: int = 1
    tight: bool = False  # a list whose items are not separated by blank lines

    @property
    def text(self) -> str:
        """The block's own text (spans joined); empty for containers."""
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed body: its top-level blocks, and how many source lines were too deeply
    nested to keep as structure (kept as text; see :data:`MAX_DEPTH`)."""

    blocks: tuple[Block, ...]
    flattened: int = 0
    lines: tuple[tuple[int, int], ...] = ()
    """For each top-level block, its source lines as ``(first, end)``: the lines of
    ``body.split("\\n")`` (after ``\\r\\n`` and ``\\r`` became ``\\n``) it was read from."""


@dataclass(frozen=True, slots=True)
class Link:
    """A link in the text: what it reads, where it points."""

    text: str
    url: str


def is_web_url(url: str) -> bool:
    """Only absolute http and https URLs are opened or followed (no file:, javascript:, …)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


# -- plain text into the stored form ---------------------------------------------------

# Characters that start inline markup anywhere in a line. "!" needs no escape: it is
# markup only before "[", which is always escaped.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<&])")
# What makes a line the start of a block: a heading, quote, list item, rule, fence or
# setext underline; or an ordered-list number ("1." / "1)").
_BLOCK_START = re.compile(r"\A([#>+\-=~|])")
_ORDERED_START = re.compile(r"\A(\d{1,9})([.)])")
_PARAGRAPH_START = re.compile(r"^([#>+\-=~|])", re.MULTILINE)
_PARAGRAPH_NUMBER = re.compile(r"^(\d{1,9})([.)])", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")


def escape_inline(text: str) -> str:
    """``text`` as inline stored-form text that reads exactly as ``text`` (for a run of
    text between links or emphasis, as the HTML converter builds them).

    Whitespace is kept as it is except that newlines become spaces (a newline could start
    a block) and leading whitespace becomes one space (four would start a code block);
    markup characters are backslash-escaped, and so is a block marker at the very start
    (the run may begin a line). A run that ends in ``!`` gets it escaped, since a link may
    follow it (``![`` would start an image).
    """
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    stripped = text.lstrip(" \t")
    indent = " " if len(stripped) < len(text) else ""
    stripped = _BLOCK_START.sub(r"\\\1", stripped)
    stripped = _ORDERED_START.sub(r"\1\\\2", stripped)
    if stripped.endswith("!"):
        stripped = stripped[:-1] + "\\!"
    return indent + stripped


def escape_text(plain: str) -> str:
    """Plain text into the stored form, so that no character of it is read as markup.

    ``plain`` is paragraphs separated by blank lines (the form of bodies before 0.2).
    Each paragraph becomes one line with its whitespace folded to single spaces, so that
    ``to_plain_text(escape_text(s))`` is ``s`` with paragraphs separated by exactly one
    blank line and spaces folded (see :func:`normalize_plain`).
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", normalize_plain(plain))  # whole text at once: one pass, not one a paragraph
    text = _PARAGRAPH_START.sub(r"\\\1", text)
    return _PARAGRAPH_NUMBER.sub(r"\1\\\2", text)


def normalize_plain(plain: str) -> str:
    """Paragraphs separated by one blank line, whitespace inside each folded to a space."""
    paragraphs = (" ".join(block.split()) for block in _BLANK_LINES.split(plain))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<&\n\r\x00]|\A[ \t]|[ \t]\Z")
_NOT_PLAIN_START = re.compile(r"[#>+\-=~|]|\d{1,9}[.)](?:[ \t]|\Z)")


def plain_paragraphs(body: str) -> list[str] | None:
    """The paragraphs of a body made only of one-line paragraphs with no markup but
    backslash escapes (what :func:`escape_text` writes), or None if it may hold anything
    else and must be parsed. Reading such a body this way is the parser's result, at a
    fraction of its cost."""
    paragraphs = []
    for paragraph in body.split("\n\n"):
        bare = _ESCAPED.sub("", paragraph)
        if not bare or _NOT_PLAIN.search(bare) or _NOT_PLAIN_START.match(paragraph):
            return None
        text = _ESCAPED.sub(r"\1", paragraph).strip()
        if text:
            paragraphs.append(text)
    return paragraphs


# -- parsing ---------------------------------------------------------------------------


@cache
def _parser() -> MarkdownIt:
    """The parser, made (and markdown-it imported) on the first body parsed: importing it
    is a tenth of the app's start (20 ms), and the first titles need no body."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_DEPTH})
    md.disable(["reference", "html_block", "html_inline"])
    # markdown-it leaves a javascript:/file:/data: link as its raw characters; here every
    # link is a link, and only http(s) ones are followable (Span.web_url), so a hostile
    # link reads as its text like any other.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md

# markdown-it measures every line's indentation one character at a time in Python: 5,000
# nested list levels are 12.5 MB of spaces and took 25 s. No structure needs more than
# MAX_INDENT columns (MAX_DEPTH levels of the widest list marker), so more is not read.
MAX_INDENT = 256
_DEEP_INDENT = re.compile(rf"^([ \t]{{{MAX_INDENT}}})[ \t]+", re.MULTILINE)
_CONTAINER_OPEN = {
    "blockquote_open": BlockKind.QUOTE,
    "bullet_list_open": BlockKind.BULLET_LIST,
    "ordered_list_open": BlockKind.ORDERED_LIST,
    "list_item_open": BlockKind.LIST_ITEM,
}
_CONTAINER_CLOSE = {"blockquote_close", "bullet_list_close", "ordered_list_close", "list_item_close"}


def parse(body: str) -> Document:
    """The structure of a stored body. Never raises: any text is a valid body."""
    if not body.strip():
        return Document(())
    text = _DEEP_INDENT.sub(r"\1", source_text(body))
    tokens = _parser().parse(text)
    builder = _Builder(text.split("\n"))
    blocks = builder.build(tokens)
    return Document(blocks, builder.flattened, tuple(builder.top_lines))


def source_text(body: str) -> str:
    """``body`` with line ends and NUL as markdown-it reads them, so that line numbers
    (:attr:`Document.lines`) index ``source_text(body).split("\\n")``."""
    return body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


class _Builder:
    """markdown-it's flat token stream -> the Block tree, recovering over-deep lines."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self.flattened = 0
        self.top_lines: list[tuple[int, int]] = []

    def build(self, tokens: list[Token]) -> tuple[Block, ...]:
        # A stack of (open token, children so far); the bottom is the document.
        stack: list[tuple[Token | None, list[Block]]] = [(None, [])]
        top = stack[0][1]
        tight_lists: set[int] = set()
        for token in tokens:
            kind = token.type
            if len(stack) == 1 and token.nesting >= 0 and token.map is not None and kind != "inline":
                self.top_lines.append((token.map[0], token.map[1]))
            if kind in _CONTAINER_OPEN:
                stack.append((token, []))
            elif kind in _CONTAINER_CLOSE:
                opened, children = stack.pop()
                assert opened is not None
                block_kind = _CONTAINER_OPEN[opened.type]
                if block_kind in (BlockKind.QUOTE, BlockKind.LIST_ITEM):
                    children = self._recover(opened, children)
                start = int(opened.attrGet("start") or 1) if block_kind is BlockKind.ORDERED_LIST else 1
                tight = id(opened) in tight_lists
                stack[-1][1].append(Block(block_kind, children=tuple(children), start=start, tight=tight))
            elif kind == "paragraph_open" and token.hidden and len(stack) > 2:
                tight_lists.add(id(stack[-2][0]))  # markdown-it hides paragraphs of tight lists
            elif kind == "inline":
                stack[-1][1].append(self._leaf(token))
            elif kind in ("fence", "code_block"):
                code = token.content[:-1] if token.content.endswith("\n") else token.content
                stack[-1][1].append(Block(BlockKind.CODE, spans=(Span(code, Style.CODE),)))
            elif kind == "hr":
                stack[-1][1].append(Block(BlockKind.RULE))
            elif kind == "heading_open":
                stack.append((token, []))
            elif kind == "heading_close":
                opened, children = stack.pop()
                assert opened is not None
                spans = children[0].spans if children else ()
                stack[-1][1].append(Block(BlockKind.HEADING, spans=spans, level=int(opened.tag[1])))
        if len(self.top_lines) != len(top):  # a token kind this builder does not know
            self.top_lines = []
        return tuple(top)

    def _leaf(self, token: Token) -> Block:
        return Block(BlockKind.PARAGRAPH, spans=tuple(_spans(token.children or [])))

    def _recover(self, opened: Token, children: list[Block]) -> list[Block]:
        """Children of a quote or list item; its source lines, as text, if markdown-it
        stopped there at its nesting limit (its block parser skips them silently)."""
        if opened.level + 1 < MAX_DEPTH or children or opened.map is None:
            return children
        first, last = opened.map
        kept = [line.strip() for line in self._lines[first:last]]
        kept = [line for line in kept if line]
        if not kept:
            return children
        self.flattened += len(kept)
        return [Block(BlockKind.CODE, spans=(Span("\n".join(kept), Style.CODE),))]


def _spans(children: list[Token]) -> list[Span]:
    """Inline tokens -> spans, adjacent runs of the same style and link merged."""
    spans: list[Span] = []
    style = Style.PLAIN
    urls: list[str] = []

    def add(text: str, extra: Style = Style.PLAIN) -> None:
        if not text:
            return
        url = urls[-1] if urls else ""
        span_style = style | extra
        if spans and spans[-1].style == span_style and spans[-1].url == url:
            spans[-1] = Span(spans[-1].text + text, span_style, url)
        else:
            spans.append(Span(text, span_style, url))

    for child in children:
        kind = child.type
        if kind == "text":
            add(child.content)
        elif kind == "code_inline":
            add(child.content, Style.CODE)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "em_open":
            style |= Style.EMPHASIS
        elif kind == "em_close":
            style &= ~Style.EMPHASIS
        elif kind == "strong_open":
            style |= Style.STRONG
        elif kind == "strong_close":
            style &= ~Style.STRONG
        elif kind == "link_open":
            urls.append(str(child.attrGet("href") or ""))
        elif kind == "link_close":
            if urls:
                urls.pop()
        elif kind == "image":
            urls.append(str(child.attrGet("src") or ""))
            add("".join(grandchild.content for grandchild in child.children or []) or child.content)
            urls.pop()
        else:  # anything else markdown-it might produce is kept as its text
            add(child.content)
    return spans


# -- reading the structure -------------------------------------------------------------


def iter_leaves(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block that holds text (paragraph, heading, code) or is a rule, in reading order."""
    stack = [iter(blocks)]
    while stack:
        block = next(stack[-1], None)
        if block is None:
            stack.pop()
        elif block.children:
            stack.append(iter(block.children))
        elif block.kind not in (BlockKind.QUOTE, BlockKind.BULLET_LIST, BlockKind.ORDERED_LIST, BlockKind.LIST_ITEM):
            yield block


def to_plain_text(body: str | Document) -> str:
    """The words of a body without its markup: one paragraph per text block, separated
    by blank lines (list markers, quote bars and URLs left out). For the search index,
    snippets, highlights and word counts.

    A body that is only escaped plain paragraphs (what :func:`escape_text` writes, and
    what every body migrated from 0.1 is) is read without parsing: it is indexed at
    every import, and markdown-it takes about a second a megabyte."""
    if isinstance(body, str):
        fast = plain_paragraphs(body)
        if fast is not None:
            return "\n\n".join(fast)
    document = parse(body) if isinstance(body, str) else body
    texts = (block.text.strip() for block in iter_leaves(document.blocks))
    return "\n\n".join(text for text in texts if text)


def links(body: str | Document) -> list[Link]:
    """The followable links of a body, in reading order: only absolute http(s) URLs.
    A link with *emphasis* inside is several spans with one URL, and one link here."""
    document = parse(body) if isinstance(body, str) else body
    found: list[Link] = []
    for block in iter_leaves(document.blocks):
        previous = ""
        for span in block.spans:
            if span.web_url and span.url == previous:
                found[-1] = Link(found[-1].text + span.text, span.url)
            elif span.web_url:
                found.append(Link(span.text, span.url))
            previous = span.url
    return found


# -- laying out ------------------------------------------------------------------------

Part = tuple[str, str]
"""A piece of a line's prefix and its role: ``"quote"`` (a quote bar), ``"marker"`` (a
list bullet or number) or ``"indent"`` (the hanging indent under a marker)."""

QUOTE_BAR = "│ "
BULLETS = ("• ", "◦ ", "▪ ")


@dataclass(frozen=True, slots=True)
class Leaf:
    """A text block placed on the page: what goes before its first line (``first``) and
    before its other lines (``rest``), and whether a blank line comes before it (drawn
    with ``gap``, the quote bars that continue through it)."""

    block: Block
    first: tuple[Part, ...] = ()
    rest: tuple[Part, ...] = ()
    blank_before: bool = False
    gap: tuple[Part, ...] = ()


def flatten(document: Document) -> list[Leaf]:
    """The document's text blocks in reading order with their prefixes: quote bars,
    list markers with hanging indents (nested), the blank lines of loose lists and
    between blocks. The one layout the reader screen and ``show --format text`` share."""
    leaves: list[Leaf] = []
    _place(document.blocks, (), (), False, False, 0, leaves)
    return leaves


def _place(
    blocks: tuple[Block, ...],
    first: tuple[Part, ...],
    rest: tuple[Part, ...],
    blank_first: bool,
    tight: bool,
    depth: int,
    leaves: list[Leaf],
) -> None:
    for index, block in enumerate(blocks):
        lead = first if index == 0 else rest
        blank = (blank_first if index == 0 else not tight) and bool(leaves)
        if block.kind is BlockKind.QUOTE:
            bar = (QUOTE_BAR, "quote")
            _place(block.children, (*lead, bar), (*rest, bar), blank, False, depth, leaves)
        elif block.kind in (BlockKind.BULLET_LIST, BlockKind.ORDERED_LIST):
            ordered = block.kind is BlockKind.ORDERED_LIST
            width = len(f"{block.start + len(block.children) - 1}. ") if ordered else 2
            for number, item in enumerate(block.children, block.start):
                marker = f"{number}. ".rjust(width) if ordered else BULLETS[depth % len(BULLETS)]
                item_lead = lead if number == block.start else rest
                item_blank = blank if number == block.start else not block.tight and bool(leaves)
                _place(
                    item.children,
                    (*item_lead, (marker, "marker")),
                    (*rest, (" " * width, "indent")),
                    item_blank,
                    block.tight,
                    depth + 1,
                    leaves,
                )
        elif block.kind is BlockKind.LIST_ITEM:  # an item outside a list: not produced by parse
            _place(block.children, lead, rest, blank, tight, depth, leaves)
        else:
            gap: tuple[Part, ...] = ()
            if blank and leaves:
                bars = min(_bars(leaves[-1].rest), _bars(lead))
                gap = _through_bars(rest, bars)
            leaves.append(Leaf(block, lead, rest, blank, gap))


def _bars(prefix: tuple[Part, ...]) -> int:
    return sum(role == "quote" for _, role in prefix)


def _through_bars(prefix: tuple[Part, ...], bars: int) -> tuple[Part, ...]:
    """``prefix`` up to and including its ``bars``-th quote bar."""
    if bars <= 0:
        return ()
    seen = 0
    for index, (_, role) in enumerate(prefix):
        seen += role == "quote"
        if seen == bars:
            return prefix[: index + 1]
    return prefix


def prefix_text(prefix: tuple[Part, ...]) -> str:
    return "".join(text for text, _ in prefix)
