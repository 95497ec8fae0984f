"""The feed benchmark's closing medians (benchmarks/feeds_bench.py --rounds)."""

from __future__ import annotations

from benchmarks.feeds_bench import Figure, _medians


def _figures(cold: float, warm: float) -> dict[str, Figure]:
    return {"cold": Figure(cold, 0.0, (0.0, 0.0)), "warm": Figure(warm, 0.0, (0.0, 0.0))}


def test_the_medians_pair_each_round_of_reader_with_the_same_round_of_newsboat(capsys) -> None:
    rows = [
        ("reader", _figures(12.0, 7.0)), ("newsboat", _figures(10.0, 28.0)),  # round 1
        ("newsboat", _figures(16.0, 35.0)), ("reader", _figures(20.0, 8.0)),  # round 2, newsboat first
        ("reader", _figures(11.0, 7.0)), ("newsboat", _figures(11.0, 21.0)),  # round 3
    ]
    _medians(rows, "reader", "newsboat")
    cold, warm = capsys.readouterr().out.splitlines()
    assert cold == "cold: reader median 12.0 s, newsboat median 11.0 s; reader/newsboat per round 1.20, 1.25, 1.00 (median 1.20)"
    assert warm == "warm: reader median 7.0 s, newsboat median 28.0 s; reader/newsboat per round 0.25, 0.23, 0.33 (median 0.25)"
