"""Related-article links: focusable cards below the article text.

Tab and Shift+Tab move between them (they are ordinary focusable widgets, which is what
Frogmouth issue 107 asks for), Enter follows one. A card shows its title, its summary
and where it leads: an article of the library, or a summary only.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from reader.model import RelatedLink, SearchHit
from reader.tui.keymap import binding_source


@dataclass(frozen=True)
class LinkTarget:
    """Where a card leads: ``article_id`` when the library has the article."""

    title: str
    summary: str = ""
    language: str = ""
    url: str = ""
    article_id: str | None = None

    @classmethod
    def from_related(cls, link: RelatedLink) -> LinkTarget:
        return cls(link.title, link.summary, link.language, link.url, link.target_id)

    @classmethod
    def from_hit(cls, hit: SearchHit) -> LinkTarget:
        return cls(hit.title, " ".join(hit.snippet.split()), hit.language, "", hit.id)


@binding_source('Reading')
class RelatedCard(Vertical, can_focus=True):
    """One link; Enter (or a click) posts :class:`RelatedCard.Followed`."""

    # priority: bound as the key arrives, so that the keys typed after it wait for the
    # page it opens (see action_follow_in_order)
    BINDINGS = [Binding("enter", "follow_in_order", "Follow link", priority=True, id="follow_link")]

    class Followed(Message):
        def __init__(self, target: LinkTarget) -> None:
            super().__init__()
            self.target = target

    def __init__(self, target: LinkTarget) -> None:
        super().__init__(classes="in-library" if target.article_id else "elsewhere")
        self.target = target

    def compose(self) -> ComposeResult:
        target = self.target
        where = "in your library" if target.article_id else "not in your library: opens its summary"
        yield Static(Content.assemble(("→ ", "bold"), Content(" ".join(target.title.split()))), classes="card-title")
        if target.summary:
            yield Static(Content(" ".join(target.summary.split())), classes="card-summary")
        yield Static(Content(" · ".join(p for p in (target.language.upper(), where) if p)), classes="card-where")

    def action_follow(self) -> None:
        self.post_message(self.Followed(self.target))

    def action_follow_in_order(self) -> None:
        """Enter: the screen holds the keys typed from now on until the page followed is
        placed, and the link is followed after the keys typed before it. As a plain
        binding, "⏎ j j j" scrolled the page being left (the j's reached the screen before
        the card's message did) and the new page then opened at its top: the j's were lost."""
        hold = getattr(self.screen, "hold_keys_until_placed", None)  # the reader's; cards live there
        if hold is not None:
            hold()
        self.call_later(self.action_follow)

    def on_click(self) -> None:
        self.action_follow()
