"""Bytes from a file to text, or a clear refusal.

Files come as UTF-8 (with or without a byte-order mark), UTF-16 (page captures saved by
Windows tools, often without a BOM) and legacy single-byte encodings (Latin-1,
Windows-1252). The order of the checks matters:

1. a byte-order mark settles it;
2. UTF-16 without a BOM shows as NUL bytes in every other position;
3. strict UTF-8. Text that is valid UTF-8 is taken even with a stray NUL or escape in
   it (hostile text is cleaned later, by reader.text), unless control bytes make up a
   large share of it, which only binary data does;
4. UTF-8 that is truncated at the end, or damaged in the middle of otherwise UTF-8 text,
   is refused rather than silently decoded as Windows-1252 mojibake;
5. a NUL byte in anything else means binary;
6. an encoding the document declares (``<?xml encoding=...?>``, ``<meta charset=...>``);
7. Windows-1252, when the result looks like text in a Western language: charset-normalizer
   is unreliable on the short texts captures often are (it reads a short Latin-1 German
   paragraph as Central European, and "Straße" as UTF-16);
8. charset-normalizer for anything else (Cyrillic, Greek, ...). It also tells text from
   binary: no plausible decoding means binary.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from reader.errors import ImportFailure

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF_BYTES = 4096
_BINARY_CONTROL_SHARE = 0.25
# C0 controls but tab, newline, form feed, carriage return and escape; DEL; C1 controls.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_DECLARED = re.compile(
    rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
    rb"""|<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
# A character that Windows-1252 text in a Western European language is not made of.
_NOT_WESTERN = re.compile(
    "[^\x00-\x7f\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u2013\u2014"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_LETTER = re.compile(r"[^\W\d_]")
_MAX_ACCENTED_SHARE = 0.3


def decode(data: bytes) -> str:
    """The text of ``data``; raises ImportFailure for empty, binary or damaged data."""
    if not data:
        raise ImportFailure("empty file")
    text = _decode(data).lstrip("\ufeff")  # a second byte-order mark, saved by a careless tool
    if not text.strip():
        raise ImportFailure("file contains only whitespace")
    if _looks_binary(text):
        raise ImportFailure("binary file, not text")
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding)
    utf16 = _sniff_utf16(data)
    if utf16:
        return _strict(data, utf16)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        _refuse_damaged_utf8(data, error)
    if b"\x00" in data:
        raise ImportFailure("binary file, not text")
    return _declared(data) or _western(data) or _guessed(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportFailure(f"invalid {encoding.upper()} text at byte {error.start}") from None


def _sniff_utf16(data: bytes) -> str:
    sample = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    if len(sample) < 4 or len(data) % 2:
        return ""
    # ASCII-range text in UTF-16 has a zero byte in every other position, and no other zeros.
    half = len(sample) // 2
    zeros_even = sample[0::2].count(0) / half
    zeros_odd = sample[1::2].count(0) / half
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return ""


def _refuse_damaged_utf8(data: bytes, error: UnicodeDecodeError) -> None:
    """Refuse UTF-8 that lost its end or has broken bytes; return if it is not UTF-8 at all."""
    at_end = error.reason == "unexpected end of data" and error.end == len(data)
    if at_end and (len(data) - error.start >= 2 or not data[: error.start].isascii()):
        raise ImportFailure("truncated UTF-8: the file ends inside a character")
    replaced = data.decode("utf-8", errors="replace")
    broken = replaced.count("\ufffd")
    decoded = len(replaced) - len(replaced.encode("ascii", errors="ignore")) - broken  # non-ASCII characters
    if decoded > broken:
        raise ImportFailure(f"invalid UTF-8 at byte {error.start} (damaged file?)")


def _declared(data: bytes) -> str:
    match = _DECLARED.search(data[:_SNIFF_BYTES])
    if not match:
        return ""
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        encoding = codecs.lookup(name).name
    except LookupError:
        return ""
    if encoding.startswith("utf"):
        return ""  # Wrong, since strict UTF-8 failed; UTF-16/32 were handled above.
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        return _western(data)  # As browsers do: these labels mean Windows-1252.
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return ""


def _western(data: bytes) -> str:
    """Windows-1252 (Latin-1 for its five undefined bytes) if the result reads as Western text.

    Western text is mostly ASCII letters with a few accented ones; Cyrillic or Greek read
    as Windows-1252 is almost all accented letters.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if _NOT_WESTERN.search(text):
        return ""
    letters = _LETTER.findall(text[:_SNIFF_BYTES * 16])
    accented = sum(1 for letter in letters if not letter.isascii())
    if letters and accented / len(letters) > _MAX_ACCENTED_SHARE:
        return ""
    return text


def _guessed(data: bytes) -> str:
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ImportFailure("binary file, not text")
    return str(best)


def _looks_binary(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    return len(_CONTROL_CHARS.findall(sample)) > _BINARY_CONTROL_SHARE * len(sample)
