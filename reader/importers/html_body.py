"""An extracted HTML body (trafilatura's XML tree) in the stored form: a Markdown subset.

trafilatura hands back the main text as a small XML vocabulary: ``<p>``, ``<head
rend="h2">``, ``<list rend="ul|ol">`` of ``<item>``, ``<quote>``, ``<code>``, ``<table>``
of ``<row>`` and ``<cell>``, and inline ``<hi rend="#b|#i|#t|#u">``, ``<ref
target=...>``, ``<lb/>``. This module writes it as the Markdown subset bodies are
stored in (reader.body, parsed by markdown-it-py): ``#`` headings, paragraphs, nested
``-`` / ``1.`` lists, ``>`` quotes, fenced code, ``*emphasis*``, ``**strong**`` and
``[links](https://…)``.

Text is escaped on the way in (reader.body.escape_inline and escape_text), so that a
``*``, ``[`` or a leading ``#`` or ``1.`` that the page wrote as text is never read as
markup, and only
http(s) links become links (any other target leaves just its text). Lists and quotes
nest at most :data:`MAX_DEPTH` levels; deeper ones are written at that level, their
text kept.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from lxml.etree import _Element
from markdown_it import MarkdownIt

from reader.body import escape_inline, escape_text
from reader.importers.build import joined_url
from reader.text import clean_paragraphs, strip_unsafe

MAX_DEPTH = 16

_HEADING = re.compile(r"h([1-6])")
_BACKTICKS = re.compile(r"`+")
_STYLES = {"#b": "**", "#i": "*", "#em": "*", "#strong": "**"}
_CODE_STYLES = frozenset(("#t", "#code"))
_SKIPPED = frozenset(("graphic", "image", "img"))
_MARKDOWN = MarkdownIt("commonmark")
# An <lb/>. trafilatura writes one for a page's <br><br> as for its <br>, and pages use
# them to separate paragraphs, so a line break starts a new paragraph.
_LINE_BREAK = "\x00"
_BREAKS = re.compile(r"\x00(?:\s*\x00)*")

# Whitespace is folded with str.split, which splits at exactly the characters a regex's
# \s matches (str.isspace), at half of re.sub(r"\s+", " ", ...)'s cost or less: that was a
# twentieth of parsing a feed of plain descriptions.


def _one_line(text: str) -> str:
    """``text``'s whitespace runs as single spaces, none at either end."""
    return " ".join(text.split())


def _folded(text: str) -> str:
    r"""``text``'s whitespace runs as single spaces, one kept at either end: ``re.sub(r"\s+", " ", text)``."""
    words = text.split()
    if not words:
        return " " if text else ""
    folded = " ".join(words)
    if text[0].isspace():
        folded = " " + folded
    if text[-1].isspace():
        folded += " "
    return folded


def _letters(text: str) -> int:
    """How many characters ``text`` holds besides whitespace."""
    return sum(map(len, text.split()))


def to_markdown(body: _Element) -> str:
    """The blocks of ``body`` as Markdown-subset paragraphs separated by blank lines."""
    blocks: list[str] = []
    _blocks(body, blocks, depth=0)
    return "\n\n".join(block for block in blocks if block.strip())


def plain_inline(element: _Element) -> str:
    """The text of ``element``, whitespace collapsed (for titles and metadata)."""
    return _one_line("".join(element.itertext()))


def _blocks(parent: _Element, out: list[str], depth: int) -> None:
    """Append the Markdown blocks of ``parent``'s children (and its loose text) to ``out``."""
    loose: list[str] = []  # inline content outside any block, gathered into a paragraph

    def flush() -> None:
        text = _paragraph("".join(loose))
        loose.clear()
        if text:
            out.append(text)

    if parent.text and parent.text.strip():
        loose.append(escape_inline(_folded(parent.text)))
    for child in parent:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("p", "head", "list", "quote", "code", "table", "div", "main", "body", "doc"):
            flush()
            _block(child, tag, out, depth)
        elif tag in _SKIPPED:
            pass
        else:
            loose.append(_inline(child))
        if child.tail and child.tail.strip():
            loose.append(escape_inline(_folded(child.tail)))
    flush()


