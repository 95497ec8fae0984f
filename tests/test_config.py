"""Reading config.toml (reader/config.py): defaults, each bad setting named, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys

from reader.config import DEFAULT_READING_WIDTH, load_config


def test_missing_file_is_the_defaults(config_dir):
    config = load_config()
    assert config.keys == {} and config.theme is None and config.reading_width == DEFAULT_READING_WIDTH
    assert config.problems == () and config.path == config_dir / "config.toml"


def test_each_bad_setting_is_named_and_the_rest_kept(config_dir):
    (config_dir / "config.toml").write_text(
        'theme = 7\nreading_width = 500\ncolour = "red"\n[keys]\nbookmark = "m"\nsearch = 3\n'
    )
    config = load_config()
    assert config.keys == {"bookmark": "m"}
    assert config.theme is None and config.reading_width == DEFAULT_READING_WIDTH
    assert len(config.problems) == 4
    assert any("reading_width" in p for p in config.problems)
    assert any("'colour'" in p for p in config.problems)


def test_broken_toml_is_one_problem(config_dir):
    (config_dir / "config.toml").write_text("theme = [unclosed\n")
    config = load_config()
    assert config.problems and "using the defaults" in config.problems[0]


def test_config_module_does_not_import_textual():
    result = subprocess.run(
        [sys.executable, "-c", "import sys, reader.config; assert 'textual' not in sys.modules"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_a_start_without_a_config_file_does_not_load_the_toml_parser(tmp_path):
    """Most starts have no config file; its parser is 1.7 ms of the time to the first titles."""
    code = "import sys\nfrom reader.config import load_config\nload_config()\nprint('tomllib' in sys.modules)\n"
    env = {**os.environ, "READER_CONFIG_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.strip() == "False", result.stderr


def test_a_file_that_is_not_utf8_is_one_problem(config_dir):
    (config_dir / "config.toml").write_bytes(b'theme = "\xff"\n')
    config = load_config()
    assert config.problems and "cannot read" in config.problems[0] and "using the defaults" in config.problems[0]
