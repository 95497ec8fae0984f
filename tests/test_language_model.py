"""The canary of reader.language_model: py3langid's automaton and scores, read our way.

reader.language_model walks py3langid's DFA with array gathers and scores with its own
copy of py3langid's arithmetic. These tests fail loudly when a py3langid release
changes the automaton's depth, the meaning of its tables, or its scoring.
"""

from __future__ import annotations

import functools
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.language_model import DEPTH, Model, encode
from tests.fuzzing import examples
from tests.test_language import ENGLISH, GERMAN

TEXTS = [
    *ENGLISH,
    *GERMAN,
    "",
    "OK",
    "A",
    "12:30 · 4.5 km",
    "THE PARLIAMENT VOTED ON THE BUDGET TODAY",  # all capitals: py3langid lowers them
    "Cafe\u0301 au lait, cre\u0300me bru\u0302le\u0301e",  # combining accents: NFC first
    "Правительство утвердило бюджет на следующий год.",
    "الحكومة توافق على الميزانية الجديدة",
    "政府は来年度の予算を承認した。",
    "Η κυβέρνηση ενέκρινε τον προϋπολογισμό.",
    "Hükümet yeni bütçeyi onayladı. Öğretmenler memnun.",
    "broken \ud800 surrogate",
    " ".join(ENGLISH + GERMAN) * 2,
]


@functools.cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.cache
def _model() -> Model:
    return Model.of(_identifier())


def _py3langid_counts(data: bytes) -> Counter[int] | None:
    from py3langid.langid import visit_counts

    identifier = _identifier()
    rowbase = [row << 8 for row in identifier.tk_row]
    return visit_counts(identifier.tk_nextmove, rowbase, identifier.tk_output, data)


def _ours(data: bytes) -> Counter[int] | None:
    found, counts = _model().features(data)
    return Counter(dict(zip(found.tolist(), counts.tolist(), strict=True))) if len(found) else None


def test_no_state_of_the_automaton_is_deeper_than_depth() -> None:
    """A breadth-first walk from the root: the deepest state is DEPTH steps away, so the
    walk of DEPTH bytes before each position reaches every state the byte-at-a-time walk
    can (a state k steps from the root stands for k bytes)."""
    model = _model()
    seen = np.zeros(len(model.rowbase), dtype=bool)
    seen[0] = True
    frontier = np.array([0], dtype=np.intp)
    depth = 0
    while len(frontier):
        reached = np.unique(model.nextmove[(model.rowbase[frontier][:, None] + np.arange(256)).ravel()])
        frontier = reached[~seen[reached]].astype(np.intp)
        seen[frontier] = True
        depth += bool(len(frontier))
    assert seen.all()
    assert depth == DEPTH, f"py3langid's automaton is {depth} deep now: set DEPTH = {depth}"


@pytest.mark.parametrize("text", TEXTS)
def test_the_features_are_those_py3langid_visits(text: str) -> None:
    data = encode(text)
    assert _ours(data) == _py3langid_counts(data)
    assert list(_ours(data) or ()) == list(_py3langid_counts(data) or ())  # first-occurrence order too


@settings(max_examples=examples(300))
@given(st.text(max_size=200))
def test_the_features_of_any_text_are_those_py3langid_visits(text: str) -> None:
    data = encode(text)
    assert _ours(data) == _py3langid_counts(data)


def test_the_encoding_is_py3langid_s() -> None:
    for text in TEXTS:
        assert encode(text) == _identifier()._encode(text)  # py3langid's own, private: the canary compares


@pytest.mark.parametrize("text", TEXTS)
def test_the_probabilities_are_py3langid_s(text: str) -> None:
    """Per label (an alias's columns summed, as py3langid folds them), within float32's
    seventh digit: the matrix product may be summed in another order."""
    ours: dict[str, float] = {}
    for label, p in zip(_model().labels, _model().probabilities(text).tolist(), strict=True):
        ours[label] = ours.get(label, 0.0) + p
    theirs = dict(_identifier().rank(text))
    assert ours.keys() == theirs.keys()
    assert max(abs(ours[label] - theirs[label]) for label in ours) < 1e-6


def test_detect_answers_as_py3langid_s_rank_did() -> None:
    """reader.language.detect end to end against the way it read py3langid before this
    module: rank of the narrowed identifier, aliases merged, the prior applied."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from reader import language

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(dict.fromkeys(language._scoring().model.labels)))
    for text in TEXTS:
        sample = text[: language._SAMPLE_CHARS]
        if not language._LETTER.search(sample):
            continue
        merged: dict[str, float] = {}
        for label, p in identifier.rank(sample):
            code = language._ALIASES.get(label, label)
            merged[code] = merged.get(code, 0.0) + p * (language._PRIOR if code in language.STEMMED else 1.0)
        code = max(merged, key=merged.__getitem__)
        ours = language.detect(text)
        assert ours[0] == code, text
        assert ours[1] == pytest.approx(merged[code] / sum(merged.values()), abs=1e-6)
