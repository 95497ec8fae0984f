"""The base of Reader's screens: ``self.app`` typed as :class:`~reader.tui.app.ReaderApp`.

Textual types ``Widget.app`` as ``App[object]``, so every ``self.app.library`` was an
error to mypy. ``textual.getters.app`` is Textual's public way to narrow it; it is
declared for the type checker only, because importing the app here at run time would be
an import cycle (the app imports its screens). At run time the base property answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from textual import getters

    from reader.tui.app import ReaderApp

ResultT = TypeVar("ResultT")


class ReaderScreen(Screen[ResultT]):
    """A full screen of the app."""

    if TYPE_CHECKING:
        app = getters.app(ReaderApp)
