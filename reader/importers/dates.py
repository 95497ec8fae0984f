"""Publication dates in any shape people write them, to one ISO 8601 string.

Feeds write RFC 822 dates, JSON and HTML write ISO 8601, YAML front matter yields date
objects, and page captures carry whatever the page printed ("4 March 2026",
"4. März 2026, 10:00 Uhr", "04.03.2026"). The library sorts by ``published`` as a
string, so every importer hands its value to :func:`iso_date`, which returns
"2026-03-04", "2026-03-04T10:00:00" or "2026-03-04T10:00:00+01:00", or "" when the value
is not a date it can read. It never guesses: "03/04/2026" is ambiguous and gives "".
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar jänner janvier enero gennaio januari janeiro",
            "february feb februar février febrero febbraio februari fevereiro",
            "march mar märz mars marzo maart março",
            "april apr avril abril aprile",
            "may mai mayo maggio mei maio",
            "june jun juni juin junio giugno junho",
            "july jul juli juillet julio luglio julho",
            "august aug août agosto augustus",
            "september sep sept septembre septiembre settembre setembro",
            "october oct oktober octobre octubre ottobre okt outubro",
            "november nov novembre noviembre novembro",
            "december dec dezember décembre diciembre dicembre dez dezembro",
        ),
        start=1,
    )
    for name in names.split()
}

_TIME = r"(?:,?\s*(?:um\s+|at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*uhr)?)?"
_DAY_MONTH_YEAR = re.compile(
    rf"(?P<day>\d{{1,2}})\.?\s+(?:de\s+)?(?P<month>[^\W\d_]+)\.?\s+(?:de\s+)?(?P<year>\d{{4}}){_TIME}"
)
_MONTH_DAY_YEAR = re.compile(rf"(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){_TIME}")
_DOTTED = re.compile(rf"(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}}){_TIME}")
_WEEKDAY_PREFIX = re.compile(r"^[^\W\d_]+,\s*")


def iso_date(value: object) -> str:
    """``value`` (str, date, datetime or time.struct_time) as ISO 8601, or "" if unreadable."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        try:
            return datetime(*value[:6], tzinfo=UTC).isoformat(timespec="seconds")
        except ValueError:
            return ""
    if not isinstance(value, str):
        return ""
    text = " ".join(value.split())
    if len(text) > 64 or not any(ch.isdigit() for ch in text):
        return ""
    return _from_iso(text) or _from_rfc822(text) or _from_words(text)


def trusted_parsed_date(text: object, parsed: object) -> str:
    """A date another parser read from ``text`` (feedparser's ``*_parsed``), if it is not invented.

    feedparser falls back to made-up values for dates it cannot read: ``Mon, 01 Jan 0000``
    becomes 2000-01-01, ``99999999999`` 9999-12-01, ``10000-01-01`` 2010-12-01. Its result
    is kept only when its year stands written, as four digits of their own, in the text.
    """
    date_text = iso_date(parsed)
    if not date_text:
        return ""
    if isinstance(text, str) and text and not re.search(rf"(?<!\d){date_text[:4]}(?!\d)", text):
        return ""
    return date_text


def _from_iso(text: str) -> str:
    candidate = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", text) else text
    if not re.match(r"\d{4}-\d\d-\d\d", candidate):
        return ""
    try:
        if len(candidate) == 10:
            return date.fromisoformat(candidate).isoformat()
        return iso_date(datetime.fromisoformat(candidate))
    except ValueError:
        return ""


def _from_rfc822(text: str) -> str:
    if not re.search(r"\d{1,2}:\d\d", text):
        return ""
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""
    # The email module turns a year below 100 into 19xx/20xx: "01 Jan 0000" would be 2000.
    # A four-digit year written in the text must be the year read.
    written = re.search(r"(?<!\d)(\d{4})(?!\d)", text)
    if parsed is None or (written is not None and int(written.group(1)) != parsed.year):
        return ""
    return iso_date(parsed)


def _from_words(text: str) -> str:
    text = _WEEKDAY_PREFIX.sub("", text.casefold())
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _DOTTED):
        match = pattern.fullmatch(text)
        if not match:
            continue
        month = match["month"]
        month_number = int(month) if month.isdigit() else _MONTHS.get(month, 0)
        try:
            day = date(int(match["year"]), month_number, int(match["day"]))
            if match["hour"] is None:
                return day.isoformat()
            return datetime(day.year, day.month, day.day, int(match["hour"]), int(match["minute"])).isoformat()
        except ValueError:
            return ""
    return ""
