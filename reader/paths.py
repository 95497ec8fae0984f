"""Where Reader keeps things: data and config directories, bundled styles and samples.

One resolver for every path, so the CLI, the TUI, the tests and the benchmarks agree.
``--data-dir`` (passed in) beats ``READER_DATA_DIR``, which beats the platform's user
data directory; ``READER_CONFIG_DIR`` likewise overrides the config directory, and
``READER_CACHE_DIR`` the cache directory (things Reader can always make again, such as
the language model unpacked: :mod:`reader.language_cache`).

``styles/`` and ``sample_data/`` sit at the top of a checkout but are force-included in
the wheel as ``reader/_styles`` and ``reader/_sample_data``; :func:`resource_dir` finds
either layout.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reader"
DATA_ENV = "READER_DATA_DIR"
CONFIG_ENV = "READER_CONFIG_DIR"
CACHE_ENV = "READER_CACHE_DIR"

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory (not created here)."""
    if override:
        return Path(override).expanduser()
    return _user_dir(DATA_ENV, "data")


def config_dir() -> Path:
    """The config directory holding ``config.toml`` (not created here)."""
    return _user_dir(CONFIG_ENV, "config")


def cache_dir() -> Path:
    """The cache directory (not created here): what is in it can always be made again."""
    return _user_dir(CACHE_ENV, "cache")


def _user_dir(env: str, kind: str) -> Path:
    """``$env`` when it is set, else the platform's user directory of ``kind`` ("data",
    "config" or "cache"); platformdirs is imported only then."""
    value = os.environ.get(env)
    if value:
        return Path(value).expanduser()
    import platformdirs

    platform_dir = {
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
    }[kind]
    return Path(platform_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the user only; return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass  # A directory we do not own (e.g. a shared mount) keeps its mode.
    return path


def database_path(root: Path) -> Path:
    return root / "library.sqlite3"


def index_dir(root: Path) -> Path:
    return root / "index"


def resource_dir(name: str) -> Path:
    """A bundled folder (``styles`` or ``sample_data``) in a wheel or in a checkout."""
    installed = _PACKAGE_DIR / f"_{name}"
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled folder {name!r} is missing from this installation")


def styles_dir() -> Path:
    return resource_dir("styles")


def sample_data_dir() -> Path:
    return resource_dir("sample_data")
