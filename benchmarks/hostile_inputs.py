"""How long the importers and language detection take on hostile or huge inputs.

These figures were wall-clock asserts in the test suite (each failed now and then on a
busy machine and passed alone); the tests now check only what the result is, and the
timings live here, beside the limits they were held to. One command, about a minute:

    .venv/bin/python -m benchmarks.hostile_inputs

Prints one line per case: the best of three runs, and the former limit.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from reader.errors import ImportFailure
from reader.importers import parse_bytes
from reader.language import detect_language

TESTS = Path(__file__).resolve().parent.parent / "tests"


def _test_module(relative: str) -> ModuleType:
    """The cases come from the tests themselves (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location(relative.replace("/", "_"), TESTS / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BAD = _test_module("importers/test_import_bad_files.py").BAD
_LANGUAGE = _test_module("test_language.py")
ENGLISH, GERMAN = _LANGUAGE.ENGLISH, _LANGUAGE.GERMAN


def _refused(data: bytes, name: str) -> None:
    try:
        parse_bytes(data, name)
    except ImportFailure:
        return
    raise AssertionError(f"{name} was not refused")


def _cases() -> list[tuple[str, float, Callable[[], object]]]:
    aliases = "\n".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9))
    yaml = f"---\na0: &a0 [x, x, x, x, x, x, x, x, x]\n{aliases}\ntitle: *a8\n---\nThe body is a sentence.\n"
    deep = b"<div>" * 100_000 + b"Deep text." + b"</div>" * 100_000
    paragraph = "word " * 200_000
    many = [f"Paragraph number {i} has a sentence in it." for i in range(50_000)]
    text = " ".join(ENGLISH + GERMAN) * 4
    cases: list[tuple[str, float, Callable[[], object]]] = [
        (f"bad file: {label}", 2.0, lambda d=data, n=name: _refused(d, n)) for label, data, name, _ in BAD
    ]
    cases += [
        ("YAML aliases do not expand", 2.0, lambda: parse_bytes(yaml.encode(), "x.md")),
        ("100,000 nested <div>s", 10.0, lambda: parse_bytes(deep, "deep.html")),
        *[(f"1 MB paragraph ({n})", 5.0, lambda n=n: parse_bytes(
            (f"<p>{paragraph}</p>" if n.endswith("html") else f"A title\n\n{paragraph}").encode(), n))
          for n in ("long.txt", "long.md", "long.html")],
        *[(f"50,000 paragraphs ({n})", 8.0, lambda n=n: parse_bytes((
            "<article><h1>A title</h1>" + "".join(f"<p>{p}</p>" for p in many) + "</article>"
            if n.endswith("html") else "A title\n\n" + "\n\n".join(many)).encode(), n))
          for n in ("many.txt", "many.md", "many.html")],
        ("language detection x 2,000", 2.0, lambda: [detect_language(text) for _ in range(2000)]),
    ]
    return cases


def main() -> None:
    for label, limit, run in _cases():
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - started)
        print(f"{label:<48} {best:7.3f} s   (former test limit {limit:g} s){'  OVER' if best > limit else ''}")


if __name__ == "__main__":
    main()
