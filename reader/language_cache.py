"""The language model unpacked once into the cache directory, and mapped by every process.

py3langid ships its model as an xz-compressed ``.npz``; unpacking it took 0.6 s of CPU
(0.45 s of it xz) in every process that detects a language (the importers do, for
articles and related cards): each parser process of a feed update, every ``reader
import`` and ``reader add``, the app at its first import or saved page. The
arrays Reader reads (:class:`reader.language_model.Model`, 61 MB) are kept here as plain
``.npy`` files instead and mapped read-only, which takes 20 ms with the checksum, and the
processes of an update share one copy of them in the page cache.

The directory is named for everything the arrays are made from: this module's format,
py3langid's version, the content of its model file, and the labels left out. A
new py3langid or a changed narrowing gets a new directory, and the old ones are swept.
The files are written into a temporary directory that is renamed into place, so a
reader sees a whole model or none; two processes unpacking at once both succeed, and
one directory stays. A directory that fails its checksum is moved aside and made again.
A cache directory that cannot be written only costs the unpacking.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from importlib import metadata
from pathlib import Path

from reader import paths
from reader.language_model import Model

FORMAT = 1  # raise it when Model's arrays or their files change
_PREFIX = "language-model-"
_PART = ".part"
_STALE_SECONDS = 600  # a part directory this old was left by a process that died


def load_or_build(build: Callable[[], Model], left_out: Iterable[str]) -> Model:
    """The cached model for py3langid's model without the labels ``left_out``; else
    ``build()``'s, which is then cached for the next process."""
    root = paths.cache_dir()
    directory = root / f"{_PREFIX}{_key(left_out)}"
    if directory.is_dir():
        try:
            return Model.load(directory)
        except (OSError, ValueError):
            _discard(directory)
    model = build()
    with suppress(OSError):
        _store(model, directory)
        _sweep(root, directory)
    return model


def _key(left_out: Iterable[str]) -> str:
    """Named for the model file's content, not its path or time (5 ms for its 4.5 MB), so
    two installations of the same py3langid share one copy instead of each sweeping the
    other's away."""
    from py3langid import langid

    shipped = hashlib.sha256((langid.MODEL_DIR / langid.MODEL_FILE).read_bytes()).hexdigest()
    made_of = [FORMAT, metadata.version("py3langid"), shipped, sorted(left_out)]
    return hashlib.sha256(json.dumps(made_of).encode()).hexdigest()[:16]


def _store(model: Model, directory: Path) -> None:
    directory.parent.mkdir(parents=True, exist_ok=True)
    part = Path(tempfile.mkdtemp(prefix=f"{directory.name}.", suffix=_PART, dir=directory.parent))
    try:
        model.save(part)
        os.rename(part, directory)
    except OSError:
        if not directory.is_dir():
            raise
        # else another process renamed its copy into place first
    finally:
        shutil.rmtree(part, ignore_errors=True)


def _discard(directory: Path) -> None:
    """Move a damaged model out of the way at once (a rename), then delete it."""
    aside = directory.with_name(f"{directory.name}.{os.getpid()}.damaged{_PART}")
    with suppress(OSError):
        os.rename(directory, aside)
        shutil.rmtree(aside, ignore_errors=True)


def _sweep(root: Path, keep: Path) -> None:
    """Delete other keys' models, and part directories left by processes that died."""
    for entry in root.glob(f"{_PREFIX}*"):
        if entry == keep or not entry.is_dir():
            continue
        with suppress(OSError):
            if not entry.name.endswith(_PART) or time.time() - entry.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(entry)
