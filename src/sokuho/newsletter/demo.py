"""A few demo subscribers so the admin's メールマガジン screens have something to show.
The demo sends to files under the data directory unless EMAIL_HOST is set."""

from __future__ import annotations

from datetime import datetime, timedelta

from sokuho.newsletter.models import Subscriber


def load_newsletter_demo(now: datetime) -> None:
    if Subscriber.objects.exists():
        return
    for number, state in enumerate(["subscribed", "subscribed", "pending", "unsubscribed"]):
        Subscriber.objects.create(
            email=f"reader{number + 1}@example.com",
            state=state,
            created_at=now - timedelta(days=10 - number),
            confirmed_at=now - timedelta(days=9 - number) if state != "pending" else None,
            unsubscribed_at=now - timedelta(days=2) if state == "unsubscribed" else None,
        )
