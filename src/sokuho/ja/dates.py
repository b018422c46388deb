"""Dates as Japanese news sites print them, always in Japan Standard Time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
WEEKDAYS = "月火水木金土日"


def to_jst(moment: datetime) -> datetime:
    """The same instant in JST. A naive datetime is taken to be UTC, as Django stores it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(JST)


def weekday_kanji(moment: datetime) -> str:
    return WEEKDAYS[to_jst(moment).weekday()]


def format_jst(moment: datetime) -> str:
    """`2026年02月06日(金)01時55分`: zero-padded, weekday in kanji."""
    local = to_jst(moment)
    return (
        f"{local.year}年{local.month:02d}月{local.day:02d}日"
        f"({WEEKDAYS[local.weekday()]}){local.hour:02d}時{local.minute:02d}分"
    )


def format_jst_date(moment: datetime) -> str:
    """`2026年2月6日`: a plain date for listings and issue dates."""
    local = to_jst(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def iso_jst(moment: datetime) -> str:
    """Machine-readable time with the +09:00 offset, for `<time datetime>` and feeds."""
    return to_jst(moment).isoformat(timespec="seconds")
