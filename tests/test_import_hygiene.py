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
