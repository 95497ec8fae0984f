"""py3langid's model, scored with numpy instead of a Python loop over bytes.

py3langid finds a text's byte n-grams by walking a DFA (an Aho-Corasick automaton over
the model's features) one byte at a time in Python. On the feed benchmark's entries
(936 characters of title and text) a detection took 100 microseconds that way, and
detection was a quarter of the time spent parsing a feed; here it takes 52. This module
reads the same model through its public attributes (``tk_nextmove``, ``tk_row``,
``tk_output``, ``nb_ptc``, ``nb_pc``, ``nb_classes``) and computes the states of all
positions at once.

Why that is exact: in an Aho-Corasick automaton the state after reading a text stands
for the longest suffix of the text that is a prefix of some feature, so it depends on
no more than the last ``DEPTH`` bytes, ``DEPTH`` being the length the deepest state
stands for. Starting from the root ``DEPTH`` bytes back and taking ``DEPTH`` steps gives
every position's state, and each step is one array gather over the whole text. The
features and their counts are then py3langid's, in the order of their first occurrence
as its ``Counter`` keeps them, and the naive Bayes scores and their normalisation follow
``_decide`` step by step in float32 (a matrix product summed in another order may
differ in the seventh digit). ``tests/test_language_model.py`` is the canary: it works
``DEPTH`` out from the automaton, compares the walk with ``py3langid.langid.visit_counts``
and the probabilities with py3langid's own ``rank`` on texts in many scripts; py3langid
is pinned exactly.
"""

from __future__ import annotations

import json
import math
import unicodedata
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pathlib import Path

    from py3langid.langid import LanguageIdentifier

_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
# How many bytes the deepest state of py3langid 0.4.0's automaton stands for (its
# distance from the root). The canary test works it out with a breadth-first walk, half
# a second: too long to pay in every parser process.
DEPTH = 6
_ARRAYS = ("nextmove", "rowbase", "output", "table", "priors")
_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Model:
    """A loaded model: per-state transitions and outputs, the table and the class priors."""

    nextmove: np.ndarray  # (rows * 256,) the next state, by row << 8 | byte
    rowbase: np.ndarray  # (states,) each state's row << 8
    output: np.ndarray  # (states,) the feature a state emits, or -1
    table: np.ndarray  # (features, classes) log P(feature | class), rows contiguous
    priors: np.ndarray  # (classes,) log P(class)
    labels: tuple[str, ...]  # each class column's label (an alias may repeat a label)

    @classmethod
    def of(cls, identifier: LanguageIdentifier) -> Model:
        nextmove = np.frombuffer(identifier.tk_nextmove, dtype=_UNSIGNED[identifier.tk_nextmove.itemsize])
        rows = np.frombuffer(identifier.tk_row, dtype=_UNSIGNED[identifier.tk_row.itemsize])
        rowbase = rows.astype(np.intp) << 8
        return cls(
            nextmove=nextmove,
            rowbase=rowbase,
            output=np.asarray(identifier.tk_output, dtype=np.int32),
            table=np.ascontiguousarray(identifier.nb_ptc),
            priors=np.asarray(identifier.nb_pc, dtype=np.float32),
            labels=tuple(identifier.nb_classes),
        )

    def save(self, directory: Path) -> None:
        """Write the model to ``directory`` (which exists) as plain ``.npy`` files that
        :meth:`load` maps, and a manifest with their checksum."""
        crc = 0
        for name in _ARRAYS:
            array = getattr(self, name)
            np.save(directory / f"{name}.npy", array, allow_pickle=False)
            crc = zlib.crc32(array.data, crc)
        manifest = {"labels": list(self.labels), "crc32": crc, "arrays": _layout(self)}
        (directory / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Model:
        """The model :meth:`save` wrote, its arrays mapped read-only from the files, so
        every process that loads it shares one copy in the page cache.

        Raises ``OSError`` when a file cannot be read and ``ValueError`` when the files
        are not what :meth:`save` wrote (cut short, overwritten, retyped): the checksum
        covers every byte of the arrays, which takes 20 ms for the 61 MB, and the
        manifest their dtypes and shapes, so the arrays fit together as they did.
        """
        manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
        arrays = {
            name: np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False))
            for name in _ARRAYS
        }
        crc = 0
        for name in _ARRAYS:
            crc = zlib.crc32(arrays[name].data, crc)
        labels = manifest.get("labels") if isinstance(manifest, dict) else None
        if not isinstance(labels, list) or crc != manifest.get("crc32"):
            raise ValueError(f"{directory}: the language model's files do not match their checksum")
        model = cls(**arrays, labels=tuple(str(label) for label in labels))
        if manifest.get("arrays") != _layout(model):  # the headers, which the checksum leaves out
            raise ValueError(f"{directory}: the language model's arrays are not the ones written")
        return model

    def features(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The features ``data`` holds and how often, in the order they first occur."""
        text = np.frombuffer(data, dtype=np.uint8)
        n = len(text)
        states = np.zeros(n, dtype=np.intp)
        for back in range(min(DEPTH, n) - 1, -1, -1):
            # every position reads the byte ``back`` places before it, oldest first
            states[back:] = self.nextmove[self.rowbase[states[back:]] + text[: n - back]]
        emitted = self.output[states]
        emitted = emitted[emitted >= 0]
        found, first, counts = np.unique(emitted, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        return found[order], counts[order]

    def probabilities(self, text: str) -> np.ndarray:
        """Each class column's probability for ``text``, as py3langid's ``rank`` gives them
        with ``norm_probs`` (before it folds an alias's column into its label's first)."""
        data = encode(text)
        found, counts = self.features(data)
        scores: np.ndarray = np.zeros(len(self.priors), dtype=np.float32)  # no evidence: every class alike
        if len(found):
            # the rows as float32 first: numpy's float16 matmul is a loop of its own, 3 times slower
            scores = np.log1p(counts.astype(np.float32)) @ self.table[found].astype(np.float32) + self.priors
        scores *= 1.0 / math.sqrt(len(data) or 1)  # py3langid's temperature, sqrt of the bytes
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        return scores


def _layout(model: Model) -> dict[str, list[object]]:
    """Each array's dtype and shape, as JSON gives them back."""
    return {name: [getattr(model, name).dtype.str, list(getattr(model, name).shape)] for name in _ARRAYS}


def encode(text: str) -> bytes:
    """The bytes py3langid scores for ``text``: all capitals lowered, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf-8", errors="surrogatepass")
