"""Saved searches in the app: ``S`` (and the palette) saves the search box's query under
a name; the sources pane shows them in a "Saved searches" section with what each finds
now (unread, of all); choosing one puts its query in the search box and runs it; Delete
in the pane forgets the highlighted one.

The pane's section is built here (:func:`section_options`), so that the sources pane
only asks for it; the storage is :class:`reader.saved_searches.SavedSearches`. Names
and queries are text a person typed (or a script saved with ``reader search --save``):
every line is built as :class:`~textual.content.Content`, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.saved_searches import SavedSearch, SearchCounts, count
from reader.text import clean_line
from reader.tui.format import quoted
from reader.tui.keymap import binding_source
from reader.tui.screens.ordered_prompt import OrderedPrompt
from reader.tui.widgets.pane_line import PaneLine
from reader.tui.wording import error_sentence

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

OPTION_PREFIX = "saved-search:"  # option ids of the pane's section: OPTION_PREFIX + name
HEADER_ID = "saved-searches"  # the section's title line (disabled: the cursor steps over it)
SECTION_TITLE = "Saved searches"


@dataclass(frozen=True)
class SavedLine:
    """One line of the section: the saved search and, once counted, what it finds."""

    search: SavedSearch
    counts: SearchCounts | None = None


class SavedSearchChosen(Message):
    """A saved search was chosen (the pane, the palette): search for its query."""

    def __init__(self, search: SavedSearch) -> None:
        super().__init__()
        self.search = search


def saved_lines(app: ReaderApp) -> list[SavedLine]:
    """The section's lines, not counted yet (in a worker: one query of the database)."""
    return [SavedLine(search) for search in app.library.saved_searches.all()]


def counted(app: ReaderApp, lines: list[SavedLine]) -> list[SavedLine]:
    """The lines with what each search finds now (in a worker: one or two searches each)."""
    return [SavedLine(line.search, count(app.library, line.search)) for line in lines]


def keep_counts(lines: list[SavedLine], shown: list[SavedLine]) -> list[SavedLine]:
    """``lines`` not counted yet, with the counts ``shown`` had for the same searches, so
    that a reload does not blank them while they are counted again."""
    known = {line.search: line.counts for line in shown if line.counts is not None}
    return [line if line.counts is not None else SavedLine(line.search, known.get(line.search)) for line in lines]


def section_options(lines: list[SavedLine]) -> list[Option]:
    """The "Saved searches" section of the sources pane: its title, then a line each."""
    if not lines:
        return []
    header = Option(Content.assemble((SECTION_TITLE, "bold")), id=HEADER_ID, disabled=True)
    return [header, *(Option(_prompt(line), id=OPTION_PREFIX + line.search.name) for line in lines)]  # safe: Content


def search_of(option_id: str | None, lines: list[SavedLine]) -> SavedSearch | None:
    """The saved search an option of the pane stands for (None: another section's line)."""
    if option_id is None or not option_id.startswith(OPTION_PREFIX):
        return None
    name = option_id[len(OPTION_PREFIX):]
    return next((line.search for line in lines if line.search.name == name), None)


def _prompt(line: SavedLine) -> PaneLine:
    name = Content(line.search.name)  # safe: Content is never parsed as markup
    counts = line.counts
    if counts is None:
        return PaneLine(name)
    if counts.error:
        return PaneLine(name, Content.styled("?", "$error"))
    about = "~" if counts.estimate else ""
    if counts.unread:
        return PaneLine(name, Content.assemble((f"{counts.unread:,}", "bold"), (f"/{about}{counts.total:,}", "dim")))
    return PaneLine(name, Content.styled(f"{about}{counts.total:,}", "dim"))


# -- saving and deleting ---------------------------------------------------------------------


