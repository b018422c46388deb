"""Tables of the SQL ranking store (SQLite or PostgreSQL).

Nothing here identifies a reader: a view is a count in an hourly bucket, and the only
per-reader trace is a 64-bit keyed hash of (visitor, article) kept for the 30 minutes
that de-duplication needs. Article ids are plain integers, not foreign keys: a count
outlives nothing it needs, and the buckets are pruned after 31 days anyway.
"""

from __future__ import annotations

from django.db import models


class HourlyViews(models.Model):
    """Counted views of one article in one hour (``hour`` = Unix time // 3600, UTC)."""

    hour = models.IntegerField()
    page_id = models.BigIntegerField()
    views = models.IntegerField(default=0)

    class Meta:
        verbose_name = "時間別閲覧数"
        verbose_name_plural = "時間別閲覧数"
        constraints = [
            models.UniqueConstraint(fields=["hour", "page_id"], name="rankings_hourly_unique")
        ]

    def __str__(self) -> str:
        return f"{self.page_id}@{self.hour}: {self.views}"


class WindowViews(models.Model):
    """Running total of one article over one window (24, 168 or 720 hours).

    Kept equal to the sum of the window's hourly buckets: a counted view is added as it
    is recorded, and each hour the bucket that leaves the window is subtracted, so
    reading a top 10 never sums 720 hours of buckets.
    """

    hours = models.SmallIntegerField()
    page_id = models.BigIntegerField()
    views = models.IntegerField(default=0)

    class Meta:
        verbose_name = "期間別閲覧数"
        verbose_name_plural = "期間別閲覧数"
        constraints = [
            models.UniqueConstraint(fields=["hours", "page_id"], name="rankings_window_unique")
        ]
        indexes = [
            models.Index(fields=["hours", "-views", "-page_id"], name="rankings_window_top"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.hours}h: {self.views}"


class WindowState(models.Model):
    """The last hour each window's totals include (its row is also the window's lock)."""

    hours = models.SmallIntegerField(primary_key=True)
    as_of_hour = models.IntegerField()

    class Meta:
        verbose_name = "集計状態"
        verbose_name_plural = "集計状態"

    def __str__(self) -> str:
        return f"{self.hours}h as of {self.as_of_hour}"


class RecentView(models.Model):
    """A counted view, for 30 minutes: keyed hash of (visitor, article), Unix seconds."""

    key = models.BigIntegerField(primary_key=True)
    seen_at = models.IntegerField(db_index=True)

    class Meta:
        verbose_name = "直近の閲覧"
        verbose_name_plural = "直近の閲覧"

    def __str__(self) -> str:
        return str(self.key)
