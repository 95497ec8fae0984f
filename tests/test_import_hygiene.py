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
