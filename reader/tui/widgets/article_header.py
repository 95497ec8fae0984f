"""The reader's header: the title, a line of facts about the article, its link, its tags.

The facts ("by …", source, date, language, "3 min read") and the bookmark mark are laid
out at the header's width, a part never broken inside: they are joined with `` · `` on
a line while they fit, and the next part starts a new line. At 80 columns a long byline
and "☆ Not bookmarked (b)" no longer run into each other mid-phrase. The height is
computed at the width Textual asks about (:meth:`get_content_height`), so it is right on
the first frame.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

SEPARATOR = " · "
MARK_GAP = "   "


def pack(parts: list[str], width: int, separator: str = SEPARATOR) -> list[list[str]]:
    """``parts`` in lines of at most ``width`` cells, joined by ``separator``; a part
    wider than a line has a line of its own (where it wraps)."""
    lines: list[list[str]] = []
    used = 0
    for part in parts:
        size = cell_len(part)
        if lines and used + cell_len(separator) + size <= width:
            lines[-1].append(part)
            used += cell_len(separator) + size
        else:
            lines.append([part])
            used = size
    return lines


class ArticleHeader(Widget):
    """Title, facts and mark, the URL and the tags line; set with :meth:`show`."""

    DEFAULT_CSS = "ArticleHeader { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = Content("")
        self._facts: list[str] = []
        self._mark = Content("")
        self._url = ""
        self._tags = Content("")

    def show(self, title: str, facts: list[str], mark: Content, url: str = "", tags: Content | None = None) -> None:
        """``title``, ``facts`` and ``url`` are article data: shown as text, never markup;
        ``tags`` is a line built as Content by the caller (empty: no line)."""
        self._title, self._facts, self._mark, self._url = Content(title), facts, mark, url
        self._tags = tags if tags is not None else Content("")
        self.refresh(layout=True)

    def _content(self, width: int) -> Content:
        width = max(1, width)
        lines: list[Content] = [self._title.stylize("bold")]
        packed = pack(self._facts, width)
        facts = [Content(SEPARATOR.join(line)).stylize("dim") for line in packed]
        mark = self._mark
        if mark.plain:
            last = cell_len(SEPARATOR.join(packed[-1])) if packed else 0
            if facts and last + len(MARK_GAP) + mark.cell_length <= width:
                facts[-1] = Content.assemble(facts[-1], MARK_GAP, mark)
            else:
                facts.append(mark)
        lines += facts
        if self._url:
            lines.append(Content(self._url).stylize("dim underline"))
        if self._tags.plain:
            lines.append(self._tags)
        return Content("\n").join(lines)

    def render(self) -> Content:
        return self._content(self.content_region.width or self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._content(width).get_height(self.styles, width)  # type: ignore[arg-type]  # as Widget.get_content_height does
