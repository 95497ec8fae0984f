"""Deleting from the app, and undoing it: what the library screen keeps for ``z``.

``d`` takes an article out of the list at once (the cursor moves on to the next one)
and moves it to the trash in the background (:meth:`reader.library.Library.delete`), finished before the
app closes the library when it quits;
``z`` puts the last deletion back, again at once, and restores it in the background, as
many deletions back as :data:`UNDO_DEPTH`. The background work runs one job after the
other, in the order the keys came (:class:`SerialJobs`): ``d`` then ``z`` typed within
milliseconds deletes, then restores, never the other way round.

Before a deletion, the writes the state writer still holds (a bookmark pressed just
before ``d``, the reading position of the article just left) are waited for, so that the
trash keeps them and a restore brings them back.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.dom import DOMNode
from textual.message import Message

from reader.errors import ReaderError
from reader.model import ArticleRow, SearchHit
from reader.tui.wording import error_sentence

log = logging.getLogger(__name__)

UNDO_DEPTH = 50  # deletions that z can undo, the last first
WRITES_WAIT = 2.0  # seconds a deletion waits for the state writes still pending


@dataclass
class Deletion:
    """One ``d`` (or "Remove all samples"): what went, and where it was in the list."""

    ids: list[str]
    name: str  # “Title”, or "12 sample articles": what the notices call it
    rows: list[tuple[int, ArticleRow]] = field(default_factory=list)  # (index in the rows, row)
    hits: list[tuple[int, SearchHit]] = field(default_factory=list)  # (index in the results, hit)
    query: str = ""  # the search whose results ``hits`` were taken from


class JobDone(Message):
    """A job of :class:`SerialJobs` ended: ``then(result)``, or ``error`` to say."""

    def __init__(self, then: Callable[[Any], None], result: Any, error: str | None) -> None:
        super().__init__()
        self.then = then
        self.result = result
        self.error = error


class SerialJobs:
    """Jobs run one after another, in the order given, in a worker thread of ``owner``;
    each ends with a :class:`JobDone` posted to ``owner``. :meth:`finish` runs what is
    left in the calling thread (the app is quitting and may cancel the worker)."""

    def __init__(self, owner: DOMNode, group: str) -> None:
        self._owner = owner
        self._group = group
        self._jobs: deque[tuple[Callable[[], Any], Callable[[Any], None]]] = deque()
        self._lock = threading.Lock()  # guards the queue and _running
        self._one_at_a_time = threading.Lock()  # held while a job runs, whoever runs it
        self._running = False

    def run(self, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        with self._lock:
            self._jobs.append((job, then))
            if self._running:
                return  # the running worker takes it next
            self._running = True
        self._owner.run_worker(self._drain, thread=True, group=self._group, exit_on_error=False)

    def finish(self) -> None:
        """Run every job still waiting, here, after the one running now: a ``d`` pressed
        just before ``q`` reaches the disk before the app closes the library."""
        while self._run_next():
            pass

    def _drain(self) -> None:
        while True:
            while self._run_next():
                pass
            with self._lock:
                if not self._jobs:  # else one came as this thread was leaving: take it too
                    self._running = False
                    return

    def _run_next(self) -> bool:
        """Run the next job, if any; False when the queue was empty."""
        with self._one_at_a_time:
            with self._lock:
                if not self._jobs:
                    return False
                job, then = self._jobs.popleft()
            try:
                self._owner.post_message(JobDone(then, job(), None))
            except ReaderError as exc:
                self._owner.post_message(JobDone(then, None, error_sentence(exc)))
            except Exception as exc:  # a bug: said, and the jobs after it still run
                log.exception("%s job failed", self._group)
                self._owner.post_message(JobDone(then, None, f"unexpected {type(exc).__name__}: {exc}"))
            return True
