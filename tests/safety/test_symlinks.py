"""Item 4 of issue 15: files only where they were asked for.

A folder from anywhere (an unpacked archive) may hold ``notes.txt -> /proc/self/environ``
or a link into ``~/.ssh``: such links are named and not read, links inside the folder
are read, ``--follow-links`` reads the rest, and /proc, devices and FIFOs never.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .helpers import check_ok, reader

SECRET = "SECRET-KEY-MATERIAL-1234"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    outside = tmp_path / "home" / ".ssh"
    outside.mkdir(parents=True)
    (outside / "id_ed25519.txt").write_text(f"Private key\n\n{SECRET} in a paragraph of text.\n", encoding="utf-8")
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "real.md").write_text("# Real article\n\nA real paragraph of text.\n", encoding="utf-8")
    (archive / "inside.md").symlink_to(archive / "real.md")
    (archive / "key.txt").symlink_to(outside / "id_ed25519.txt")
    (archive / "notes.txt").symlink_to("/proc/self/environ")
    os.mkfifo(archive / "pipe.txt")
    return archive


def test_symlinks_out_of_the_folder_are_named_and_not_read(data_dir: Path, folder: Path) -> None:
    result = reader(data_dir, "import", str(folder), timeout=60)  # a FIFO read would hang: the timeout fails it
    err = result.stderr.decode()
    assert "key.txt: a symlink to a file outside the imported folder" in err, err
    assert "notes.txt: a symlink to a file outside the imported folder" in err, err
    assert "pipe.txt: not a regular file" in err, err
    out, _ = check_ok(reader(data_dir, "export"), "export")
    assert SECRET not in out and "PATH=" not in out
    titles = sorted(article["title"] for article in json.loads(out))
    assert titles == ["Real article"]  # real.md and the link to it inside the folder: one article


def test_follow_links_reads_outside_links_but_never_proc(data_dir: Path, folder: Path) -> None:
    result = reader(data_dir, "import", "--follow-links", str(folder), timeout=60)
    err = result.stderr.decode()
    assert "notes.txt: a system file (/proc, /sys or /dev), never imported" in err, err
    out, _ = check_ok(reader(data_dir, "export"), "export")
    assert SECRET in out  # asked for explicitly
    assert "PATH=" not in out


def test_proc_named_directly_is_refused(data_dir: Path) -> None:
    result = reader(data_dir, "import", "/proc/self/environ")
    assert "never imported" in result.stderr.decode()
    out, _ = check_ok(reader(data_dir, "export"), "export")
    assert "PATH=" not in out