@binding_source(None)
class NamePrompt(OrderedPrompt[str | None]):
    """Ask for a saved search's name; a name already used is replaced after a second Enter."""

    DEFAULT_CSS = """
    NamePrompt { align: center middle; background: $background 60%; }
    NamePrompt #name-prompt { width: 64; max-width: 100%; height: auto; padding: 1 2;
                              border: thick $primary; background: $surface; }
    NamePrompt #name-prompt-title { text-style: bold; margin-bottom: 1; }
    NamePrompt #name-prompt-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True, id="cancel_name_prompt")]

    def __init__(self, query: str, taken: list[str]) -> None:
        super().__init__()
        self._query = query
        self._taken = {name.casefold(): name for name in taken}
        self._confirmed: str | None = None  # the name a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical(id="name-prompt"):
            yield Static(Content.assemble("Save the search ", (quoted(self._query), "bold")), id="name-prompt-title")  # safe
            yield Input(placeholder="a name, e.g. Harbour news", id="name-prompt-input", max_length=80)
            yield Static(self._hint(), id="name-prompt-hint")  # safe: Content

    def _hint(self, problem: str = "") -> Content:
        text = Content("It appears under “Saved searches” beside the list. Enter to save, Escape to cancel.")
        return Content.assemble((problem + "\n", "bold $warning"), text) if problem else text

    def submit(self, value: str) -> None:
        name = clean_line(value)
        if not name:
            self.query_one("#name-prompt-hint", Static).update(self._hint("Type a name first."))
            return
        taken = self._taken.get(name.casefold())
        if taken is not None and self._confirmed != name:
            self._confirmed = name
            self.query_one("#name-prompt-hint", Static).update(
                self._hint(f"{quoted(taken)} is saved already. Enter again to replace it.")  # safe: Content
            )
            return
        self.dismiss(taken or name)  # "ferries" replaces "Ferries" rather than standing beside it

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._confirmed = None



def save_search(app: ReaderApp, query: str, reload: Callable[[], object]) -> None:
    """Ask for a name and keep ``query`` under it; ``reload`` shows the pane anew."""
    query = clean_line(query)
    if not query:
        app.say("Type a search first (/), then save it with S.")
        return
    if app.library.read_only:
        app.tell_read_only()
        return
    try:
        taken = [search.name for search in app.library.saved_searches.all()]
    except ReaderError as error:
        app.say(f"The saved searches could not be read: {error_sentence(error)}", severity="error")
        return

    def named(name: str | None) -> None:
        if name:
            app.run_worker(partial(_save, app, name, query, reload), thread=True, group="saved-searches", exit_on_error=False)

    app.push_screen(NamePrompt(query, taken), named)


def _save(app: ReaderApp, name: str, query: str, reload: Callable[[], object]) -> None:
    try:
        saved, replaced = app.library.saved_searches.save(name, query)
    except ReaderError as error:
        app.call_from_thread(app.say, f"The search was not saved: {error_sentence(error)}", severity="error")
        return
    verb = "Replaced the saved search" if replaced else "Saved the search as"
    app.call_from_thread(app.say, f"{verb} “{saved.name}”: it is listed beside the articles.")
    app.call_from_thread(reload)


def delete_search(app: ReaderApp, search: SavedSearch, reload: Callable[[], object]) -> None:
    """Forget ``search`` (in a worker), say so with its query (to save it again), reload."""
    if app.library.read_only:
        app.tell_read_only()
        return

    def work() -> None:
        try:
            gone = app.library.saved_searches.delete(search.name)
        except ReaderError as error:
            app.call_from_thread(app.say, f"The saved search was not deleted: {error_sentence(error)}", severity="error")
            return
        app.call_from_thread(app.say, f"Deleted the saved search “{gone.name}” ({gone.query}).")
        app.call_from_thread(reload)

    app.run_worker(work, thread=True, group="saved-searches", exit_on_error=False)


# -- the palette -----------------------------------------------------------------------------


class SavedSearchCommands(Provider):
    """Palette commands of the library screen: save the search, run a saved one."""

    async def startup(self) -> None:
        import asyncio

        app: ReaderApp = self.app  # type: ignore[assignment]
        try:
            self._saved: list[SavedSearch] = await asyncio.to_thread(app.library.saved_searches.all)
        except ReaderError:
            self._saved = []

    def _commands(self) -> list[tuple[Content, str, str, Callable[[], object]]]:
        from reader.tui.screens.library import LibraryScreen

        screen = self.screen
        commands: list[tuple[Content, str, str, Callable[[], object]]] = []
        if isinstance(screen, LibraryScreen):
            commands.append((Content("Save this search…"), "Save this search",
                             "Keep the search box's query under a name, beside the list (S)", screen.action_save_search))
            for search in self._saved:
                prompt = Content.assemble(("Saved search: ", "dim"), Content(search.name))  # safe
                commands.append((prompt, f"Saved search: {search.name}", search.query,
                                 partial(screen.post_message, SavedSearchChosen(search))))
        return commands

    async def discover(self) -> Hits:
        for prompt, text, help_text, callback in self._commands():
            yield DiscoveryHit(Content.assemble(prompt, "\n", (help_text, "dim")), callback, text=text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for prompt, text, help_text, callback in self._commands():
            if (score := matcher.match(text)) > 0:
                yield Hit(score, Content.assemble(prompt, "\n", (help_text, "dim")), callback, text=text)
