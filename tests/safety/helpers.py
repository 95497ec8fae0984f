"""Shared by the data-safety tests: run the real ``reader`` command, check what it prints.

:func:`reader` runs ``python -m reader`` in a subprocess against a given data directory
(never the user's), so the tests see exactly what a terminal would: bytes on stdout and
stderr, and an exit status. :func:`assert_terminal_safe` is the check every text output
meets, and :func:`make_jsonl` writes a large generated library for the crash and
two-instance tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

# Raw bytes a terminal acts on: C0 controls except \t and \n (ESC is 0x1b), and DEL.
# UTF-8 never uses bytes below 0x80 inside a multi-byte character, so this is exact.
_UNSAFE_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
# Code points, after decoding: C1 controls (U+0080-U+009F; their raw bytes 0x80-0x9f also
# occur as continuation bytes of ordinary letters such as "ü", so they are checked as
# characters), bidi embeddings, overrides, isolates and marks, zero-width and invisible
# format characters, line/paragraph separators, lone surrogates.
_UNSAFE_CHARS = re.compile(
    "[\x80-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)

# Everything the hostile fixtures hide in escape sequences: none of it may ever be printed.
SECRETS = ("UmVhZGVy", "PWNED", "1$qm")


def reader_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "READER_DATA_DIR": str(data_dir), "COLUMNS": "120", **extra}
    env.pop("READER_DEBUG", None)
    return env


def reader(
    data_dir: Path,
    *args: str,
    input: bytes | None = None,
    timeout: float = 60,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """``reader ARGS`` on ``data_dir``, stdout and stderr captured as bytes (pipes, not a tty)."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        env=dict(env) if env is not None else reader_env(data_dir),
        input=input,
        capture_output=True,
        timeout=timeout,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def assert_terminal_safe(data: bytes, what: str = "output", *, secrets: bool = True) -> str:
    """Decode ``data`` (it must be UTF-8) and fail if anything in it could drive a terminal.

    Allowed: printable text, newline, tab. Refused: ESC and every other C0 control, DEL,
    C1 controls, bidi and invisible format characters, and any escape-hidden payload.
    Returns the decoded text.
    """
    found = _UNSAFE_BYTES.search(data)
    assert found is None, f"{what}: byte {found.group()!r} at {found.start()}: {data[max(0, found.start() - 60):found.start() + 60]!r}"
    text = data.decode("utf-8")
    char = _UNSAFE_CHARS.search(text)
    assert char is None, f"{what}: {char.group()!r} at {char.start()}: {text[max(0, char.start() - 60):char.start() + 60]!r}"
    for secret in SECRETS if secrets else ():
        assert secret not in text, f"{what}: the escape payload {secret!r} was printed"
    assert "Traceback" not in text, f"{what}: a traceback\n{text[-3000:]}"
    return text


def check_ok(result: subprocess.CompletedProcess[bytes], what: str, *, secrets: bool = True) -> tuple[str, str]:
    """Assert exit 0 and safe output; return (stdout, stderr) as text."""
    err = assert_terminal_safe(result.stderr, f"{what} stderr", secrets=secrets)
    assert result.returncode == 0, f"{what}: exit {result.returncode}\n{err}"
    return assert_terminal_safe(result.stdout, f"{what} stdout", secrets=secrets), err


def load_json(result: subprocess.CompletedProcess[bytes], what: str):
    out, _ = check_ok(result, what)
    return json.loads(out)


WORD = "zebracommon"  # in every generated article: a search for it counts the library


def make_jsonl(path: Path, count: int, *, start: int = 0, prefix: str = "gen") -> list[str]:
    """Write ``count`` Reader JSON Lines articles (about 250 words each); return their URLs.

    Every article contains :data:`WORD`; ids come from the URLs, so re-importing the
    same numbers updates instead of adding.
    """
    words = ("harbour ferry tide quay pilot council budget school railway library weather "
             "market festival river bridge lighthouse").split()
    urls = []
    with path.open("w", encoding="utf-8") as out:
        for n in range(start, start + count):
            body = "\n\n".join(
                " ".join(words[(n * 7 + p * 3 + i) % len(words)] for i in range(30)) + f" {WORD} item{n}."
                for p in range(2)
            )
            url = f"https://news.example/{prefix}/{n}"
            urls.append(url)
            out.write(json.dumps({
                "title": f"Generated article {prefix} {n} about the {words[n % len(words)]}",
                "summary": f"Summary of {prefix} {n}.",
                "body": body,
                "url": url,
                "source": "Generated Gazette",
                "published": f"2026-01-{1 + n % 28:02d}",
                "language": "en",
            }) + "\n")
    return urls


def ids_of(urls: Sequence[str]) -> list[str]:
    from reader.model import article_id

    return [article_id(url=url) for url in urls]


# -- the app: the TUI tests' own helpers, shared (pytest puts tests/ on sys.path) -------

from tui.helpers import click_every, drawn, settle, shown, shown_at, toasts, wait_until  # noqa: E402,F401
