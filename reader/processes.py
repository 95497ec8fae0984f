"""How Reader starts its worker processes (the index writers, the feed parsers).

One rule for both: ``fork`` for a process with one thread (the CLI, a script), else
``forkserver`` (or ``spawn`` where there is no forkserver).

``fork`` starts the children at once and never runs the program's main module again
(``spawn`` and ``forkserver`` import it in each child, which re-runs a script that does
its work outside an ``if __name__ == "__main__":`` guard), but a process forked while
other threads run (the app's workers) may copy a lock one of them holds, and the child
waits for ever: there a fresh, single-threaded fork server starts the children instead.
(``reader`` and ``python -m reader`` are guarded.)
"""

from __future__ import annotations

import multiprocessing
import threading


def default_start_method() -> str:
    """The start method for children started now, by the rule above."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"
