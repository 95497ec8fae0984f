"""TUI benchmark, measured in tmux like a person sees it.

For a library of N articles (default 10,000, from ``benchmarks/corpus.py``):

* time from launch to the first titles on screen, ``reader`` against a bare Textual app
  that paints one line (median of several runs, and the ratio);
* resident memory of the app process right after the first paint and once the start-up
  index check has loaded Whoosh;
* search-box latency: a word typed into the search box, time until the status line
  shows its results (the keys are sent at once, so this is from the last keystroke).

    python benchmarks/bench_tui.py                      # 10,000 articles, 5 runs
    python benchmarks/bench_tui.py --articles 1000 --runs 3 --json out.json
    python benchmarks/bench_tui.py --data-dir DIR       # an existing library

The generated library is cached under benchmarks/out/ (ignored by git) so reruns skip
the import. Needs tmux; uses the ``reader`` command next to this Python.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.library import Library  # noqa: E402

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

    def wait_for(self, text: str, timeout: float = 30.0, since: float | None = None) -> float:
        """Seconds from ``since`` (default: launch) until ``text`` is on screen."""
        start = self.started if since is None else since
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text in self.screen():
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


def build_library(data_dir: Path, articles: int) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    with Library.open(data_dir) as library:
        if library.count() >= articles:
            return
        started = time.perf_counter()
        print(f"generating and importing {articles} articles into {data_dir} …", file=sys.stderr)
        library.add_articles(generate(articles, seed=42))
        print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def first_title(data_dir: Path) -> str:
    with Library.open(data_dir) as library:
        title = library.list(limit=1)[0].title
    return title[:30]


def measure(data_dir: Path, runs: int) -> dict:
    reader = str(Path(sys.executable).parent / "reader")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(data_dir / "no-config"), "TERM": "xterm-256color"}
    title = first_title(data_dir)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(BARE_APP)
        bare_script = handle.name

    bare_times, reader_times, rss_first, rss_settled, search_ms = [], [], [], [], []
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
                search_ms.append(1000 * app.wait_for(f"for “{word}”", since=sent))
                app.keys("C-u")  # clear the box (readline's kill-line; Textual's Input has it)
                app.wait_for("articles ·")
        finally:
            app.close()
        print(f"run {run + 1}/{runs}: bare {bare_times[-1]:.3f}s reader {reader_times[-1]:.3f}s", file=sys.stderr)

    Path(bare_script).unlink()
    with Library.open(data_dir) as library:
        count = library.count()
    return {
        "articles": count,
        "runs": runs,
        "first_paint_bare_s": statistics.median(bare_times),
        "first_paint_reader_s": statistics.median(reader_times),
        # Each run starts both apps back to back; the median of the per-run ratios is
        # steadier than a ratio of medians on a machine whose load drifts.
        "first_paint_ratio": statistics.median(r / b for r, b in zip(reader_times, bare_times)),
        "rss_after_first_paint_mb": max(rss_first),
        "rss_after_index_open_mb": max(rss_settled),
        "search_latency_p50_ms": statistics.median(search_ms),
        "search_latency_max_ms": max(search_ms),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores",
    }


def table(result: dict) -> str:
    rows = [
        ("articles", f"{result['articles']:,}", ""),
        ("first titles on screen: bare Textual app", f"{result['first_paint_bare_s'] * 1000:.0f} ms", "median"),
        ("first titles on screen: reader", f"{result['first_paint_reader_s'] * 1000:.0f} ms", f"ratio {result['first_paint_ratio']:.2f}, median per run (target ≤ 1.5)"),
        ("resident memory after first paint", f"{result['rss_after_first_paint_mb']:.0f} MB", "target < 200 MB"),
        ("resident memory with the index open", f"{result['rss_after_index_open_mb']:.0f} MB", ""),
        ("search box: last key to results, p50", f"{result['search_latency_p50_ms']:.0f} ms", "target ≤ 100 ms"),
        ("search box: last key to results, max", f"{result['search_latency_max_ms']:.0f} ms", ""),
    ]
    lines = ["| measure | value | note |", "| --- | --- | --- |"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines) + f"\n\nMachine: {result['machine']}; median of {result['runs']} runs, in tmux {WIDTH}x{HEIGHT}."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="use this library instead of generating one")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if not shutil.which("tmux"):
        print("bench_tui: tmux is required", file=sys.stderr)
        return 2
    # An installed wheel has its bytecode compiled; a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile Reader's modules at every start.
    compileall.compile_dir(ROOT / "reader", quiet=1)
    data_dir = args.data_dir or ROOT / "benchmarks" / "out" / f"tui-library-{args.articles}"
    if args.data_dir is None:
        build_library(data_dir, args.articles)
    subprocess.run([*TMUX, "new-session", "-d", "-s", "anchor", "sleep", "86400"], check=True)
    try:
        result = measure(data_dir, args.runs)
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
