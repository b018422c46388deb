"""The MAGAZINE and MOOK promo boxes shown on the home, section and article pages.

They come from the cache (the article page's query budget has no room for them); the
entry lives until the next JST midnight at most, when an issue may go on sale or a
MOOK may change from 予約受付中 to 好評発売中, and is dropped whenever one is saved.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from sokuho.ja.dates import to_jst

CACHE_KEY = "sokuho:magazine:promos"
COVER_SPEC = "fill-150x200|format-webp"
MOOKS_IN_PROMO = 2


def current_issue():
    """The newest issue whose on-sale date has come (JST)."""
    from sokuho.magazine.models import MagazineIssue, today_jst

    return (
        MagazineIssue.objects.filter(on_sale_date__lte=today_jst())
        .select_related("cover")
        .order_by("-on_sale_date", "-issue_date")
        .first()
    )


def promoted_editions() -> list:
    """MOOKs in the promo: those on sale or taking pre-orders, newest first; sold-out
    ones only when nothing else is left."""
    from sokuho.magazine.models import SpecialEdition

    editions = list(SpecialEdition.objects.select_related("cover")[:10])
    available = [e for e in editions if e.in_stock]
    return (available or editions)[:MOOKS_IN_PROMO]


def _cover(image) -> dict[str, Any] | None:
    if image is None:
        return None
    rendition = image.get_rendition(COVER_SPEC)
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height}


def _seconds_to_midnight(now: datetime) -> int:
    local = to_jst(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=5, microsecond=0)
    return max(5, int((midnight - local).total_seconds()))


def promos() -> dict[str, Any]:
    data = cache.get(CACHE_KEY)
    if data is None:
        issue = current_issue()
        data = {
            "issue": {
                "url": issue.get_absolute_url(),
                "promo_line": issue.promo_line,
                "feature_title": issue.feature_title,
                "issue_label": issue.issue_label,
                "on_sale_label": issue.on_sale_label,
                "blurb": issue.blurb,
                "cover": _cover(issue.cover),
            }
            if issue
            else None,
            "editions": [
                {
                    "title": edition.title,
                    "kind": edition.kind,
                    "state": str(edition.state),
                    "price": edition.price_label,
                    "on_sale": edition.on_sale_label,
                    "order_url": edition.order_url,
                    "cover": _cover(edition.cover),
                }
                for edition in promoted_editions()
            ],
        }
        cache.set(CACHE_KEY, data, min(3600, _seconds_to_midnight(timezone.now())))
    return data


def forget() -> None:
    cache.delete(CACHE_KEY)
    from sokuho.pagecache.tags import SITE, purge

    purge(SITE)
