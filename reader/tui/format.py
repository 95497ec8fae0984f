"""Small formatting helpers shared by the screens and widgets: dates, languages, lines.

They return plain ``str`` for our own words and :class:`~textual.content.Content` for
anything that quotes article data, so untrusted text is never parsed as markup
(see DESIGN.md, "Untrusted text stays text").
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.strip import Strip

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "it": "Italiano", "nl": "Nederlands"}


def language_label(code: str) -> str:
    """A readable language name for a code, or the code itself."""
    return LANGUAGE_NAMES.get(code.lower(), code.upper())


def one_line(text: str) -> str:
    """Replace line breaks and tabs one for one, so offsets into ``text`` stay valid."""
    return text.replace("\n", " ").replace("\t", " ").replace("\r", " ")


def joined(*parts: str, separator: str = " · ") -> Content:
    """Non-empty parts joined, as Content (the parts may be article data)."""
    return Content(separator.join(part for part in parts if part))


def quoted(text: str, limit: int = 60) -> str:
    """Untrusted text shortened for a message (the message itself must not be markup)."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def plural(count: int, noun: str) -> str:
    """``1 article``, ``2 articles``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def text_strip(text: Text, console: Console) -> Strip:
    """A one-line rich Text as a Strip, its base style included.

    ``Text.render`` leaves the base style out when the text has no spans (a console
    adds it when printing); a Line API widget has to add it itself.
    """
    return Strip(list(Segment.apply_style(text.render(console), console.get_style(text.style))))
