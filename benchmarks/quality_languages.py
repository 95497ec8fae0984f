"""Language detection on single sentences of lingua-py's language-testdata.

``language-testdata/sentences/<code>.txt`` holds 1,000 sentences per language. Reader's
:func:`reader.language.detect_language` (what the importers use) is scored on the
sixteen languages Whoosh stems, Norwegian Bokmål (``nb``) counting as Reader's ``no``;
the load time and memory of the model are measured in a fresh process, beside
lingua-language-detector's when it is installed (``--compare-lingua``).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reader.language import detect_language

STEMMED = ("ar", "da", "de", "en", "es", "fi", "fr", "hu", "it", "nb", "nl", "pt", "ro", "ru", "sv", "tr")
FIRST_SIX = ("en", "de", "fr", "es", "it", "nl")
_READER_CODE = {"nb": "no"}

_COST = """
import resource, time
start = time.perf_counter()
{setup}
first = time.perf_counter()
print(round(first - start, 2), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""
_SETUPS = {
    "reader (py3langid)": "from reader.language import detect_language\ndetect_language('A first sentence to load the model.')",
    "lingua (all languages)": (
        "from lingua import LanguageDetectorBuilder\n"
        "LanguageDetectorBuilder.from_all_languages().build().detect_language_of('A first sentence to load the model.')"
    ),
}


@dataclass
class LanguageResult:
    per_language: dict[str, float] = field(default_factory=dict)
    overall: float = 0.0
    costs: dict[str, tuple[float, int]] = field(default_factory=dict)  # seconds to first answer, peak MB


def measure(checkout: Path, compare_lingua: bool = False) -> LanguageResult:
    root = checkout / "language-testdata" / "sentences"
    result = LanguageResult()
    right = total = 0
    for code in STEMMED:
        sentences = [line for line in (root / f"{code}.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
        want = _READER_CODE.get(code, code)
        hits = sum(detect_language(sentence) == want for sentence in sentences)
        result.per_language[code] = 100 * hits / len(sentences)
        right += hits
        total += len(sentences)
    result.overall = 100 * right / total
    for name, setup in _SETUPS.items():
        if name.startswith("lingua") and not compare_lingua:
            continue
        out = subprocess.run(
            [sys.executable, "-c", _COST.format(setup=setup)], capture_output=True, text=True, check=False
        ).stdout.split()
        if len(out) == 2:
            result.costs[name] = (float(out[0]), int(out[1]))
    return result
