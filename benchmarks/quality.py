"""Reader's import quality on public real-world data: one command, one table.

    .venv/bin/python benchmarks/quality.py \\
        --extraction ~/src/article-extraction-benchmark \\
        --feeds ~/src/feedjira ~/src/RSParser ~/src/feed-rs ~/src/miniflux-v2 \\
        --languages ~/src/lingua-py [--compare-lingua]

Each option takes checkouts of public repositories (their files are never copied into
this project): scrapinghub/article-extraction-benchmark (body F1 by its own
evaluate.py), the feed test data of feedjira/feedjira, Ranchero-Software/RSParser,
feed-rs/feed-rs and miniflux/v2 (entries against feedparser), and
pemistahl/lingua-py's language-testdata (language accuracy per language). Any of the
three may be left out. It prints a Markdown table, each figure beside the target issue
11 holds it to, then the lines naming every page or file behind a miss.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import quality_extraction  # noqa: E402  (siblings: benchmarks/ is this script's folder)
import quality_feeds  # noqa: E402
import quality_languages  # noqa: E402


def _row(what: str, value: str, target: str, ok: bool) -> str:
    return f"| {what} | {value} | {target} | {'pass' if ok else 'FAIL'} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extraction", type=Path, help="checkout of scrapinghub/article-extraction-benchmark")
    parser.add_argument("--feeds", type=Path, nargs="+", default=[], help="checkouts with feed test data")
    parser.add_argument("--languages", type=Path, help="checkout of pemistahl/lingua-py")
    parser.add_argument("--compare-lingua", action="store_true", help="also time lingua-language-detector")
    args = parser.parse_args(argv)
    rows = ["| measure | Reader | target | |", "| --- | --- | --- | --- |"]
    notes: list[str] = []
    failed = False

    def add(what: str, value: str, target: str, ok: bool) -> None:
        nonlocal failed
        failed = failed or not ok
        rows.append(_row(what, value, target, ok))

    if args.extraction:
        start = time.perf_counter()
        ex = quality_extraction.measure(args.extraction)
        seconds = time.perf_counter() - start
        add(f"extraction: body F1 ({ex.pages} pages)", f"{ex.f1:.4f} (P {ex.precision:.3f}, R {ex.recall:.3f})", "≥ 0.96", ex.f1 >= 0.96)
        add("extraction: pages under F1 0.5", str(len(ex.under_half)), "≤ 2", len(ex.under_half) <= 2)
        add("extraction: pages imported with an empty body", str(len(ex.empty)), "0", not ex.empty)
        add("extraction: pages refused with a line", str(len(ex.refused)), "(each named)", True)
        rows.append(f"| extraction: time for all pages | {seconds:.0f} s | | |")
        notes += [f"under 0.5: {key} (F1 {f1})" for key, f1 in ex.under_half]
        notes += [f"empty body: {key}" for key in ex.empty]
        notes += [f"refused: {key}: {reason}" for key, reason in ex.refused]
    if args.feeds:
        fd = quality_feeds.measure(args.feeds)
        add(f"feeds: entries feedparser reads ({fd.files} files)", str(fd.entries), "", True)
        add("feeds: distinct articles", str(fd.articles), f"{fd.entries} − skipped", fd.articles + fd.skipped >= fd.entries - fd.dropped)
        add("feeds: entries skipped with a line", str(fd.skipped), "(each named)", True)
        add("feeds: entries merged into another", str(fd.merged), "0", fd.merged == 0)
        add("feeds: entries lost without a line", str(fd.dropped), "0", fd.dropped == 0)
        notes += fd.problems
    if args.languages:
        lg = quality_languages.measure(args.languages, args.compare_lingua)
        for code in quality_languages.STEMMED:
            target = 99.0 if code in quality_languages.FIRST_SIX else None
            value = lg.per_language[code]
            add(f"language: {code} sentences", f"{value:.1f}%", "≥ 99%" if target else "", target is None or value >= target)
        add("language: all 16 stemmed languages", f"{lg.overall:.2f}%", "≥ 95%", lg.overall >= 95.0)
        for name, (seconds, megabytes) in lg.costs.items():
            rows.append(f"| language: {name}, first answer in a new process | {seconds:.2f} s, {megabytes} MB peak | | |")
    print("\n".join(rows))
    if notes:
        print()
        print("\n".join(f"- {note}" for note in notes))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
