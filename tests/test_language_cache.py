"""The language model's cache: the same arrays as py3langid's, made again when damaged,
swept when stale, and never a reason for a detection to fail."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import numpy as np
import pytest

from reader import language, language_cache
from reader.language_model import Model


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("READER_CACHE_DIR", str(directory))
    return directory


def _tiny() -> Model:
    """A two-state automaton with two classes: enough for the cache's bookkeeping."""
    return Model(
        nextmove=np.arange(512, dtype=np.uint32) % 2,
        rowbase=np.array([0, 256], dtype=np.intp),
        output=np.array([-1, 0], dtype=np.int32),
        table=np.array([[-1.0, -2.0]], dtype=np.float16),
        priors=np.array([-0.5, -0.7], dtype=np.float32),
        labels=("de", "en"),
    )


def _never() -> Model:
    raise AssertionError("the model was unpacked although the cache held it")


def _same(a: Model, b: Model) -> None:
    assert a.labels == b.labels
    for name in ("nextmove", "rowbase", "output", "table", "priors"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.dtype == right.dtype and left.shape == right.shape, name
        assert np.array_equal(left, right), name


def _model_dirs(cache: Path) -> list[Path]:
    return sorted(cache.glob("language-model-*"))


def test_the_cached_model_is_py3langids_narrowed_model_array_for_array(cache: Path) -> None:
    shipped = language._narrowed_model()
    first = language_cache.load_or_build(lambda: shipped, language._REGIONAL)
    assert first is shipped  # the process that unpacks uses what it unpacked
    assert len(_model_dirs(cache)) == 1
    mapped = language_cache.load_or_build(_never, language._REGIONAL)
    _same(mapped, shipped)
    assert language._Scoring.of(mapped).best("Die Regierung hat den Haushalt beschlossen.")[0] == "de"


def test_a_model_is_unpacked_once_then_mapped(cache: Path) -> None:
    built = []

    def build() -> Model:
        built.append(1)
        return _tiny()

    language_cache.load_or_build(build, ["xx"])
    _same(language_cache.load_or_build(build, ["xx"]), _tiny())
    assert built == [1]
    # another narrowing is another model, and the old one is swept when it is written
    language_cache.load_or_build(build, ["yy"])
    assert built == [1, 1] and len(_model_dirs(cache)) == 1


def test_the_cache_is_named_for_the_models_content_not_its_files_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two installations of one py3langid share a copy; another model gets its own."""
    from py3langid import langid

    shipped = langid.MODEL_DIR / langid.MODEL_FILE
    copy = tmp_path / langid.MODEL_FILE
    copy.parent.mkdir(parents=True)
    copy.write_bytes(shipped.read_bytes())
    monkeypatch.setattr(langid, "MODEL_DIR", tmp_path)
    key = language_cache._key(["xx"])
    os.utime(copy, (0, 0))
    assert language_cache._key(["xx"]) == key
    copy.write_bytes(copy.read_bytes()[:-1] + b"\0")
    assert language_cache._key(["xx"]) != key


@pytest.mark.parametrize("damage", ["truncated", "flipped", "retyped", "missing", "manifest"])
def test_a_damaged_cache_is_made_again(cache: Path, damage: str) -> None:
    language_cache.load_or_build(_tiny, ["xx"])
    (directory,) = _model_dirs(cache)
    if damage == "truncated":
        table = directory / "table.npy"
        table.write_bytes(table.read_bytes()[:-3])
    elif damage == "flipped":
        nextmove = directory / "nextmove.npy"
        data = bytearray(nextmove.read_bytes())
        data[-1] ^= 0xFF
        nextmove.write_bytes(bytes(data))
    elif damage == "retyped":  # the same bytes read as another dtype
        np.save(directory / "nextmove.npy", np.load(directory / "nextmove.npy").view(np.int32))
    elif damage == "missing":
        (directory / "priors.npy").unlink()
    else:
        (directory / "manifest.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises((OSError, ValueError)):
        Model.load(directory)
    built = []
    model = language_cache.load_or_build(lambda: built.append(1) or _tiny(), ["xx"])
    _same(model, _tiny())
    assert built == [1]
    _same(Model.load(directory), _tiny())  # written again, whole
    assert _model_dirs(cache) == [directory]


def test_what_dead_processes_left_is_swept_and_what_live_ones_write_is_not(cache: Path) -> None:
    cache.mkdir()
    other_key = cache / "language-model-0123456789abcdef"
    dead = cache / "language-model-9999.old.part"
    live = cache / "language-model-9999.new.part"
    for directory in (other_key, dead, live):
        directory.mkdir()
        (directory / "nextmove.npy").write_bytes(b"x")
    an_hour_ago = time.time() - 3600
    os.utime(dead, (an_hour_ago, an_hour_ago))
    language_cache.load_or_build(_tiny, ["xx"])
    assert not other_key.exists() and not dead.exists() and live.exists()


def test_a_cache_that_cannot_be_written_costs_only_the_unpacking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("READER_CACHE_DIR", str(blocker))
    _same(language_cache.load_or_build(_tiny, ["xx"]), _tiny())


def _unpack(cache: str, start: multiprocessing.synchronize.Event, results: multiprocessing.Queue[str]) -> None:
    os.environ["READER_CACHE_DIR"] = cache
    start.wait(30)
    model = language_cache.load_or_build(_tiny, ["xx"])
    results.put(repr(model.labels))


def test_processes_unpacking_at_once_all_get_the_model_and_leave_one_copy(cache: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    processes = [context.Process(target=_unpack, args=(str(cache), start, results)) for _ in range(4)]
    for process in processes:
        process.start()
    start.set()
    got = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    assert got == [repr(("de", "en"))] * 4
    (directory,) = _model_dirs(cache)
    _same(Model.load(directory), _tiny())
    assert not list(cache.glob("*.part"))
