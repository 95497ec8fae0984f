"""A vertical scroll container that leaves the keys to its screen.

VerticalScroll brings its own (animated) bindings for arrows, page keys, home and end;
they would win over the screen's, which have ids for config.toml and vim-style twins.
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class PageScroll(VerticalScroll, inherit_bindings=False):
    """Scrolls with the mouse and the screen's bindings; focusable, no keys of its own."""
