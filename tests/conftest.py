"""Fixtures for every test: nothing touches the user's real data or settings.

``_isolated_dirs`` (autouse) points READER_DATA_DIR and READER_CONFIG_DIR at fresh
temporary directories for each test, and ``_shared_cache`` READER_CACHE_DIR at one for
the whole run, so the CLI, the library and the app all read and write there;
``data_dir`` and ``config_dir`` give tests those paths. The Hypothesis
profile (``HYPOTHESIS_PROFILE``: dev, ci, long) is loaded here (tests/fuzzing.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzzing import MIN_EXAMPLES, PROFILE, SCALE
from hypothesis import settings

# The Hypothesis profiles (see tests/fuzzing.py). No deadline in any: on a machine shared
# by several test runs a slow example is the machine, not the code (speed lives in
# benchmarks/); print_blob lets a CI failure be replayed with @reproduce_failure.
for _name, _scale in SCALE.items():
    settings.register_profile(
        _name, max_examples=max(MIN_EXAMPLES, round(100 * _scale)), deadline=None, print_blob=True
    )
settings.load_profile(PROFILE)

WORKERS_PER_CORE = 2
"""``-n auto``: two test workers per core. About half of a test's time here is waiting
(the ``reader`` command in a subprocess, tmux, the app's timers), so one worker per core
leaves the cores idle: on 2 cores, 2 workers ran the suite in 387 s, 4 in 283 s, 6 in
286 s (``HYPOTHESIS_PROFILE=ci pytest -n N --dist loadfile``, 2026-12-02)."""


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """What ``-n auto`` means for this suite (PYTEST_XDIST_AUTO_NUM_WORKERS still wins)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") or config.option.numprocesses == "logical":
        return None  # pytest-xdist's own answer
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores) * WORKERS_PER_CORE


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reader")
    data, config = root / "data", root / "config"
    data.mkdir()
    config.mkdir()
    monkeypatch.setenv("READER_DATA_DIR", str(data))
    monkeypatch.setenv("READER_CONFIG_DIR", str(config))
    return data, config


@pytest.fixture(autouse=True, scope="session")
def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache directory for the whole run, its workers included (a temporary one too):
    the language model unpacked there is 61 MB, too much to write again for every test.
    Set for the session, so module fixtures that run ``reader`` use it too; workers that
    unpack the model at once are one of the things reader.language_cache allows."""
    base = tmp_path_factory.getbasetemp()
    cache = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "reader-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READER_CACHE_DIR", str(cache))
        yield cache


@pytest.fixture
def data_dir(_isolated_dirs: tuple[Path, Path]) -> Path:
    return _isolated_dirs[0]


@pytest.fixture
def config_dir(_isolated_dirs: tuple[Path, Path]) -> Path:
    return _isolated_dirs[1]


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text box of every app test starts with its cursor steady: a blinking cursor
    makes the screen differ from one moment to the next (snapshots, screen text)."""
    from textual.widgets import Input

    original = Input.__init__

    def steady(self: Input, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", steady)
