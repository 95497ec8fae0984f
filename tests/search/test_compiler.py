"""The query tree -> Whoosh queries: what cannot be compiled says so."""

from __future__ import annotations

import pytest

from reader.model import ArticleFlag
from reader.search.compiler import compile_node
from reader.search.query import Flag, SortByDate


@pytest.mark.parametrize("node", [Flag(ArticleFlag.READ, True), SortByDate()], ids=["is:", "sort:"])
def test_filters_left_in_the_tree_are_refused_by_name(library_index, node):
    """is: and sort: apply to the whole query (parse() takes them out of the tree); one
    reaching the compiler is a ValueError naming it, not an AttributeError on .nodes."""
    with pytest.raises(ValueError, match="cannot be compiled"):
        compile_node(node, library_index.searcher().reader())
