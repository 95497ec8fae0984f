"""How hard the fuzz tests look: Hypothesis profiles, and each test's examples.

Three profiles, chosen with ``HYPOTHESIS_PROFILE`` (registered in tests/conftest.py):

- ``dev`` (the default): the everyday ``pytest`` run, half of CI's examples;
- ``ci`` (``.ci/run`` sets it): every fuzz test at the count it states, as before;
- ``long``: forty times CI's examples, for a night's run.

A test states its examples for CI (``@settings(max_examples=examples(200))``); the
profile scales that. ``READER_FUZZ_EXAMPLES=N`` sets every fuzz test to ``N`` whatever
the profile (``READER_FUZZ_EXAMPLES=5000 pytest tests/importers/test_import_fuzz.py``).
The Hypothesis database (``.hypothesis/``) keeps a failing example, so a short run
replays it first.
"""

from __future__ import annotations

import os

# Fraction of the CI count each profile runs; Hypothesis' own default (100 examples, for
# tests that state none) is scaled the same way in conftest.py.
SCALE = {"dev": 0.5, "ci": 1.0, "long": 40.0}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
if PROFILE not in SCALE:
    raise RuntimeError(f"HYPOTHESIS_PROFILE={PROFILE!r}: choose one of {', '.join(SCALE)}")
MIN_EXAMPLES = 25  # below this a fuzz test finds little; the dev profile never goes lower


def examples(ci: int) -> int:
    """The examples a fuzz test runs under the current profile, ``ci`` of them in CI."""
    if "READER_FUZZ_EXAMPLES" in os.environ:
        return int(os.environ["READER_FUZZ_EXAMPLES"])
    return max(MIN_EXAMPLES, round(ci * SCALE[PROFILE]))
