"""Querysets compiled to SQL once and run again with a new value.

Compiling a queryset (joins, column lists, placeholders) costs several times more than
running it when only one value changes between requests: the article by its URL path,
an article's related reads by its id. A ``CompiledQuery`` keeps the SQL and the
compiler's column map and builds rows as Django's own iterables do: model instances
(with their select_related models and annotations) for a model queryset, tuples for
``values_list``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators


class CompiledQuery:
    """A queryset compiled once; ``run(value)`` puts ``value`` wherever the queryset had
    ``sentinel``. Belongs to one thread and connection (see ``CompiledQueries``)."""

    def __init__(self, queryset: QuerySet, sentinel: Any) -> None:
        self.using = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots = [index for index, param in enumerate(self.params) if param == sentinel]
        if not self.slots:
            raise ValueError("the sentinel value is not among the query's parameters")
        select, klass_info = self.compiler.select, self.compiler.klass_info
        columns = [column[0] for column in select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(columns)
        self.model = None
        if queryset._iterable_class is ModelIterable:  # else values_list: tuples
            fields = klass_info["select_fields"]
            self.model_slice = slice(fields[0], fields[-1] + 1)
            self.init_list = [column[0].target.attname for column in select[self.model_slice]]
            self.model = klass_info["model"]
            self.populators = get_related_populators(klass_info, select, self.using)
            self.annotations = list(self.compiler.annotation_col_map.items())

    def run(self, value: Any, limit: int | None = None) -> list:
        params = list(self.params)
        for slot in self.slots:
            params[slot] = value
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.model is None:
            return [tuple(row) for row in rows]
        found = []
        for row in rows:
            instance = self.model.from_db(self.using, self.init_list, row[self.model_slice])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


class CompiledQueries:
    """Named querysets, ``build()`` returning ``{name: (queryset, sentinel)}``, compiled
    once per thread and database connection (a new connection compiles them again)."""

    def __init__(self, build: Callable[[], dict[str, tuple[QuerySet, Any]]]) -> None:
        self._build = build
        self._local = threading.local()

    def get(self, name: str, using: str) -> CompiledQuery:
        connection = connections[using]
        held = getattr(self._local, "queries", None)
        if held is None or held[0] is not connection:
            queries = {
                key: CompiledQuery(queryset.using(using), sentinel)
                for key, (queryset, sentinel) in self._build().items()
            }
            held = self._local.queries = (connection, queries)
        return held[1][name]
