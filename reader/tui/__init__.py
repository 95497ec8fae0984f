"""The terminal app: ``run`` for the ``reader`` command, ``make_app`` for it and the tests.

The only package that imports Textual (see DESIGN.md). Both functions build the app the
same way, so what the tests drive is what a person runs.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.config import Config
    from reader.tui.app import ReaderApp

SWITCH_INTERVAL = 0.001  # seconds; see run()


def make_app(data_dir: str | os.PathLike[str] | None = None, config: Config | None = None) -> ReaderApp:
    """Open the library in ``data_dir`` and build the app; raises ReaderError if it cannot open."""
    from reader.config import load_config
    from reader.library import Library
    from reader.tui.app import ReaderApp

    library = Library.open(data_dir)
    library.clean_reads()  # titles another program wrote into the database reach no terminal
    return ReaderApp(library, config if config is not None else load_config())


def run(data_dir: str | os.PathLike[str] | None = None) -> int:
    """Run the app until the user quits; return the exit status."""
    from reader.errors import ReaderError
    from reader.text import strip_unsafe
    from reader.tui.wording import error_sentence

    try:
        app = make_app(data_dir)
    except ReaderError as exc:
        print(f"reader: {strip_unsafe(error_sentence(exc))}", file=sys.stderr)
        return 1
    # Textual hands every frame to its own output thread. While the main thread or a
    # worker (reading 100,000 rows, searching) holds the GIL, that thread waits up to
    # the switch interval (5 ms by default) each time it needs the GIL back, and a frame
    # takes several: at 100,000 articles the first titles reached the terminal 21 ms
    # after they were drawn, against 5 ms at 1 ms (medians of 10, timed in the process
    # against tmux's screen). The cost is more thread switches during CPU-bound work,
    # where the app has at most a few threads.
    sys.setswitchinterval(SWITCH_INTERVAL)
    app.run()
    if app.unsaved_at_exit:  # said after the terminal is restored, so that it stays readable
        reason = next((u.reason for u in app.unsaved_at_exit if u.reason), "still being written")
        print(f"reader: not saved ({strip_unsafe(reason)}):", file=sys.stderr)
        for change in app.unsaved_at_exit:
            print(f"  {strip_unsafe(change.describe())}", file=sys.stderr)
        return 1
    return app.return_code or 0
