"""The ranking store interface, shared by the SQL and Redis stores.

A store keeps hourly buckets of counted views and, for each window (24, 168 and 720
hours), running totals equal to the sum of the window's buckets. Every store applies
the same rules, so the same views give the same rankings whichever store holds them:

* a view counts when its key (a keyed hash of visitor and article) was not counted in
  the ``dedup_seconds`` before it;
* a window "as of" hour A holds the buckets A-hours+1 … A; ``advance`` moves it to the
  current hour (adding the buckets that entered, subtracting those that left), or
  rebuilds it from the buckets after a long gap;
* ``top`` orders by views, then by the newer article (the higher id) on a tie;
* buckets older than ``KEEP_HOURS`` are dropped, and a view that old is not recorded
  (only simulated views can be: a beacon is stamped with the time it arrives).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

#: The ranking windows, in hours: 24 hours, 7 days, 30 days.
WINDOWS: tuple[int, ...] = (24, 168, 720)
#: Buckets are kept 31 days: a day longer than the longest window.
KEEP_HOURS = 31 * 24
#: After a gap longer than this (a stopped server), windows are rebuilt from buckets.
REBUILD_AFTER_HOURS = 48


class View(NamedTuple):
    """One reader's view, as the store receives it: nothing identifies the reader."""

    key: int  # signed 64-bit keyed hash of (visitor, article); see counting.dedup_key
    page_id: int
    at: int  # Unix seconds


class RankingStore:
    """Base class of the stores named by ``SOKUHO_RANKINGS['BACKEND']``."""

    def record(self, views: Sequence[View], dedup_seconds: int) -> int:
        """Count the views that are not repeats; return how many counted."""
        raise NotImplementedError

    def advance(self, now_hour: int) -> None:
        """Bring every window's totals to ``now_hour`` (Unix time // 3600)."""
        raise NotImplementedError

    def top(self, hours: int, limit: int) -> list[tuple[int, int]]:
        """``(page_id, views)`` of the window's most-read articles, best first."""
        raise NotImplementedError

    def tops(self, windows: Sequence[int], limit: int) -> dict[int, list[tuple[int, int]]]:
        """``top`` of several windows (a store may fetch them at once)."""
        return {hours: self.top(hours, limit) for hours in windows}

    def hour_views(self, hour: int) -> dict[int, int]:
        """One hourly bucket: ``{page_id: views}``."""
        raise NotImplementedError

    def prune(self, now: int, dedup_seconds: int) -> None:
        """Drop what is no longer needed (old buckets, expired de-duplication keys)."""

    def clear(self) -> None:
        """Forget everything (tests, benchmarks)."""
        raise NotImplementedError


def too_old(view: View, now: float) -> bool:
    """True for a view in a bucket that is already past keeping."""
    return view.at // 3600 < int(now) // 3600 - KEEP_HOURS


def repeat_rounds(views: Iterable[View]) -> list[list[View]]:
    """Split views into rounds in which no key repeats, keeping each key's order.

    A store that checks a whole batch at once (one SQL statement) runs the rounds one
    after another, which gives the same result as checking the views one by one.
    """
    rounds: list[list[View]] = []
    seen: dict[int, int] = {}
    for view in views:
        index = seen.get(view.key, 0)
        seen[view.key] = index + 1
        if index == len(rounds):
            rounds.append([])
        rounds[index].append(view)
    return rounds


def complete_top(candidates: Iterable[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Order by views, then newer article first, and keep ``limit``."""
    ordered = sorted(candidates, key=lambda item: (-item[1], -item[0]))
    return ordered[:limit]
