"""The SQL ranking store: the site's own database (SQLite or PostgreSQL), the default.

A batch of views is one transaction: an upsert of the de-duplication keys that
returns the keys it (re)set — the views that count — then upserts of the hourly
buckets and the window totals. The window state rows are locked first, so a batch and
an ``advance`` never interleave (SQLite serialises writers anyway). The statements are
plain ``INSERT … ON CONFLICT … RETURNING``, which SQLite (3.35+) and PostgreSQL share.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence

from django.db import connections, transaction

from sokuho.rankings.backends.base import (
    KEEP_HOURS,
    REBUILD_AFTER_HOURS,
    WINDOWS,
    RankingStore,
    View,
    repeat_rounds,
    too_old,
)
from sokuho.rankings.models import HourlyViews, RecentView, WindowState, WindowViews

#: Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 1000


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SQLRankingStore(RankingStore):
    def __init__(self, using: str = "default") -> None:
        self.using = using

    # -- helpers ------------------------------------------------------------------------
    @property
    def _connection(self):
        return connections[self.using]

    def _tables(self) -> tuple[str, str, str]:
        quote = self._connection.ops.quote_name
        return (
            quote(RecentView._meta.db_table),
            quote(HourlyViews._meta.db_table),
            quote(WindowViews._meta.db_table),
        )

    def _states(self) -> dict[int, int]:
        """Window → as-of hour, locking the rows until the transaction ends."""
        rows = WindowState.objects.using(self.using).select_for_update()
        return dict(rows.values_list("hours", "as_of_hour"))

    # -- RankingStore -------------------------------------------------------------------
    def record(self, views: Sequence[View], dedup_seconds: int) -> int:
        now = time.time()
        views = [view for view in views if not too_old(view, now)]
        if not views:
            return 0
        recent, hourly, window = self._tables()
        counted: list[View] = []
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            states = self._states()
            for round_ in repeat_rounds(views):
                for chunk in _chunks(round_):
                    values = ", ".join(["(%s, %s)"] * len(chunk))
                    cursor.execute(
                        f"INSERT INTO {recent} (key, seen_at) VALUES {values} "  # noqa: S608
                        f"ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at "
                        f"WHERE {recent}.seen_at <= excluded.seen_at - %s RETURNING key",
                        [
                            *(value for view in chunk for value in (view.key, view.at)),
                            dedup_seconds,
                        ],
                    )
                    fresh = {row[0] for row in cursor.fetchall()}
                    counted.extend(view for view in chunk if view.key in fresh)
            if not counted:
                return 0
            buckets = Counter((view.at // 3600, view.page_id) for view in counted)
            self._add(cursor, hourly, "hour", [(h, p, n) for (h, p), n in buckets.items()])
            for hours, as_of in states.items():
                totals = Counter(
                    view.page_id for view in counted if as_of - hours < view.at // 3600 <= as_of
                )
                self._add(cursor, window, "hours", [(hours, p, n) for p, n in totals.items()])
        return len(counted)

    def _add(self, cursor, table: str, first: str, rows: list[tuple[int, int, int]]) -> None:
        """Upsert ``(first, page_id, views)`` rows, adding to existing counts."""
        for chunk in _chunks(rows):
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({first}, page_id, views) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({first}, page_id) DO UPDATE "
                f"SET views = {table}.views + excluded.views",
                [value for row in chunk for value in row],
            )

    def advance(self, now_hour: int) -> None:
        _, hourly, window = self._tables()
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            states = self._states()
            for hours in WINDOWS:
                as_of = states.get(hours)
                if as_of is None or now_hour - as_of > REBUILD_AFTER_HOURS:
                    cursor.execute(f"DELETE FROM {window} WHERE hours = %s", [hours])  # noqa: S608
                    cursor.execute(
                        f"INSERT INTO {window} (hours, page_id, views) "  # noqa: S608
                        f"SELECT %s, page_id, SUM(views) FROM {hourly} "
                        f"WHERE hour > %s AND hour <= %s GROUP BY page_id",
                        [hours, now_hour - hours, now_hour],
                    )
                elif now_hour > as_of:
                    # The buckets that entered the window, then those that left it.
                    cursor.execute(
                        f"INSERT INTO {window} (hours, page_id, views) "  # noqa: S608
                        f"SELECT %s, page_id, SUM(views) FROM {hourly} "
                        f"WHERE hour > %s AND hour <= %s GROUP BY page_id "
                        f"ON CONFLICT (hours, page_id) DO UPDATE "
                        f"SET views = {window}.views + excluded.views",
                        [hours, as_of, now_hour],
                    )
                    cursor.execute(
                        f"UPDATE {window} SET views = {window}.views - gone.views "  # noqa: S608
                        f"FROM (SELECT page_id, SUM(views) AS views FROM {hourly} "
                        f"WHERE hour > %s AND hour <= %s GROUP BY page_id) AS gone "
                        f"WHERE {window}.hours = %s AND {window}.page_id = gone.page_id",
                        [as_of - hours, now_hour - hours, hours],
                    )
                    cursor.execute(
                        f"DELETE FROM {window} WHERE hours = %s AND views <= 0",  # noqa: S608
                        [hours],
                    )
                else:
                    continue
                WindowState.objects.using(self.using).update_or_create(
                    hours=hours, defaults={"as_of_hour": now_hour}
                )

    def top(self, hours: int, limit: int) -> list[tuple[int, int]]:
        rows = (
            WindowViews.objects.using(self.using)
            .filter(hours=hours, views__gt=0)
            .order_by("-views", "-page_id")
            .values_list("page_id", "views")[:limit]
        )
        return [(page_id, views) for page_id, views in rows]

    def hour_views(self, hour: int) -> dict[int, int]:
        rows = HourlyViews.objects.using(self.using).filter(hour=hour)
        return dict(rows.values_list("page_id", "views"))

    def prune(self, now: int, dedup_seconds: int) -> None:
        RecentView.objects.using(self.using).filter(seen_at__lte=now - dedup_seconds).delete()
        HourlyViews.objects.using(self.using).filter(hour__lt=now // 3600 - KEEP_HOURS).delete()

    def clear(self) -> None:
        for model in (RecentView, HourlyViews, WindowViews, WindowState):
            model.objects.using(self.using).all().delete()
