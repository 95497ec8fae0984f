"""Reader: a keyboard-first terminal reader for news articles.

The package is layered (see DESIGN.md): ``cli`` and ``tui`` sit on ``library``, which
keeps ``store`` (SQLite, the source of truth) and ``search`` (the derived Whoosh index)
in step. Importing this package imports nothing heavy.
"""

__version__ = "0.2.0"  # the one source of the version (pyproject reads it); see CHANGELOG.md
