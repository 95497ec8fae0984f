"""The start method of Reader's worker processes (reader/processes.py)."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading

import pytest

from reader import processes


def test_a_threaded_process_starts_its_children_from_a_fork_server() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert processes.default_start_method() in ("forkserver", "spawn")
    finally:
        release.set()
        other.join()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_a_single_threaded_process_forks() -> None:
    # In a fresh interpreter: a test worker may run threads of its own.
    done = subprocess.run(
        [sys.executable, "-c", "from reader.processes import default_start_method; print(default_start_method())"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert done.stdout.strip() == "fork"
