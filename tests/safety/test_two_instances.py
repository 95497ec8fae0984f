"""Two instances at once: both work, no lock error reaches anyone (issue 5, area 4).

- A library held open and searching (as the app holds it) while ``reader import`` runs
  in another process: the searches keep answering, and afterwards the open library sees
  the new articles without being reopened (``changed_elsewhere`` and the next search).
- The app itself (Pilot) with ``reader import`` run beside it: the list shows the new
  articles after its poll, and a search finds them.
- Two ``reader import`` processes at once, different files, and an in-process import
  beside a ``reader import``: all finish, every article is stored and searchable.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reader.library import Library

from .helpers import WORD, assert_terminal_safe, check_ok, make_jsonl, reader, reader_env


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("two")
    sizes = {"start": 200, "other": 700, "third": 600, "inprocess": 400}
    for name, count in sizes.items():
        make_jsonl(root / f"{name}.jsonl", count, prefix=name)
    return {name: root / f"{name}.jsonl" for name in sizes}


def _import_process(data: Path, path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "import", str(path)], env=reader_env(data),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _finish(process: subprocess.Popen[bytes], what: str) -> str:
    _out, err = process.communicate(timeout=180)
    text = assert_terminal_safe(err, f"{what} stderr")
    assert process.returncode == 0, f"{what}: exit {process.returncode}\n{text}"
    assert "lock" not in text.lower() and "busy" not in text.lower(), text
    return text


def test_open_library_keeps_searching_while_another_process_imports(data_dir: Path, files) -> None:
    check_ok(reader(data_dir, "import", str(files["start"])), "first import")
    with Library.open(data_dir) as lib:
        lib.sync_index()
        assert lib.search(WORD, limit=10).total == 200
        errors: list[BaseException] = []
        searches = 0
        stop = threading.Event()

        def keep_searching() -> None:
            nonlocal searches
            while not stop.is_set():
                try:
                    assert lib.search(WORD, limit=20).total >= 200  # what was there stays findable
                    assert len(lib.list_articles(limit=50)) == 50
                    assert lib.count() >= 200
                    searches += 1
                except BaseException as error:
                    errors.append(error)
                    return

        worker = threading.Thread(target=keep_searching)
        worker.start()
        try:
            message = _finish(_import_process(data_dir, files["other"]), "import beside an open library")
        finally:
            stop.set()
            worker.join(timeout=60)
        assert not errors, errors
        assert searches > 0
        assert message.strip().splitlines()[-1] == "imported 700, updated 0, failed 0"
        assert lib.changed_elsewhere()
        assert not lib.changed_elsewhere()  # once per change
        assert lib.count() == 900
        result = lib.search(WORD, limit=5000)
        assert result.total == 900 and len(result.hits) == 900
        assert lib.search("other", limit=5).total > 0


def test_two_imports_at_once_both_finish(data_dir: Path, files) -> None:
    first = _import_process(data_dir, files["other"])
    second = _import_process(data_dir, files["third"])
    # And a third writer in this process, as the app's import worker would be.
    with Library.open(data_dir) as lib:
        report = lib.import_paths([files["inprocess"]])
        assert (report.added, report.failed) == (400, 0)
    _finish(first, "first import")
    _finish(second, "second import")
    listed = json.loads(check_ok(reader(data_dir, "list", "--format", "json"), "list")[0])
    assert len(listed) == 1700
    found = json.loads(check_ok(reader(data_dir, "search", WORD, "--format", "json", "--limit", "10000"), "search")[0])
    assert found["total"] == 1700
    assert {hit["id"] for hit in found["results"]} == {row["id"] for row in listed}


async def test_the_app_shows_articles_imported_by_another_process(data_dir: Path, files) -> None:
    import reader.tui.screens.library as library_screen
    from reader.config import Config
    from reader.tui import make_app

    from .helpers import settle, shown, shown_at, wait_until

    check_ok(reader(data_dir, "import", str(files["start"])), "first import")
    app = make_app(data_dir, Config())
    checked: list[object] = []
    real_sync = app.library.sync_index

    def sync_index(*args, **kwargs):
        report = real_sync(*args, **kwargs)
        checked.append(report)
        return report

    app.library.sync_index = sync_index
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert shown_at(app, "#status").startswith("200 articles ·")
        # the start-up index check runs first (INDEX_CHECK_DELAY after start), as it would for a person
        await wait_until(pilot, lambda: bool(checked), library_screen.INDEX_CHECK_DELAY + 30)
        await settle(pilot)
        assert checked
        result = await asyncio.to_thread(reader, data_dir, "import", str(files["other"]))
        check_ok(result, "import beside the app")
        await wait_until(pilot, lambda: shown_at(app, "#status").startswith("900 articles"))  # the app polls every two seconds
        text = shown_at(app, "#status")
        assert text.startswith("900 articles ·"), text
        await pilot.press("slash", *"other 699")
        await settle(pilot)
        assert "Generated article other 699" in shown(app.query_one("#articles"))
        assert app.is_running
