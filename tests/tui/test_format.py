"""Rich Text into Textual strips (reader/tui/format.py)."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text

from reader.tui.format import text_strip


def test_a_text_styled_by_name_keeps_its_style():
    """A Text's base style may be a style name: it is parsed, not added to each segment
    as a str (``"bold" + None`` raised TypeError while drawing)."""
    strip = text_strip(Text("harbour", style="bold"), Console())
    assert [segment.style for segment in strip] == [Style(bold=True)]
    assert strip.text == "harbour"
