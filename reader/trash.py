"""The trash: what a deleted article is while it can still be restored, and for how long.

Deleting an article moves it, whole, out of the articles every list, count, search and
export reads, into the trash (reader/migrations/v007_trash.py): its bookmark, read mark,
reading position, links and highlights come back with a restore. What stays in the trash
:data:`TRASH_DAYS` days is emptied when a library is opened (:func:`expiry_cutoff`). The
id of every deleted article is kept for good, so that a feed update re-serving the entry
does not bring it back; an import of a file that holds it skips it and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

TRASH_DAYS = 30
"""Days an article stays in the trash before it is emptied for good."""


@dataclass(frozen=True)
class TrashedArticle:
    """One article in the trash, as the trash lists it."""

    id: str
    title: str
    source: str
    published: str
    deleted_at: str  # ISO 8601, UTC

    @property
    def expires_at(self) -> str:
        """When the trash lets go of it (ISO 8601, UTC)."""
        return stamp(datetime.fromisoformat(self.deleted_at) + timedelta(days=TRASH_DAYS))

    def to_dict(self) -> dict[str, str]:
        """The ``reader trash --format json`` shape."""
        return {
            "id": self.id, "title": self.title, "source": self.source, "published": self.published,
            "deleted_at": self.deleted_at, "expires_at": self.expires_at,
        }


def stamp(moment: datetime) -> str:
    """``moment`` as the trash stores it: ISO 8601 in UTC to the second, so that stored
    times compare as text."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def expiry_cutoff(now: datetime) -> str:
    """Articles deleted before this moment have been in the trash too long."""
    return stamp(now - timedelta(days=TRASH_DAYS))
