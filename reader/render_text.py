"""A body as plain text for ``reader show --format text``: the structure the reader
screen draws, in characters.

Built from the same parsed :class:`reader.body.Document` and the same layout
(:func:`reader.body.flatten`): headings underlined, paragraphs wrapped to the width,
list markers with hanging indents, quote bars, code verbatim (indented, never wrapped),
and each link's URL as a numbered footnote (``text [1]``) listed after the text, so
the words read without URLs in the way and the URLs are all there to copy.
"""

from __future__ import annotations

import textwrap

from reader.body import Block, BlockKind, Document, Leaf, Style, flatten, parse, prefix_text

_CODE_INDENT = "    "


def render_text(body: str | Document, width: int = 88) -> list[str]:
    """The lines of ``body`` at ``width`` columns (at least 20 are used for the words)."""
    document = parse(body) if isinstance(body, str) else body
    urls: dict[str, int] = {}
    lines: list[str] = []
    for leaf in flatten(document):
        if leaf.blank_before:
            lines.append(prefix_text(leaf.gap).rstrip())
        lines.extend(_leaf_lines(leaf, width, urls))
    if urls:
        lines += ["", "Links"]
        lines += [f"[{number}] {url}" for url, number in urls.items()]
    return lines


def _leaf_lines(leaf: Leaf, width: int, urls: dict[str, int]) -> list[str]:
    first, rest = prefix_text(leaf.first), prefix_text(leaf.rest)
    block = leaf.block
    if block.kind is BlockKind.RULE:
        return [first + "* * *"]
    if block.kind is BlockKind.CODE:
        code = block.text.split("\n")
        return [(first if i == 0 else rest) + _CODE_INDENT + line for i, line in enumerate(code)]
    text = _inline_text(block, urls)
    wrapper = textwrap.TextWrapper(
        width=max(len(rest) + 20, width),
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    )
    lines: list[str] = []
    for number, segment in enumerate(text.split("\n")):  # hard line breaks
        if number:
            wrapper.initial_indent = rest
        lines.extend(wrapper.wrap(segment) or [wrapper.initial_indent.rstrip()])
    if block.kind is BlockKind.HEADING and block.level <= 2:
        underline = "=" if block.level == 1 else "-"
        longest = max(len(line) for line in lines) - len(rest)
        lines.append(rest + underline * max(1, min(longest, width - len(rest))))
    return lines


def _inline_text(block: Block, urls: dict[str, int]) -> str:
    parts: list[str] = []
    spans = block.spans
    for index, span in enumerate(spans):
        text = span.text
        if span.style & Style.CODE and block.kind is not BlockKind.CODE:
            text = f"`{text}`"
        parts.append(text)
        ends_link = span.url and (index + 1 == len(spans) or spans[index + 1].url != span.url)
        if ends_link:
            number = urls.setdefault(span.url, len(urls) + 1)
            parts.append(f" [{number}]")
    return "".join(parts)
