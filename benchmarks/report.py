"""The Markdown report of a run: one section per library size, each figure beside the
issue's target for it, marked pass or fail.

The targets are the ones set for a 100,000-article library; smaller libraries are held
to the same, so a miss at 10,000 is a warning of a miss at 100,000.
"""

from __future__ import annotations

SEARCH_P95_MS = 50.0
SEARCH_P95_RATIO = 3.0  # Reader's p95 over FTS5's, per query type
OPEN_P95_MS = 50.0
FIRST_PAINT_RATIO = 1.5  # time to first titles, Reader over a bare Textual app
RSS_MB = 250
SEARCH_BOX_P95_MS = 100
IMPORT_SECONDS = 600


def markdown(result: dict) -> str:
    machine = result["machine"]
    lines = [
        f"# Reader benchmark, {result['started']}",
        "",
        f"Machine: {machine['cpu']}, {machine['cpus']} CPUs, {machine['platform']}; Python {machine['python']}, "
        f"SQLite {machine['sqlite']}. Corpus seed {result['seed']}. Targets are the issue's for 100,000 "
        "articles; smaller libraries are held to the same.",
    ]
    for size in result["sizes"]:
        lines += ["", *_section(size)]
    if len(result["sizes"]) > 1:
        lines += ["", *_scaling(result["sizes"])]
    return "\n".join(lines) + "\n"


def _section(size: dict) -> list[str]:
    load = ", ".join(f"{phase} {v['min']:.1f}–{v['max']:.1f}" for phase, v in size["load"].items())
    lines = [f"## {size['articles']:,} articles", "", f"Load average (1 min, min–max) while: {load}.", ""]
    lines += _import(size["import"], size["fts5_import"])
    lines += ["", "### Search: top 20 with snippets and a total (p95 < 50 ms and ≤ 3x FTS5)", ""]
    lines += _latency_table([*size["search"], size["as_you_type"]], _search_verdict)
    lines += ["", "### Opening an article: get, more-like-this (5), reading position (p95 < 50 ms in all)", ""]
    lines += _latency_table(size["open_article"], _open_verdict)
    if size.get("tui"):
        lines += ["", *_tui(size["tui"])]
    return lines


def _import(reader: dict, fts5: dict) -> list[str]:
    minutes = reader["seconds"] / 60
    return [
        "### Import",
        "",
        "| measure | Reader (`reader import`) | FTS5 | target |",
        "| --- | ---: | ---: | --- |",
        f"| time | {reader['seconds']:,.1f} s ({reader['articles_per_second']:,}/s) | "
        f"{fts5['seconds']:,.1f} s ({fts5['articles_per_second']:,}/s) | "
        f"< 10 min: {_mark(reader['seconds'] < IMPORT_SECONDS)} ({minutes:.1f} min) |",
        f"| index on disk | {reader['index_mb']:,.1f} MB | {fts5['db_mb']:,.1f} MB (with the rows) | |",
        f"| store on disk | {reader['store_mb']:,.1f} MB | | |",
        f"| peak memory: largest process (RSS) | {reader['peak_rss_mb']:,} MB | | bounded: see the sizes compared |",
        f"| peak memory: all its processes (PSS, sampled) | {reader['peak_pss_all_processes_mb']:,} MB | | |",
    ]


def _latency_table(rows: list[dict], verdict) -> list[str]:
    lines = [
        "| operation | example | Reader p50 | Reader p95 | FTS5 p50 | FTS5 p95 | p95 ratio | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        example = f"`{row['example']}`" if row["example"] else ""
        ratio = "" if row["p95_ratio"] is None else f"{row['p95_ratio']:.1f}x"
        lines.append(
            f"| {row['type']} | {example} | {_ms(row['reader_p50_ms'])} | {_ms(row['reader_p95_ms'])} | "
            f"{_ms(row['fts5_p50_ms'])} | {_ms(row['fts5_p95_ms'])} | "
            f"{ratio} | {verdict(row)} |"
        )
    return lines


def _search_verdict(row: dict) -> str:
    misses = []
    if row["reader_p95_ms"] >= SEARCH_P95_MS:
        misses.append("over 50 ms")
    if row["p95_ratio"] > SEARCH_P95_RATIO:
        misses.append("over 3x")
    return f"**fail**: {', '.join(misses)}" if misses else "pass"


def _open_verdict(row: dict) -> str:
    return _mark(row["reader_p95_ms"] < OPEN_P95_MS) if row["type"] == "all of it" else ""


def _tui(tui: dict) -> list[str]:
    rss = max(tui["rss_after_first_paint_mb"], tui["rss_after_index_open_mb"])
    return [
        f"### The app in tmux ({tui['size']}, median of {tui['runs']} runs)",
        "",
        "| measure | value | target |",
        "| --- | ---: | --- |",
        f"| first titles on screen: bare Textual app | {tui['first_paint_bare_ms']} ms | |",
        f"| first titles on screen: Reader | {tui['first_paint_reader_ms']} ms (ratio {tui['first_paint_ratio']:.2f}) | "
        f"≤ 1.5x: {_mark(tui['first_paint_ratio'] <= FIRST_PAINT_RATIO)} |",
        f"| resident memory after the first paint | {tui['rss_after_first_paint_mb']} MB | |",
        f"| resident memory with the search index open | {tui['rss_after_index_open_mb']} MB | "
        f"< 250 MB: {_mark(rss < RSS_MB)} |",
        f"| search box, last key to results: p50 / p95 / max | {tui['search_box_p50_ms']} / "
        f"{tui['search_box_p95_ms']} / {tui['search_box_max_ms']} ms | "
        f"p95 ≤ 100 ms: {_mark(tui['search_box_p95_ms'] <= SEARCH_BOX_P95_MS)} |",
        f"| the floor: a bare Textual input echoing the same keys, p50 / p95 | {tui['bare_input_echo_p50_ms']} / "
        f"{tui['bare_input_echo_p95_ms']} ms | |",
    ]


def _scaling(sizes: list[dict]) -> list[str]:
    lines = [
        "## The sizes compared",
        "",
        "| articles | import | articles/s | peak RSS (all processes' PSS) | index | store | slowest search p95 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for size in sizes:
        imp = size["import"]
        slowest = max([*size["search"], size["as_you_type"]], key=lambda r: r["reader_p95_ms"])
        lines.append(
            f"| {size['articles']:,} | {imp['seconds']:,.1f} s | {imp['articles_per_second']:,} | "
            f"{imp['peak_rss_mb']:,} MB ({imp['peak_pss_all_processes_mb']:,} MB) | {imp['index_mb']:,.1f} MB | "
            f"{imp['store_mb']:,.1f} MB | {slowest['type']} {_ms(slowest['reader_p95_ms'])} |"
        )
    return lines


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f} ms" if value < 1 else f"{value:.1f} ms"


def _mark(ok: bool) -> str:
    return "pass" if ok else "**fail**"
