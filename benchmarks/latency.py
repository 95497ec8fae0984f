"""Reader against FTS5, operation by operation: p50 and p95 in milliseconds.

Three things a person waits for: a search of each query type, each keystroke in the
search box, and opening an article. Every operation is timed once per distinct query
(or article) after a warm-up, on a library opened and warmed as the app does at start
(:meth:`Library.warm_search`), so the figures are what a session in use sees, not a
cold start.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from benchmarks.fts import LIMIT, Fts
from benchmarks.queries import WARM_UP
from reader.library import Library
from reader.tui.screens.library import SEARCH_LIMIT


def percentile(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _clock(fn: Callable[[str], object], query: str) -> float:
    start = time.perf_counter()
    fn(query)
    return (time.perf_counter() - start) * 1000


def timed(fn: Callable[[str], object], queries: Sequence[str], warm_up: Sequence[str]) -> list[float]:
    """Milliseconds per query, after running ``warm_up`` untimed."""
    for query in warm_up:
        fn(query)
    return [_clock(fn, query) for query in queries]


def row(name: str, example: str, ours: Sequence[float], theirs: Sequence[float] | None) -> dict:
    """One line of a comparison; ``theirs`` is None where FTS5 has no counterpart."""
    result = {
        "type": name,
        "example": example,
        "samples": len(ours),
        "reader_p50_ms": round(percentile(ours, 50), 2),
        "reader_p95_ms": round(percentile(ours, 95), 2),
        "fts5_p50_ms": None,
        "fts5_p95_ms": None,
        "p95_ratio": None,
    }
    if theirs:
        result["fts5_p50_ms"] = round(percentile(theirs, 50), 2)
        result["fts5_p95_ms"] = round(percentile(theirs, 95), 2)
        result["p95_ratio"] = round(result["reader_p95_ms"] / max(result["fts5_p95_ms"], 0.01), 2)
    return result


def query_types(library: Library, fts: Fts, sets: dict[str, list[str]]) -> list[dict]:
    """Each query type: the top 20 with snippets and a total on both sides."""
    rows = []
    for kind, queries in sets.items():
        if kind == "more-like-this":
            # Reader caches similar articles per article: warm up on other articles.
            warm_up, queries = queries[:WARM_UP], queries[WARM_UP:]
            ours = timed(lambda i: library.more_like_this(i, limit=5), queries, warm_up)
            theirs = timed(fts.more_like_this, queries, warm_up)
            rows.append(row(kind, "(article id)", ours, theirs))
            continue
        baseline = fts.suggestion if kind == "suggestion" else fts.ranked
        ours = timed(lambda q: library.search(q, LIMIT), queries, queries[:WARM_UP])
        theirs = timed(baseline, queries, queries[:WARM_UP])
        rows.append(row(kind, queries[0], ours, theirs))
    return rows


def as_you_type(library: Library, fts: Fts, boxes: list[list[str]]) -> dict:
    """Every keystroke of each typed word (the first word warms up)."""
    warm_up, keystrokes = boxes[0], [text for box in boxes[1:] for text in box]
    ours = timed(lambda text: library.search(text, SEARCH_LIMIT, as_you_type=True), keystrokes, warm_up)
    theirs = timed(fts.as_you_type, keystrokes, warm_up)
    return row(f"as you type (per keystroke, top {SEARCH_LIMIT})", f"{boxes[1][0]} … {boxes[1][-1]}", ours, theirs)


def open_article(library: Library, fts: Fts, ids: list[str]) -> list[dict]:
    """What pressing Enter on an article asks for, step by step and in all.

    Reader: the article with its related links resolved, five similar articles, the
    reading position. FTS5: the row with its related rows (resolved by URL), and its
    more-like-this; it has no reading position, so that step is Reader's alone.
    """
    steps = {
        "store read with related links": (library.get, fts.get),
        "more-like-this (5)": (lambda i: library.more_like_this(i, limit=5), fts.more_like_this),
        "reading position": (library.position, None),
    }
    for article_id in ids[:WARM_UP]:
        for ours, theirs in steps.values():
            ours(article_id)
            if theirs:
                theirs(article_id)
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in steps}
    for article_id in ids[WARM_UP:]:
        for name, (ours, theirs) in steps.items():
            times[name][0].append(_clock(ours, article_id))
            if theirs:
                times[name][1].append(_clock(theirs, article_id))
    rows = [row(name, "", ours, theirs or None) for name, (ours, theirs) in times.items()]
    total_ours = [sum(step) for step in zip(*(ours for ours, _ in times.values()), strict=False)]
    total_theirs = [sum(step) for step in zip(*(theirs for _, theirs in times.values() if theirs), strict=False)]
    return [*rows, row("all of it", "", total_ours, total_theirs)]
