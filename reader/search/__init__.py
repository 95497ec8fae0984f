"""Full-text search: a Whoosh index derived from the store (see index.py for the design).

``SearchIndex`` is what the library uses; ``highlight_spans`` marks a query's words in
an article's text for the reader screen. The query language is documented in query.py.
"""

from reader.search.index import SearchIndex, highlight_spans
from reader.search.schema import SCHEMA_VERSION
from reader.search.searching import StateLookup

__all__ = ["SCHEMA_VERSION", "SearchIndex", "StateLookup", "highlight_spans"]
