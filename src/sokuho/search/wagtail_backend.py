"""Wagtail's own search backend (the admin's search: modelsearch's database backend) with
each index write in one transaction.

modelsearch's SQLite index looks up which objects already have an entry, then inserts
the rest. Two workers indexing the same page at once (its save and its publish each queue
a task) both found no entry, and the second insert failed on the unique constraint. In one
transaction, which sokuho opens IMMEDIATE on SQLite, the second waits for the first and
then updates its entry. PostgreSQL and the other databases are as modelsearch has them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection, transaction
from modelsearch.backends.database import SearchBackend as database_search_backend


@cache
def serialized_sqlite_backend() -> type:
    """modelsearch's SQLite backend with the index writing in one transaction (its module
    can only be imported where the SQLite index models exist, so: when first asked)."""
    from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex, SQLiteSearchBackend

    class SerializedSQLiteIndex(SQLiteIndex):
        def add_items(self, model: Any, objs: Any) -> None:
            with transaction.atomic(using=self.write_connection.alias):
                super().add_items(model, objs)

    class SerializedSQLiteSearchBackend(SQLiteSearchBackend):
        index_class = SerializedSQLiteIndex

    return SerializedSQLiteSearchBackend


def SearchBackend(params: dict[str, Any]) -> Any:
    """What Wagtail imports from a backend module: modelsearch's database backend for this
    database, with the serialized index on SQLite."""
    backend = database_search_backend(params)
    if connection.vendor != "sqlite":
        return backend
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    if type(backend) is SQLiteSearchBackend:
        return serialized_sqlite_backend()(params)
    return backend
