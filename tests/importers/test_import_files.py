"""Files and folders: what parse_file reads or refuses, and what iter_files yields."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from reader import importers
from reader.errors import ImportFailure
from reader.importers import FORMATS, iter_files, parse_file

needs_posix_permissions = pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="root (or Windows) ignores file permissions",
)


def test_oversized_file_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as file:
        file.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(ImportFailure, match=r"^file is 100\.0 MB, over the 64 MB import limit$"):
        parse_file(big)


def test_the_limit_is_inclusive(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "edge.txt"
    path.write_bytes(b"A title\n\nA summary sentence.\n".ljust(1024 * 1024))
    assert parse_file(path)[0].title == "A title"
    path.write_bytes(path.read_bytes() + b" ")
    with pytest.raises(ImportFailure, match="file is 1.0 MB, over the 1 MB import limit"):
        parse_file(path)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: tmp / "missing.txt", "no such file"),
        (lambda tmp: tmp, "is a folder, not a file"),
    ],
)
def test_os_errors_become_reasons(tmp_path: Path, make, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        parse_file(make(tmp_path))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_named_pipe_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(ImportFailure, match="not a regular file"):
        parse_file(pipe)


@needs_posix_permissions
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("A title\n\nText.")
    path.chmod(0)
    with pytest.raises(ImportFailure, match="permission denied"):
        parse_file(path)


def test_iter_files_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    for relative in ("z.txt", "a/2.md", "a/1.md", "b/x.json", ".hidden.txt", ".git/config", "a/.cache"):
        (tmp_path / relative).write_text("x")
    single = tmp_path / "b" / "x.json"
    found = [path.relative_to(tmp_path).as_posix() for path in iter_files([tmp_path, single])]
    assert found == ["z.txt", "a/1.md", "a/2.md", "b/x.json", "b/x.json"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_iter_files_does_not_follow_symlinked_folders(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("x")
    (tmp_path / "real" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "a.txt")
    found = sorted(path.relative_to(tmp_path).as_posix() for path in iter_files([tmp_path]))
    assert found == ["link.txt", "real/a.txt"]


def test_iter_files_keeps_missing_paths_for_parse_file_to_report(tmp_path: Path) -> None:
    assert list(iter_files([tmp_path / "nope.txt"])) == [tmp_path / "nope.txt"]


def test_thousands_of_files(tmp_path: Path) -> None:
    for i in range(2000):
        (tmp_path / f"{i:04}.txt").write_text(f"Title {i}\n\nThe summary of article {i} is a sentence.")
    (tmp_path / "bad.txt").write_bytes(b"")
    results, failures = [], []
    for path in iter_files([tmp_path]):
        try:
            results += parse_file(path)
        except ImportFailure as failure:
            failures.append((path.name, str(failure)))
    assert len(results) == 2000
    assert failures == [("bad.txt", "empty file")]
    assert len({article.id for article in results}) == 2000


def test_formats_are_described() -> None:
    assert {fmt.name for fmt in FORMATS} >= {"Page capture", "Markdown", "HTML page", "Reader JSON"}
    assert all(fmt.extensions and fmt.detected_by for fmt in FORMATS)


def test_permission_error_while_reading(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("A title\n\nText.")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    import os

    monkeypatch.setattr(os, "open", denied)  # the importer opens with os.open (O_NONBLOCK)
    with pytest.raises(ImportFailure, match="^permission denied$"):
        parse_file(path)


def test_a_walked_folder_s_readme_is_skipped_by_name_but_read_when_given(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About these files\n\nNot an article.\n", encoding="utf-8")
    (tmp_path / "readme.txt").write_text("About.\n", encoding="utf-8")
    (tmp_path / "readme-first-article.md").write_text("# An article\n\nText.\n", encoding="utf-8")
    walked = list(iter_files([tmp_path]))
    skipped = {path.name: getattr(path, "reason", None) for path in walked}
    assert "README, not an article" in (skipped["README.md"] or "")
    assert "README, not an article" in (skipped["readme.txt"] or "")
    assert skipped["readme-first-article.md"] is None
    assert list(iter_files([tmp_path / "README.md"])) == [tmp_path / "README.md"]  # by name: read
