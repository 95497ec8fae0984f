"""A small dialog that asks for a path (import, export bookmarks).

It returns the path typed (Enter) or None (Escape) through ``dismiss``. The path
completes as it is typed (→ takes the completion), a path that ``check`` refuses keeps
the dialog open with the reason and the text as typed (a typo costs one key, not the
whole path), and with ``confirm_replace`` an existing file is replaced only after a
second Enter.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Input, Static

from reader.tui.keymap import binding_source
from reader.tui.screens.ordered_prompt import OrderedPrompt

MAX_LISTED = 2000  # entries of a folder looked at for a completion: a huge folder stays quick


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk (folders end in "/")."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder, slash, start = value.rpartition("/")
        base = Path(os.path.expanduser(folder + slash)) if slash else Path(".")
        names: list[tuple[str, bool]] = []
        try:
            with os.scandir(base) as entries:
                for count, entry in enumerate(entries):
                    if count >= MAX_LISTED:
                        break
                    if entry.name.startswith(start) and (start.startswith(".") or not entry.name.startswith(".")):
                        names.append((entry.name, entry.is_dir()))
        except OSError:
            return None
        if not names:
            return None
        name, is_dir = min(names)
        return folder + slash + name + ("/" if is_dir else "")


@binding_source(None)
class PathInput(Input):
    """The path field: Tab takes the completion (there is nothing else to tab to)."""

    BINDINGS = [Binding("tab", "complete", "Complete the path", show=False, id="complete_path")]

    def action_complete(self) -> None:
        self.cursor_position = len(self.value)
        self.action_cursor_right()  # at the end of the text, this takes the suggestion


@binding_source(None)
class PathPrompt(OrderedPrompt[str | None]):
    """Ask for a file or folder path."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True, id="cancel_prompt")]

    def __init__(
        self,
        title: str,
        hint: str,
        value: str = "",
        *,
        check: Callable[[Path], str | None] | None = None,
        confirm_replace: bool = False,
    ) -> None:
        super().__init__()
        self._title = title
        self._hint = hint
        self._value = value
        self._check = check
        self._confirm_replace = confirm_replace
        self._confirmed: str | None = None  # the value a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Static(self._title, id="prompt-title", markup=False)
            yield PathInput(value=self._value, placeholder="a path, e.g. ~/Downloads/articles", id="prompt-input", suggester=PathSuggester())
            yield Static(self._hint_text(), id="prompt-hint", markup=False)

    def _hint_text(self, problem: str = "") -> Content:
        text = Content(self._hint + "\nTab or → completes the path. Enter to confirm, Escape to cancel.")
        return Content.assemble((problem + "\n", "bold $error"), text) if problem else text

    def submit(self, value: str) -> None:
        value = value.strip()
        if not value:
            self.dismiss(None)
            return
        path = Path(value).expanduser()
        problem = self._check(path) if self._check else None
        if problem:
            self.query_one("#prompt-hint", Static).update(self._hint_text(problem))
            return
        if self._confirm_replace and path.is_file() and self._confirmed != value:
            self._confirmed = value
            self.query_one("#prompt-hint", Static).update(self._hint_text(f"{path} exists. Enter again to replace it."))
            return
        self.dismiss(value)

    @on(Input.Changed)
    def _changed(self) -> None:
        self._confirmed = None

