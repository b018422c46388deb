"""Wire timestamps to aware datetimes, tolerantly.

Wires send ISO 8601 in every flavour (``+0900``, ``+09:00``, ``Z``, basic format
``20260205T163000+0900``, bare dates, truncated ``2026-02``). A bad date must never
sink an item, so the parser returns ``None`` and records a warning instead of raising.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

# Extended (2026-02-05T16:30:00.5+09:00) and basic (20260205T163000+0900) forms.
_EXTENDED = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[Tt ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
_BASIC = re.compile(
    r"(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})"
    r"(?:[Tt](?P<h>\d{2})(?P<mi>\d{2})(?:(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
_TRUNCATED = re.compile(r"(?P<y>\d{4})(?:-(?P<mo>\d{2}))?")

_TZ_CACHE: dict[str, tzinfo] = {}


def _zone(text: str) -> tzinfo:
    tz = _TZ_CACHE.get(text)
    if tz is None:
        if text in ("Z", "z"):
            tz = UTC
        else:
            sign = -1 if text[0] == "-" else 1
            digits = text[1:].replace(":", "")
            hours = int(digits[:2])
            minutes = int(digits[2:4] or 0)
            if hours > 23 or minutes > 59:
                raise ValueError(f"bad UTC offset {text}")
            tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
        _TZ_CACHE[text] = tz
    return tz


def parse_datetime(
    value: object,
    warnings: list[str] | None = None,
    *,
    field: str = "date",
    default_tz: tzinfo = UTC,
) -> datetime | None:
    """Parse a wire date/time; ``None`` (plus a warning) when it is unreadable.

    * A date without a time is midnight (in its own offset if it has one, else in
      ``default_tz``): NewsML-G2 allows dates truncated to the day.
    * A date-time without an offset is read in ``default_tz`` (UTC) with a warning,
      because the provider's local time is a guess.
    * ``2026-02`` and ``2026`` (NewsML-G2 truncated dates) become the first day, with
      a warning.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        _warn(warnings, f"{field}: expected a date string, got {type(value).__name__}")
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return _parse(text, warnings, field, default_tz)
    except (ValueError, OverflowError):
        _warn(warnings, f"{field}: unreadable date {value[:60]!r} ignored")
        return None


def _parse(
    text: str, warnings: list[str] | None, field: str, default_tz: tzinfo
) -> datetime | None:
    m = _EXTENDED.fullmatch(text) or _BASIC.fullmatch(text)
    if m is None:
        t = _TRUNCATED.fullmatch(text)
        if t is None:
            raise ValueError(text)
        result = datetime(int(t["y"]), int(t["mo"] or 1), 1, tzinfo=default_tz)
        _warn(warnings, f"{field}: truncated date {text!r} read as {result.date().isoformat()}")
        return result
    tz_text = m["tz"]
    tz = _zone(tz_text) if tz_text else default_tz
    if m["h"] is None:
        return datetime(int(m["y"]), int(m["mo"]), int(m["d"]), tzinfo=tz)
    hour, minute, second = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
    micro = int((m["f"] or "0")[:6].ljust(6, "0"))
    extra = timedelta()
    if hour == 24 and minute == 0 and second == 0 and micro == 0:
        hour, extra = 0, timedelta(days=1)  # ISO 8601 end-of-day
    second = min(second, 59)  # leap second: a second early beats no date at all
    day = date(int(m["y"]), int(m["mo"]), int(m["d"]))
    result = datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=tz) + extra
    if not tz_text:
        _warn(warnings, f"{field}: {text!r} has no UTC offset; assumed {_tz_label(default_tz)}")
    return result


def _tz_label(tz: tzinfo) -> str:
    return "UTC" if tz is UTC else str(tz)


def _warn(warnings: list[str] | None, message: str) -> None:
    if warnings is not None:
        warnings.append(message)
