"""The progress line for long work (import, reindex, samples, index repair).

Every screen has one; they all follow the app's ``task_signal``, so a task started on
one screen keeps showing its progress on the next. Hidden when nothing runs, and for
quiet tasks (the start-up index check) until they report real work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.containers import Horizontal

if TYPE_CHECKING:
    from textual import getters

    from reader.tui.app import ReaderApp


@dataclass(frozen=True)
class TaskState:
    """What a long task is doing: ``total`` 0 means not known yet."""

    label: str
    done: int = 0
    total: int = 0
    quiet: bool = False

    @property
    def visible(self) -> bool:
        return not self.quiet or self.total > 0


class TaskBar(Horizontal):
    """A label and a progress bar, shown while the app runs a long task.

    The two are mounted when first needed: most starts run no visible task, and
    every widget mounted before the first frame delays the first titles.
    """

    if TYPE_CHECKING:
        app = getters.app(ReaderApp)

    async def on_mount(self) -> None:
        self.app.task_signal.subscribe(self, self.show_state)
        await self.show_state(self.app.current_task)

    async def show_state(self, state: TaskState | None) -> None:
        self.display = bool(state and state.visible)
        if state is None or not state.visible:
            return
        # Imported here, not at the top: their import is 2 ms of the first frame.
        from textual.widgets import Label, ProgressBar

        if not self.children:
            await self.mount(Label(id="task-label", markup=False), ProgressBar(show_eta=False, id="task-progress"))
        self.query_one("#task-label", Label).update(state.label)
        self.query_one("#task-progress", ProgressBar).update(total=state.total or None, progress=state.done)
