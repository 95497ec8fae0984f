"""The tag prompt (``t`` in the library and in the reader) and the save behind it.

The article's tags are filled in as an editable comma list: deleting a name removes that
tag (an importer's too: the removal is kept), typing one adds it, and the library's other
tags complete the name being typed (→ or Tab takes it). A name that cannot be one (see
:func:`reader.tags.tag_name`) keeps the prompt open with the reason and the text as typed.

Saving runs in a thread (it rewrites the article's search document, see
:meth:`reader.library.Library.edit_tags`); then :class:`TagsChanged` goes to the library
screen (its sources pane and preview) and ``on_saved`` tells the screen that asked.
Names are shown as :class:`~textual.content.Content`, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Input, Static

from reader.errors import InvalidTag, ReaderError
from reader.tags import as_list, edits_from_list
from reader.tui.keymap import binding_source
from reader.tui.messages import TagsChanged
from reader.tui.screens.ordered_prompt import OrderedPrompt
from reader.tui.wording import error_sentence

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


def tags_line(tags: Sequence[str]) -> Content:
    """The tags of an article for a header or a preview ("" when it has none)."""
    if not tags:
        return Content("")
    return Content.assemble(("Tags: ", "dim"), Content(", ".join(tags)).stylize("$accent"))


class TagSuggester(Suggester):
    """Completes the name after the last comma from the library's tags."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.names: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        typed = last.lstrip().lower()
        if not typed:
            return None
        taken = {part.strip().lower() for part in head.split(",")}
        for name in self.names:
            if name.startswith(typed) and name != typed and name not in taken:
                return value[: len(value) - len(typed)] + name
        return None


@binding_source(None)
class TagInput(Input):
    """The tag list: Tab takes the completion (there is nothing else to tab to)."""

    BINDINGS = [Binding("tab", "complete", "Complete the tag", show=False, id="complete_tag")]

    def action_complete(self) -> None:
        self.cursor_position = len(self.value)
        self.action_cursor_right()  # at the end of the text, this takes the suggestion


@binding_source(None)
class TagPrompt(OrderedPrompt[tuple[list[str], list[str]] | None]):
    """Edit one article's tags; dismisses with (to add, to remove), or None (Escape)."""

    DEFAULT_CSS = """
    TagPrompt { align: center middle; background: $background 60%; }
    TagPrompt #tag-prompt { width: 76; max-width: 100%; height: auto; padding: 1 2;
                            border: thick $primary; background: $surface; }
    TagPrompt #tag-prompt-title { text-style: bold; margin-bottom: 1; }
    TagPrompt #tag-prompt-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True, id="cancel_tags")]
    HINT = "Names separated by commas: delete one to remove it, type one to add it.\nEnter saves, Escape cancels, Tab or → completes a tag."

    def __init__(self, title: str, tags: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._tags = list(tags)
        self._suggester = TagSuggester()

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-prompt"):
            yield Static(Content.assemble("Tags of ", Content(self._title)), id="tag-prompt-title", markup=False)
            # The text is not selected and ends with a separator, so a name typed at once
            # is added: selected (Textual's default), it replaced every tag of the article.
            current = as_list(self._tags)
            yield TagInput(value=f"{current}, " if current else "", placeholder="e.g. later, harbour",
                           id="tag-prompt-input", suggester=self._suggester, select_on_focus=False)
            yield Static(Content(self.HINT), id="tag-prompt-hint", markup=False)

    def on_mount(self) -> None:
        self._load_names()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load_names(self) -> None:
        try:
            self._suggester.names = [count.name for count in self.app.library.tag_counts()]  # type: ignore[attr-defined]
        except ReaderError:
            pass  # no completions; the tags can still be typed

    def submit(self, value: str) -> None:
        try:
            add, remove = edits_from_list(self._tags, value)
        except InvalidTag as exc:
            self.query_one("#tag-prompt-hint", Static).update(
                Content.assemble((str(exc) + "\n", "bold $error"), Content(self.HINT))
            )
            return
        self.dismiss((add, remove))



def edit_tags(app: ReaderApp, article_id: str, on_saved: Callable[[tuple[str, ...]], None] | None = None) -> None:
    """Ask for the article's tags, then save what changed (``t``)."""
    if app.library.read_only:
        app.tell_read_only()
        return
    try:
        article = app.library.get(article_id)
    except ReaderError as exc:
        app.say(error_sentence(exc), severity="error")
        return

    def chosen(edits: tuple[list[str], list[str]] | None) -> None:
        if edits and (edits[0] or edits[1]):
            _save(app, article.id, edits[0], edits[1], on_saved)

    app.push_screen(TagPrompt(article.title, article.shown_tags), chosen)


def _save(
    app: ReaderApp, article_id: str, add: list[str], remove: list[str], on_saved: Callable[[tuple[str, ...]], None] | None
) -> None:
    def save() -> None:
        try:
            tags = app.library.edit_tags(article_id, add, remove)
        except ReaderError as exc:
            app.call_from_thread(app.say, f"The tags were not saved: {error_sentence(exc)}", severity="error")
            return
        app.call_from_thread(_saved, tags)

    def _saved(tags: tuple[str, ...]) -> None:
        app.say("Tags: " + ", ".join(tags) if tags else "No tags now.")
        app.post_message(TagsChanged(article_id, tags))
        if on_saved is not None:
            on_saved(tags)

    app.run_worker(save, thread=True, group="tags", exit_on_error=False)
