"""Issue 15: an absurd ``--limit`` and invalid ``[keys]`` values are one line naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import parse_config

from .helpers import assert_terminal_safe, reader


@pytest.mark.parametrize("command", ["search", "list"])
@pytest.mark.parametrize("limit", ["99999999999999999999", "0", "-5", "many"])
def test_a_bad_limit_is_one_clear_line(data_dir: Path, command: str, limit: str) -> None:
    args = [command, "word"] if command == "search" else [command]
    result = reader(data_dir, *args, "--limit", limit)
    err = assert_terminal_safe(result.stderr, "stderr")
    assert result.returncode == 2
    assert "argument --limit: expected a whole number from 1 to" in err
    assert "Traceback" not in err and "OverflowError" not in err and "unexpected error" not in err


@pytest.mark.parametrize("value", ["\u001b", ",,,", "ctrl+", "ctrl+ b", "bogus+x", "", "m,,n"])
def test_invalid_key_values_are_refused_naming_the_setting(value: str) -> None:
    config = parse_config({"keys": {"bookmark": value, "quit": "x"}})
    assert "bookmark" not in config.keys
    assert config.keys == {"quit": "x"}
    assert len(config.problems) == 1 and config.problems[0].startswith("[keys] bookmark: expected a key")


@pytest.mark.parametrize("value", ["m", "ctrl+b", "m,f2", "question_mark", "ctrl+shift+up"])
def test_valid_key_values_are_kept(value: str) -> None:
    assert parse_config({"keys": {"bookmark": value}}).keys == {"bookmark": value}


def test_a_binding_id_with_an_escape_is_named_clean() -> None:
    config = parse_config({"keys": {"bo\x1b]2;PWNED\x07ok": ",,,"}})
    assert config.problems == ('[keys] book: expected a key such as "m", "ctrl+b" or "m,f2"',)
