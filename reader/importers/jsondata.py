"""JSON and JSON Lines text to Python values, with failures as one clear line.

Both JSON importers (JSON Feed and Reader JSON) start here, and the decision between
them needs the parsed value, so the text is parsed once, in one place. A JSON Lines file
(one article object per line, as ``export`` can write) is read as a list. Hostile JSON
nested 100,000 deep makes the stdlib parser raise RecursionError, which is refused
like any other malformed file.
"""

from __future__ import annotations

import json

from reader.errors import ImportFailure


def load_json(text: str) -> object:
    """The value of a JSON text, or a list of the values of a JSON Lines text."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ImportFailure("JSON nested too deeply") from None
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise ImportFailure(f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except ValueError as error:  # e.g. an integer with too many digits
        raise ImportFailure(f"malformed JSON: {str(error)[:80]}") from None
    return _load_lines(text)


def _load_lines(text: str) -> list[object]:
    values = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            values.append(json.loads(line))
        except RecursionError:
            raise ImportFailure(f"JSON Lines line {number}: nested too deeply") from None
        except ValueError as error:
            message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)[:80]
            raise ImportFailure(f"malformed JSON Lines at line {number}: {message}") from None
    return values
