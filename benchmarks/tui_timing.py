"""The app, measured in tmux like a person sees it, on a library already imported.

* time from launch to the first titles on screen, ``reader`` against a bare Textual app
  that paints one line (median of several runs, and the median of the per-run ratios);
* resident memory of the app process right after the first paint and once the start-up
  index check has loaded Whoosh;
* search-box latency: a word typed into the search box, time until the status line
  shows its results' count (the keys are sent at once, so this is from the last
  keystroke), beside the floor: a bare Textual input showing the same keys.

Needs tmux; runs the ``reader`` command next to this Python.
"""

from __future__ import annotations

import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.importing import READER
from benchmarks.latency import percentile
from reader.library import Library

READER_PACKAGE = Path(__file__).resolve().parent.parent / "reader"

WIDTH, HEIGHT = 120, 40
BARE_MARKER = "bare-textual-app-ready"
BARE_APP = f'''
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("{BARE_MARKER}")

Bare().run()
'''
# The floor under the search box's figure: a bare Textual app with an input that shows
# what was typed. Terminal, tmux and Textual's own key handling and repaint are in both.
BARE_INPUT_APP = """
from textual.app import App
from textual.widgets import Input, Static

class BareInput(App):
    def compose(self):
        yield Input()
        yield Static("bare-input-ready", id="echo")

    def on_input_changed(self, event):
        self.query_one("#echo", Static).update(f"typed {event.value}!")

BareInput().run()
"""
SEARCH_WORDS = ("harbour", "climate", "election", "hospital", "railway")


# A tmux server of our own, kept up by an idle session for the whole run: the sessions
# measured neither start a server (which would add to every launch) nor race one that
# is exiting because its last session just ended.
TMUX = ["tmux", "-L", f"reader-bench-{os.getpid()}"]


class Session:
    """A tmux session running one command; the clock starts when it is created."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.name = f"bench-{time.monotonic_ns()}"
        exports = [f"{k}={v}" for k, v in env.items()]
        self.started = time.perf_counter()
        subprocess.run([*TMUX, "new-session", "-d", "-s", self.name, "-x", str(WIDTH), "-y", str(HEIGHT), "env", *exports, *command], check=True)

    def screen(self) -> str:
        return subprocess.run([*TMUX, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def wait_for(self, text: str | re.Pattern, timeout: float = 30.0, since: float | None = None) -> float:
        """Seconds from ``since`` (default: launch) until ``text`` (or the pattern) is on screen."""
        start = self.started if since is None else since
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            screen = self.screen()
            if text.search(screen) if isinstance(text, re.Pattern) else text in screen:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise TimeoutError(f"{text!r} not on screen after {timeout}s:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run([*TMUX, "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True)

    def rss_mb(self) -> float:
        pid = subprocess.run([*TMUX, "list-panes", "-t", self.name, "-F", "#{pane_pid}"], capture_output=True, text=True).stdout.split()[0]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        subprocess.run([*TMUX, "kill-session", "-t", self.name], capture_output=True)


def first_title(data_dir: Path) -> str:
    with Library.open(data_dir) as library:
        title = library.list_articles(limit=1)[0].title
    return title[:30]


def run(data_dir: Path, runs: int) -> dict:
    """Start Reader (and the bare app) ``runs`` times on the library in ``data_dir``."""
    # An installed wheel has its bytecode compiled; a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile Reader's modules at every start.
    compileall.compile_dir(READER_PACKAGE, quiet=1)
    subprocess.run([*TMUX, "new-session", "-d", "-s", "anchor", "sleep", "86400"], check=True)
    try:
        return _measure(data_dir, runs)
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)


def _measure(data_dir: Path, runs: int) -> dict:
    reader = str(READER)
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(data_dir / "no-config"), "TERM": "xterm-256color"}
    title = first_title(data_dir)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(BARE_APP)
        bare_script = handle.name
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(BARE_INPUT_APP)
        bare_input_script = handle.name

    bare_times, reader_times, rss_first, rss_settled, search_ms, echo_ms = [], [], [], [], [], []
    warm = Session([reader], env)  # one unmeasured start: page cache and bytecode warm
    try:
        warm.wait_for(title)
    finally:
        warm.close()
    for run in range(runs):
        bare = Session([sys.executable, bare_script], env)
        try:
            bare_times.append(bare.wait_for(BARE_MARKER))
        finally:
            bare.close()

        bare_input = Session([sys.executable, bare_input_script], env)
        try:
            bare_input.wait_for("bare-input-ready")
            for word in SEARCH_WORDS:
                sent = time.perf_counter()
                bare_input.keys(word, literal=True)
                echo_ms.append(1000 * bare_input.wait_for(f"typed {word}!", since=sent))
                bare_input.keys("C-u")
                bare_input.wait_for("typed !")
        finally:
            bare_input.close()

        app = Session([reader], env)
        try:
            reader_times.append(app.wait_for(title))
            rss_first.append(app.rss_mb())
            app.wait_for("unread")
            time.sleep(2.0)  # the start-up index check loads Whoosh
            rss_settled.append(app.rss_mb())
            app.keys("/")
            time.sleep(0.3)
            for word in SEARCH_WORDS:
                sent = time.perf_counter()
                app.keys(word, literal=True)
                # The results' count, not "Searching for “harbour”…", which comes first.
                results = re.compile(rf"[\d,]+ results? for “{word}”")
                search_ms.append(1000 * app.wait_for(results, since=sent))
                app.keys("C-u")  # clear the box (readline's kill-line; Textual's Input has it)
                app.wait_for("articles ·")
                # A person types the next word a moment after the list is back, not in
                # the same millisecond: repainting the whole list (and its preview)
                # after a clear takes the app 50 to 100 ms at 100,000 articles.
                time.sleep(0.5)
        finally:
            app.close()
        print(f"  tui run {run + 1}/{runs}: bare {bare_times[-1]:.3f}s reader {reader_times[-1]:.3f}s", file=sys.stderr)

    Path(bare_script).unlink()
    Path(bare_input_script).unlink()
    return {
        "runs": runs,
        "size": f"{WIDTH}x{HEIGHT}",
        "first_paint_bare_ms": round(statistics.median(bare_times) * 1000),
        "first_paint_reader_ms": round(statistics.median(reader_times) * 1000),
        # Each run starts both apps back to back; the median of the per-run ratios is
        # steadier than a ratio of medians on a machine whose load drifts.
        "first_paint_ratio": round(statistics.median(r / b for r, b in zip(reader_times, bare_times, strict=False)), 2),
        "rss_after_first_paint_mb": round(max(rss_first)),
        "rss_after_index_open_mb": round(max(rss_settled)),
        "search_box_p50_ms": round(percentile(search_ms, 50)),
        "search_box_p95_ms": round(percentile(search_ms, 95)),
        "search_box_max_ms": round(max(search_ms)),
        "bare_input_echo_p50_ms": round(percentile(echo_ms, 50)),
        "bare_input_echo_p95_ms": round(percentile(echo_ms, 95)),
    }
