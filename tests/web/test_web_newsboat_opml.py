"""OPML both ways with newsboat (Debian's package): its `-e` export imports into Reader,
and Reader's export imports back with `newsboat -i`. Nothing is fetched."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reader.library import Library

NEWSBOAT = shutil.which("newsboat")
pytestmark = pytest.mark.skipif(NEWSBOAT is None, reason="newsboat is not installed (apt-get install newsboat)")
URLS = [f"http://127.0.0.{n}:8080/feed/{n}.xml" for n in range(1, 6)]


def _newsboat(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run([NEWSBOAT, *args], env=env, capture_output=True, timeout=60, check=True)  # type: ignore[list-item]


def test_newsboat_export_imports_and_ours_imports_into_newsboat(tmp_path: Path, capsys) -> None:
    from reader.cli import main

    urls = tmp_path / "urls"
    urls.write_text("\n".join(f"{url} tagged" if i == 0 else url for i, url in enumerate(URLS)) + "\n")
    exported = _newsboat(tmp_path, "-u", str(urls), "-c", str(tmp_path / "cache.db"), "-e").stdout
    (tmp_path / "newsboat.opml").write_bytes(exported)
    assert main(["feed", "import", str(tmp_path / "newsboat.opml")]) == 0
    assert "subscribed to 5 feeds" in capsys.readouterr().out
    with Library.open() as lib:
        assert sorted(f.url for f in lib.subscribed()) == sorted(URLS)
        lib.feeds.configure(URLS[1], tags=["News"])
    assert main(["feed", "export"]) == 0
    (tmp_path / "reader.opml").write_text(capsys.readouterr().out)
    back = tmp_path / "urls-back"
    back.touch()
    _newsboat(tmp_path, "-u", str(back), "-c", str(tmp_path / "cache2.db"), "-i", str(tmp_path / "reader.opml"))
    lines = [line for line in back.read_text().splitlines() if line.startswith("http")]
    assert sorted(line.split()[0] for line in lines) == sorted(URLS)
    assert any(line.startswith(URLS[1]) and "News" in line for line in lines)  # the folder became a newsboat tag
