"""One line of the sources pane: a name and its count, the name cut to fit.

The pane is narrow (30 columns, a quarter of the screen at most: 20 at 80 columns), and
an option's :class:`~textual.content.Content` wraps: a long tag or feed name took two or
three lines and pushed its unread count onto the last one, away from the name's start.
A :class:`PaneLine` is laid out at the width it is drawn at (it is a Textual
:class:`~textual.visual.Visual`, so it follows a resize): the name is cut with "…" where
it must be, the count always shows, and a feed's last error wraps below. Everything is
:class:`Content`, so nothing in a name is parsed as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions

NARROWEST_NAME = 4
"""Below this many cells for the name ("Ha…"), the line wraps as plain Content would."""


class PaneLine(Visual):
    """``name`` and ``count`` on one line, then ``below`` (if any) wrapped."""

    def __init__(self, name: Content, count: Content | None = None, below: Content | None = None) -> None:
        self.name = name
        self.count = count if count is not None else Content("")
        self.below = below

    @property
    def plain(self) -> str:
        """The whole text, uncut (what the line says, for a reader of the options)."""
        return self._laid_out(None).plain

    def _laid_out(self, width: int | None) -> Content:
        name = self.name
        counted = self.count.cell_length > 0
        if width is not None:
            room = width - (self.count.cell_length + 1 if counted else 0)
            if room >= NARROWEST_NAME and name.cell_length > room:
                name = name.truncate(room, ellipsis=True)
        line = Content.assemble(name, " ", self.count) if counted else name
        return Content.assemble(line, "\n", self.below) if self.below is not None else line

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self._laid_out(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._laid_out(None).get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._laid_out(width).get_height(rules, width)
