"""`reader update` beside `newsboat -x reload`: 1,000 feeds of 20 entries on loopback.

    python benchmarks/feeds_bench.py [--feeds 1000] [--entries 20] [--delay 0.1] [--hosts 50] [--rounds 1]

A local server (one threaded HTTP server per loopback address 127.0.0.1 .. 127.0.0.N,
so that per-host limits behave as on the web) serves every feed with an ETag and a
Last-Modified, answers conditional requests with 304, and adds ``--delay`` seconds to
every response. Timed, each in a fresh data directory or cache:

- ``reader update`` cold (every feed new), then warm (every feed 304);
- ``newsboat -x reload`` cold then warm, with newsboat's default ``reload-threads`` (1)
  and with ``reload-threads`` equal to Reader's concurrency.

With ``--rounds N`` Reader and newsboat (with Reader's concurrency) run N times, taking
turns at going first, and the medians close the report: on a machine whose speed drifts
from hour to hour (this one's did by half) one round says little.

Then the OPML round trip: newsboat's ``-e`` export imported by ``reader feed import``,
and Reader's ``reader feed export`` imported by ``newsboat -i``. newsboat comes from
Debian's packages; the script installs it with apt-get when it is missing. Nothing
leaves 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import email.utils
import http.server
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

READER = [sys.executable, "-m", "reader"]
READER_CONCURRENCY = 16  # reader.web.subscriptions.Subscriptions default; 2 per host (Limits.per_host)


def feed_document(number: int, entries: int) -> bytes:
    items = "".join(
        f"<item><title>Feed {number} story {i}</title><link>http://example.invalid/{number}/{i}</link>"
        f"<guid>f{number}-e{i}</guid><pubDate>Tue, 01 Dec 2026 {i % 24:02d}:00:00 GMT</pubDate>"
        f"<description>Story {i} of feed {number}. " + "Some words of the entry text. " * 30 + "</description></item>"
        for i in range(entries)
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed {number}</title>"
        f"<link>http://example.invalid/{number}</link><description>d</description>{items}</channel></rss>"
    ).encode()


class FeedServer:
    """Threaded HTTP/1.1 servers on 127.0.0.1..127.0.0.N, one port, with 304s and a delay."""

    def __init__(self, feeds: int, entries: int, delay: float, hosts: int) -> None:
        self.documents = {n: feed_document(n, entries) for n in range(feeds)}
        self.modified = email.utils.formatdate(time.time() - 3600, usegmt=True)
        self.requests = 0
        self.not_modified = 0
        lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                time.sleep(delay)
                try:
                    number = int(self.path.rsplit("/", 1)[-1].split(".")[0])
                    body = outer.documents[number]
                except (ValueError, KeyError):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = f'"{number}-1"'
                with lock:
                    outer.requests += 1
                if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == outer.modified:
                    with lock:
                        outer.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", outer.modified)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        first = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = first.server_address[1]
        self.servers = [first] + [
            http.server.ThreadingHTTPServer((f"127.0.0.{h}", self.port), Handler) for h in range(2, hosts + 1)
        ]
        self.hosts = hosts
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def urls(self) -> list[str]:
        return [f"http://127.0.0.{n % self.hosts + 1}:{self.port}/feed/{n}.xml" for n in self.documents]

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def ensure_newsboat() -> str:
    found = shutil.which("newsboat")
    if found:
        return found
    print("newsboat is missing: installing it with apt-get", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "newsboat"], check=True)
    return shutil.which("newsboat") or "newsboat"


class Load:
    """The 1-minute load average, looked at every second while a command runs."""

    def __init__(self) -> None:
        self.seen: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while True:
            self.seen.append(os.getloadavg()[0])
            if self._stop.wait(1.0):
                return

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Figure:
    """One timed command: wall seconds, CPU seconds of it and its children, load range."""

    seconds: float
    cpu: float
    load: tuple[float, float]

    def cell(self) -> str:
        return f"{self.seconds:.1f} s (CPU {self.cpu:.1f} s, load {self.load[0]:.1f}-{self.load[1]:.1f})"


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[Figure, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with Load() as load:
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Figure(seconds, cpu, (min(load.seen), max(load.seen))), result


def reader_run(server: FeedServer, work: Path) -> dict[str, Figure]:
    env = {**os.environ, "READER_DATA_DIR": str(work / "reader-data"), "READER_CONFIG_DIR": str(work / "reader-config")}
    opml = work / "feeds.opml"
    opml.write_text(
        "<?xml version='1.0'?><opml version='2.0'><head><title>bench</title></head><body>"
        + "".join(f"<outline type='rss' text='f' xmlUrl='{url}'/>" for url in server.urls())
        + "</body></opml>"
    )
    subprocess.run([*READER, "feed", "import", str(opml)], env=env, check=True, capture_output=True)
    figures = {}
    for phase in ("cold", "warm"):
        figure, result = timed([*READER, "update", "--quiet"], env)
        if result.returncode != 0:
            raise SystemExit(f"reader update failed: {result.stderr[-2000:]}")
        figures[phase] = figure
    summary = subprocess.run([*READER, "update"], env=env, capture_output=True, text=True, check=False).stderr
    print(f"  reader (third run, for the record): {summary.strip().splitlines()[-1]}", file=sys.stderr)
    return figures


def newsboat_run(newsboat: str, server: FeedServer, work: Path, threads: int | None) -> dict[str, Figure]:
    folder = work / f"newsboat-{threads or 'default'}"
    folder.mkdir()
    urls = folder / "urls"
    urls.write_text("\n".join(server.urls()) + "\n")
    config = folder / "config"
    config.write_text(f"reload-threads {threads}\n" if threads else "")
    command = [newsboat, "-u", str(urls), "-c", str(folder / "cache.db"), "-C", str(config), "-x", "reload"]
    env = {**os.environ, "HOME": str(folder)}
    figures = {}
    for phase in ("cold", "warm"):
        figure, result = timed(command, env)
        if result.returncode != 0:
            raise SystemExit(f"newsboat failed: {result.stderr[-2000:]}")
        figures[phase] = figure
    return figures


def opml_round_trip(newsboat: str, server: FeedServer, work: Path) -> None:
    folder = work / "opml"
    folder.mkdir()
    urls = folder / "urls"
    urls.write_text("\n".join(server.urls()[:25]) + "\n")
    env = {**os.environ, "HOME": str(folder)}
    exported = subprocess.run(
        [newsboat, "-u", str(urls), "-c", str(folder / "cache.db"), "-e"], capture_output=True, env=env, check=True
    ).stdout
    (folder / "newsboat.opml").write_bytes(exported)
    reader_env = {**os.environ, "READER_DATA_DIR": str(folder / "data"), "READER_CONFIG_DIR": str(folder / "config")}
    imported = subprocess.run([*READER, "feed", "import", str(folder / "newsboat.opml")], env=reader_env,
                              capture_output=True, text=True, check=True).stdout.strip()
    print(f"  newsboat -e -> reader feed import: {imported}", file=sys.stderr)
    ours = subprocess.run([*READER, "feed", "export"], env=reader_env, capture_output=True, check=True).stdout
    (folder / "reader.opml").write_bytes(ours)
    back = folder / "urls-from-reader"
    back.touch()
    subprocess.run([newsboat, "-u", str(back), "-c", str(folder / "cache2.db"), "-i", str(folder / "reader.opml")],
                   env=env, capture_output=True, check=True)
    count = sum(1 for line in back.read_text().splitlines() if line.startswith("http"))
    print(f"  reader feed export -> newsboat -i: {count} feeds in newsboat's urls file", file=sys.stderr)
    if count != 25 or "subscribed to 25 feeds" not in imported:
        raise SystemExit("the OPML round trip lost feeds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--skip-default-newsboat", action="store_true", help="skip newsboat with reload-threads 1")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of Reader and newsboat, alternating which goes first")
    args = parser.parse_args()
    newsboat = ensure_newsboat()
    version = subprocess.run([newsboat, "-v"], capture_output=True, text=True, check=False).stdout.splitlines()[0]
    server = FeedServer(args.feeds, args.entries, args.delay, args.hosts)
    reader_name = f"reader update (concurrency {READER_CONCURRENCY}, 2 per host)"
    newsboat_name = f"newsboat -x reload, reload-threads {READER_CONCURRENCY}"
    rows: list[tuple[str, dict[str, Figure]]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="feeds-bench-") as temp:
            work = Path(temp)
            print(f"{args.feeds} feeds x {args.entries} entries on {args.hosts} loopback hosts, "
                  f"+{args.delay * 1000:.0f} ms per response; {version}", file=sys.stderr)
            opml_round_trip(newsboat, server, work)
            for number in range(args.rounds):
                rows.extend(_round(number, newsboat, server, work / f"round-{number + 1}", reader_name, newsboat_name))
            if not args.skip_default_newsboat:
                rows.append(("newsboat -x reload, default (reload-threads 1)", newsboat_run(newsboat, server, work, None)))
    finally:
        server.close()
    print("| Run | Cold (all new) | Warm (all 304) |")
    print("|---|---:|---:|")
    for name, figures in rows:
        print(f"| {name} | {figures['cold'].cell()} | {figures['warm'].cell()} |")
    if args.rounds > 1:
        _medians(rows, reader_name, newsboat_name)


def _round(
    number: int, newsboat: str, server: FeedServer, work: Path, reader_name: str, newsboat_name: str
) -> list[tuple[str, dict[str, Figure]]]:
    """One round: Reader's cold and warm updates and newsboat's, Reader first in every
    other round, so that a machine slowing down or speeding up weighs on both alike."""
    work.mkdir()
    runs = [
        (reader_name, lambda: reader_run(server, work)),
        (newsboat_name, lambda: newsboat_run(newsboat, server, work, READER_CONCURRENCY)),
    ]
    rows = []
    for name, run in runs if number % 2 == 0 else runs[::-1]:
        rows.append((name, run()))
        print(f"  round {number + 1}: {rows[-1]}", file=sys.stderr)
    return rows


def _medians(rows: list[tuple[str, dict[str, Figure]]], reader_name: str, newsboat_name: str) -> None:
    """The median of each phase, and of Reader's time over newsboat's round by round."""
    for phase in ("cold", "warm"):
        ours = [figures[phase].seconds for name, figures in rows if name == reader_name]
        theirs = [figures[phase].seconds for name, figures in rows if name == newsboat_name]
        ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
        print(f"{phase}: reader median {statistics.median(ours):.1f} s, newsboat median "
              f"{statistics.median(theirs):.1f} s; reader/newsboat per round "
              f"{', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f})")


if __name__ == "__main__":
    main()
