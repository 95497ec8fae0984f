"""The wheel carries styles/ and sample_data/, and paths.py finds them in both layouts."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reader import paths

ROOT = Path(__file__).resolve().parent.parent


def test_resources_resolve_in_a_checkout():
    assert paths.styles_dir() == ROOT / "styles"
    assert paths.sample_data_dir() == ROOT / "sample_data"
    assert any(paths.styles_dir().glob("*.tcss"))


def test_data_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.data_dir(tmp_path / "flag") == tmp_path / "flag"
    monkeypatch.delenv("READER_DATA_DIR")
    assert paths.data_dir().name == "reader"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{proc.stderr[-2000:]}")
    return next(out.glob("*.whl"))


def test_wheel_contains_styles_and_samples(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("reader/_styles/") and n.endswith(".tcss") for n in names)
    samples = [n for n in names if n.startswith("reader/_sample_data/")]
    assert len(samples) >= 20
    assert "reader/cli.py" in names


def test_installed_wheel_finds_its_resources(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    code = "import reader.paths as p; print(p.styles_dir()); print(p.sample_data_dir())"
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    styles, samples = out.stdout.split()
    assert Path(styles) == target / "reader" / "_styles"
    assert Path(samples) == target / "reader" / "_sample_data"
