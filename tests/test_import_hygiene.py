"""The core is usable headless: nothing below tui/ imports textual."""

import subprocess
import sys


def test_library_and_cli_do_not_import_textual_or_whoosh_eagerly():
    code = (
        "import sys, reader.library, reader.cli, reader.store, reader.model, reader.export\n"
        "bad = [m for m in ('textual', 'whoosh', 'reader.importers') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_commands_that_read_feeds_do_not_load_the_http_client(data_dir):
    """``reader info`` and ``reader feed list`` read the feeds as stored: the HTTP client
    (reader.web, httpx) is loaded only by the commands that fetch."""
    code = (
        "import sys\n"
        "from reader.cli import main\n"
        "for argv in (['info'], ['feed', 'list']):\n"
        "    main(argv)\n"
        "print('loaded:', [m for m in ('reader.web', 'httpx') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "loaded: []"


def test_feeds_parse_without_loading_the_page_extractor():
    """trafilatura is a fifth of a second of a parser process's start (reader/web/feeds.py):
    reading a feed leaves it unloaded, and reading a whole page loads it."""
    feed = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
        "<item><title>One</title><guid>g1</guid><description>&lt;p&gt;Words of the "
        "&lt;b&gt;entry&lt;/b&gt; text.&lt;/p&gt;</description></item></channel></rss>"
    )
    page = (
        "<html><head><title>A page</title></head><body><article><h1>A page</h1>"
        + "<p>Several sentences of the article's text, long enough to be its main text.</p>" * 5
        + "</article></body></html>"
    )
    code = (
        "import sys\n"
        "from reader.importers import parse_bytes\n"
        f"articles = parse_bytes({feed.encode()!r}, 'feed.xml')\n"
        "print(len(articles), articles[0].title, articles[0].summary + articles[0].body, 'trafilatura' in sys.modules)\n"
        f"parse_bytes({page.encode()!r}, 'page.html')\n"
        "print('trafilatura' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["1 One Words of the entry text. False", "True"]
