"""Messages between the app's screens: nobody reaches into another screen's widgets.

Commands, the article screen and the app's poll thread ask the library screen for
things by posting one of these to the app (``app.post_message``); the app hands each to
its library screen, which alone knows its list, its search box and its filter. They do
not bubble (the library screen's parent is the app, which would hand them back); Textual
resets ``bubble`` to True for every subclass that does not say otherwise, so each does.

``ReloadLibrary`` replaces an older one still queued (``can_replace``, as toolong does
for superseded progress): three imports finishing at once read the rows once.
"""

from __future__ import annotations

from textual.message import Message

from reader.model import ArticleFlag


class ToLibrary(Message, bubble=False):
    """Base of the messages the app hands to the library screen."""


class ReloadLibrary(ToLibrary, bubble=False):
    """The library changed (an import here or elsewhere, a rebuilt index): read the rows again."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ReloadLibrary)


class FlagChanged(ToLibrary, bubble=False):
    """A bookmark or read mark was changed (and is being saved): show it in the list."""

    def __init__(self, article_id: str, flag: ArticleFlag, value: bool) -> None:
        super().__init__()
        self.article_id = article_id
        self.flag = flag
        self.value = value


class OpenArticle(ToLibrary, bubble=False):
    """Open this article from the list (the command palette's article search)."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class SearchFor(ToLibrary, bubble=False):
    """Type ``text`` into the search box (a related article's card)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ToggleBookmarksOnly(ToLibrary, bubble=False):
    """Show only bookmarks, or all articles again (the command palette)."""


class TagsChanged(ToLibrary, bubble=False):
    """An article's tags were saved: the sources pane and the preview show them."""

    def __init__(self, article_id: str, tags: tuple[str, ...]) -> None:
        super().__init__()
        self.article_id = article_id
        self.tags = tags
