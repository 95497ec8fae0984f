"""Fixtures for every test: nothing touches the user's real data or settings.

``_isolated_dirs`` (autouse) points READER_DATA_DIR and READER_CONFIG_DIR at fresh
temporary directories for each test, so the CLI, the library and the app all read and
write there; ``data_dir`` and ``config_dir`` give tests those paths. The Hypothesis
profile (``HYPOTHESIS_PROFILE``: dev, ci, long) is loaded here (tests/fuzzing.py).
"""

from __future__ import annotations

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


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reader")
    data, config = root / "data", root / "config"
    data.mkdir()
    config.mkdir()
    monkeypatch.setenv("READER_DATA_DIR", str(data))
    monkeypatch.setenv("READER_CONFIG_DIR", str(config))
    return data, config


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