def _block(element: _Element, tag: str, out: list[str], depth: int) -> None:
    if tag == "p":
        text = _paragraph(_inline_content(element))
        if text:
            out.append(text)
    elif tag == "head":
        level = _HEADING.fullmatch(str(element.get("rend") or ""))
        text = _one_line(_inline_content(element))
        if text:
            out.append("#" * (int(level.group(1)) if level else 2) + " " + text)
    elif tag == "list":
        lines = _list(element, depth)
        if lines:
            out.append("\n".join(lines))
    elif tag == "quote":
        inner: list[str] = []
        if depth < MAX_DEPTH:
            _blocks(element, inner, depth + 1)
        else:
            inner = [_paragraph(escape_inline(plain_inline(element)))]
        quoted = "\n>\n".join("\n".join("> " + line if line else ">" for line in block.split("\n")) for block in inner)
        if quoted:
            out.append(quoted)
    elif tag == "code":
        code = "".join(element.itertext()).strip("\n")
        if code.strip():
            longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
            fence = "`" * max(3, longest + 1)
            out.append(f"{fence}\n{code}\n{fence}")
    elif tag == "table":
        for row in element.iter("row"):
            cells = [_one_line(_inline_content(cell)) for cell in row.iter("cell")]
            text = _paragraph(" ".join(cell for cell in cells if cell))
            if text:
                out.append(text)
    else:
        _blocks(element, out, depth)


def _list(element: _Element, depth: int) -> list[str]:
    """The lines of a list; nested lists are indented under their item's text."""
    ordered = str(element.get("rend") or "").lower() == "ol"
    lines: list[str] = []
    number = 0
    for item in element:
        if item.tag != "item":
            continue
        number += 1
        marker = f"{number}. " if ordered else "- "
        text_parts: list[str] = []
        nested: list[str] = []
        if item.text and item.text.strip():
            text_parts.append(escape_inline(_folded(item.text)))
        for child in item:
            if child.tag == "list" and depth < MAX_DEPTH:
                nested.extend(_list(child, depth + 1))
            elif child.tag == "list":
                text_parts.append(" " + escape_inline(plain_inline(child)))
            elif child.tag in ("p", "head", "quote", "code"):
                text_parts.append(" " + _inline_content(child))
            elif child.tag not in _SKIPPED:
                text_parts.append(_inline(child))
            if child.tail and child.tail.strip():
                text_parts.append(escape_inline(_folded(child.tail)))
        text = _paragraph("".join(text_parts))
        if not text and not nested:
            continue
        lines.append((marker + text).rstrip())
        lines.extend(" " * len(marker) + line for line in nested)
    return lines


def _paragraph(inline: str) -> str:
    """Inline Markdown (runs escaped by escape_inline) as paragraph lines.

    A line break (``<lb/>``) ends a paragraph.
    """
    paragraphs = []
    for part in _BREAKS.split(inline):
        text = _one_line(part.replace(_LINE_BREAK, " "))
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _inline_content(element: _Element) -> str:
    parts = [escape_inline(_folded(element.text))] if element.text else []
    for child in element:
        if child.tag not in _SKIPPED:
            parts.append(_inline(child))
        if child.tail:
            parts.append(escape_inline(_folded(child.tail)))
    return "".join(parts)


