"""Export bookmarks as a Markdown list, written atomically (temp file, then os.replace).

A crash or a full disk halfway leaves the previous file as it was, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reader.model import Article


def bookmarks_markdown(articles: Sequence[Article]) -> str:
    """The bookmarks as a Markdown list; only http(s) URLs become links."""
    lines = ["# Bookmarks", ""]
    for article in articles:
        title = " ".join(article.title.split()).replace("[", "\\[").replace("]", "\\]")
        link = f"[{title}]({article.url})" if article.url.startswith(("http://", "https://")) else title
        where = ", ".join(x for x in (article.source, article.published[:10]) if x)
        lines.append(f"- {link} — {where}" if where else f"- {link}")
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
