"""End to end in tmux: subscribe and update with the real ``reader`` command against a
feed on 127.0.0.1, then the app shows the sources pane and R updates every feed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

sys.path.insert(0, str(Path(__file__).parents[1]))
from e2e.test_tmux import Tmux, _reader_command, _require

pytestmark = pytest.mark.tmux

LONG = "Words of the story, enough of them to be a whole article. " * 12


def rss(titles: list[str]) -> str:
    items = "".join(
        f"<item><title>{t}</title><link>http://127.0.0.1/{i}</link><description>{LONG}</description></item>"
        for i, t in enumerate(titles)
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Loopback Times</title>{items}</channel></rss>"


def test_feed_add_update_and_the_sources_pane(httpserver: HTTPServer, data_dir: Path, config_dir: Path) -> None:
    import shutil

    tmux = Tmux(_require(shutil.which("tmux"), "tmux"), f"reader-test-{uuid.uuid4().hex[:8]}")
    reader = _require(_reader_command(), "the reader command")
    env = {"READER_DATA_DIR": str(data_dir), "READER_CONFIG_DIR": str(config_dir), "TERM": "xterm-256color"}
    run_env = {**os.environ, **env}
    httpserver.expect_request("/feed.xml").respond_with_data(rss(["Tide tables printed"]), content_type="application/rss+xml")
    page = "<html><head><link rel='alternate' type='application/rss+xml' href='/feed.xml'></head><body>x</body></html>"
    httpserver.expect_request("/").respond_with_data(page, content_type="text/html")
    added = subprocess.run([reader, "feed", "add", httpserver.url_for("/")], env=run_env, capture_output=True, text=True, check=False)
    assert added.returncode == 0 and "Loopback Times" in added.stdout, added.stderr
    updated = subprocess.run([reader, "update"], env=run_env, capture_output=True, text=True, check=False)
    assert "1 feed: 1 new articles, 0 updated, 0 not modified, 0 failed" in updated.stderr
    httpserver.clear()
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(["Tide tables printed", "Lighthouse repainted"]), content_type="application/rss+xml"
    )
    try:
        tmux.start([reader], env)
        screen = tmux.wait_for("All articles 1")
        assert "Loopback Times 1" in screen and "Tide tables printed" in screen
        time.sleep(0.5)  # keys sent while Textual still talks to the terminal at start can be lost
        tmux.keys("R")
        # The first update of a process imports the HTTP client and the feed parser: on a
        # loaded machine that takes a while, hence the longer wait.
        screen = tmux.wait_for("1 feed: 1 new articles", timeout=90)
        screen = tmux.wait_for("Lighthouse repainted")
        tmux.wait_for("Loopback Times 2")
        tmux.keys("q")
        tmux.wait_until_gone()
    finally:
        tmux.kill()
    listed = subprocess.run([reader, "feed", "list"], env=run_env, capture_output=True, text=True, check=False)
    assert "2/2" in listed.stdout
