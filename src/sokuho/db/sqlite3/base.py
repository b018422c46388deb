"""Django's SQLite backend, with each statement's placeholder rewrite done once.

Django's SQLite cursor turns the ``%s`` placeholders of every query into ``?`` with a
regular expression, on every execution. For the article page's query (3 KB of SQL) that
took 47 us, twice as long as SQLite took to run it (26 us). The rewrite depends only on
the SQL text, and a site runs the same few hundred statements again and again, so the
result is remembered per statement. Everything else is Django's backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db.backends.sqlite3 import base

# Longer statements (bulk inserts with thousands of placeholders) are rare and unlike
# one another: converting them each time is cheaper than holding them.
MAX_REMEMBERED_LENGTH = 16_384


@lru_cache(maxsize=2048)
def _remembered_qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Sequence[str] | None = None) -> str:
        if param_names is None and len(query) <= MAX_REMEMBERED_LENGTH:
            return _remembered_qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: str | None = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)
