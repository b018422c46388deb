"""The dateline that opens a story: `[キーウ 5日 ロイター] - `."""

from __future__ import annotations

from datetime import datetime

from sokuho.ja.dates import to_jst


def build_dateline(place: str, published_at: datetime | None, signature: str = "") -> str:
    """Place, the day of the month in JST, then the provider's signature when it has one.

    Empty when there is no place: a dateline without a place says nothing.
    """
    place = place.strip()
    if not place:
        return ""
    parts = [place]
    if published_at is not None:
        parts.append(f"{to_jst(published_at).day}日")
    if signature.strip():
        parts.append(signature.strip())
    return f"[{' '.join(parts)}] - "
