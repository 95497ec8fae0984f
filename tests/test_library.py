"""The facade (reader/library.py): reports returned, crashes told apart from bad files."""

from __future__ import annotations

import pytest

from reader.errors import ImporterCrashed, ImportFailure
from reader.importers import capture, parse_bytes
from reader.library import Library

TEXT = b"A harbour story\n\nThe harbour opened its gates to the boats.\n"


def _crash(text: str):
    raise KeyError("a bug")


def test_a_crashing_importer_is_not_an_import_failure(monkeypatch):
    monkeypatch.setattr(capture, "parse", _crash)
    with pytest.raises(ImporterCrashed) as raised:
        parse_bytes(TEXT, "x.txt")
    assert not isinstance(raised.value, ImportFailure)
    assert isinstance(raised.value.error, KeyError) and raised.value.__cause__ is raised.value.error


def test_a_crashing_importer_fails_its_file_not_the_import(monkeypatch, tmp_path, data_dir):
    (tmp_path / "good.txt").write_bytes(TEXT)
    (tmp_path / "bad.txt").write_bytes(TEXT.replace(b"harbour", b"river"))
    real = capture.parse
    monkeypatch.setattr(capture, "parse", lambda text: _crash(text) if "river" in text else real(text))
    with Library.open(data_dir) as library:
        report = library.import_paths([tmp_path])
        assert report.added == 1
        assert [(path.rsplit("/", 1)[-1], reason) for path, reason in report.failures] == [
            ("bad.txt", "importer crashed (KeyError: 'a bug')")
        ]


def test_sync_reports_a_rebuild_and_then_nothing(data_dir):
    with Library.open(data_dir) as library:
        library.import_data(TEXT, "x.txt")
    with Library.open(data_dir) as library:
        assert library.sync_index().rebuilt == ""  # imported and indexed: nothing to repair
    for path in sorted((data_dir / "index").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    with Library.open(data_dir) as library:
        first = library.sync_index()
        assert first.rebuilt  # the index was missing
        assert library.sync_index().rebuilt == ""
        assert library.search("harbour").total == 1