def _inline(element: _Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "lb":
        return _LINE_BREAK
    content = _inline_content(element)
    if tag == "hi":
        rend = str(element.get("rend") or "")
        if rend in _CODE_STYLES:
            return _code_span(plain_inline(element))
        marker = _STYLES.get(rend)
        if marker:
            return _wrap(content, marker)
        return content
    if tag == "ref":
        target = _link_target(str(element.get("target") or ""))
        text = _one_line(content)
        if target and text:
            return f"[{text}]({target})"
        return content
    return content


def _wrap(content: str, marker: str) -> str:
    """``*text*`` with the spaces around the text kept outside the markers."""
    stripped = content.strip()
    if not stripped:
        return content
    lead = " " if content[:1].isspace() else ""
    trail = " " if content[-1:].isspace() else ""
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _code_span(text: str) -> str:
    text = _one_line(text)
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _link_target(url: str) -> str:
    """An http(s) URL written so that Markdown reads it back whole; "" for anything else."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~.-_")


def paragraph_text(markdown: str) -> str | None:
    """The plain text of ``markdown`` if it is one paragraph (not a heading, list, quote or code), else None.

    A structured body's first paragraph becomes the summary, which is plain text.
    """
    tokens = _MARKDOWN.parse(markdown)
    if len(tokens) != 3 or tokens[0].type != "paragraph_open":
        return None
    return "".join(
        child.content
        for child in tokens[1].children or ()
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    ).strip() or None


# HTML tags of a feed's content as the vocabulary above: (tag, rend).
_FRAGMENT_TAGS = {
    "p": ("p", None), "h1": ("head", "h1"), "h2": ("head", "h2"), "h3": ("head", "h3"), "h4": ("head", "h4"),
    "h5": ("head", "h5"), "h6": ("head", "h6"), "ul": ("list", "ul"), "ol": ("list", "ol"), "li": ("item", None),
    "blockquote": ("quote", None), "pre": ("code", None), "em": ("hi", "#i"), "i": ("hi", "#i"),
    "strong": ("hi", "#b"), "b": ("hi", "#b"), "code": ("hi", "#t"), "tt": ("hi", "#t"), "a": ("ref", None),
    "br": ("lb", None), "table": ("table", None), "tr": ("row", None), "td": ("cell", None), "th": ("cell", None),
    "div": ("div", None), "section": ("div", None), "article": ("div", None), "figure": ("div", None),
    "dl": ("div", None), "dd": ("p", None), "dt": ("p", None), "figcaption": ("p", None),
}
_FRAGMENT_DROPPED = frozenset("script style noscript iframe svg object embed form template img picture video audio".split())
_TAGS = re.compile(r"<[^>]*>")


def fragment_to_markdown(markup: str, base: str = "") -> str | None:
    """An HTML fragment (a feed entry's content) in the stored form; None if lxml cannot read all of it.

    Relative link targets are resolved against ``base`` (the address of the feed the
    fragment came in), as a browser resolves them against the document's; without one
    they stay relative, and :func:`_link_target` then keeps only their text.

    lxml's HTML parser stops at libxml2's nesting limit; a fragment it reads only in
    part is left to the caller's tolerant converter rather than cut short.

    The parser decodes character references, so ``&#27;`` or ``&#7;`` in the markup come
    out of it as control characters, which an lxml tree refuses ("All strings must be
    XML compatible"). Every text and attribute read from the parsed fragment is cleaned
    (strip_unsafe, which keeps only what XML can hold) before it goes into the new tree,
    and the text around a removed character is kept.
    """
    from lxml import etree
    from lxml import html as lxml_html

    try:
        parts = lxml_html.fragments_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None
    root = etree.Element("body")
    for part in parts:
        if isinstance(part, str):
            _append_text(root, part)
        else:
            _convert(part, root, base)
    kept = _letters("".join(root.itertext()))
    written = _letters(strip_unsafe(lxml_html.fromstring(f"<div>{_TAGS.sub(' ', markup)} </div>").text_content()))
    if kept < written * 0.9:
        return None
    return to_markdown(root)


def _append_text(parent: _Element, text: str) -> None:
    text = strip_unsafe(text)
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _convert(element: _Element, parent: _Element, base: str) -> None:
    """Append ``element`` (and its subtree) to ``parent`` in trafilatura's vocabulary, iteratively."""
    from lxml import etree

    stack: list[tuple[_Element, _Element]] = [(element, parent)]
    while stack:
        node, target = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        tail = node.tail
        if tag in _FRAGMENT_DROPPED or not tag:
            if tail:
                _append_text(target, tail)
            continue
        name, rend = _FRAGMENT_TAGS.get(tag, ("span", None))
        converted = etree.SubElement(target, name)
        if rend:
            converted.set("rend", rend)
        if name == "ref":
            converted.set("target", joined_url(base, strip_unsafe(str(node.get("href") or ""))))
        if node.text:
            converted.text = strip_unsafe(node.text)
        if tail:
            converted.tail = strip_unsafe(tail)
        stack.extend((child, converted) for child in reversed(list(node)))


def html_to_markdown(markup: str, base: str = "") -> str:
    """An HTML fragment in the stored form, whatever it holds: lxml when it reads it all,
    else the tolerant BeautifulSoup walk's paragraphs, escaped. ``base``: see
    :func:`fragment_to_markdown`."""
    from reader.importers.html import html_to_paragraphs

    # Escape sequences written literally are cleaned first, whole (the tree's texts are
    # cleaned again once the parser has decoded character references).
    markup = strip_unsafe(markup)
    if is_plain(markup):
        return plain_to_markdown(markup)
    converted = fragment_to_markdown(markup, base)
    if converted is not None:
        return converted
    return escape_text(html_to_paragraphs(markup))



# -- markup without tags: the trees' results without the trees -----------------------


def is_plain(markup: str) -> bool:
    """Whether HTML ``markup`` holds no tag and no character reference (most RSS
    descriptions): an HTML parser hands such text back as it is, as one text node."""
    return "<" not in markup and "&" not in markup


def plain_to_markdown(text: str) -> str:
    """What :func:`fragment_to_markdown` makes of ``text`` (cleaned, :func:`is_plain`),
    without its two lxml trees: the one text node is one paragraph, whitespace folded
    and markup characters escaped. tests/test_feed_fast_paths.py holds the two equal."""
    if not text.strip():
        return ""
    return _paragraph(escape_inline(_folded(text)))


def plain_to_paragraphs(text: str) -> str:
    """What reader.importers.html.html_to_paragraphs makes of ``text`` (:func:`is_plain`)
    without its BeautifulSoup tree: the walk folds a text node's whitespace runs to one
    space, then cleans the paragraphs. tests/test_feed_fast_paths.py holds the two equal."""
    return clean_paragraphs(_folded(text))
