"""Picture renditions: which hrefs ingest may fetch, and which rendition to prefer."""

from __future__ import annotations

import re

from .item import WirePicture, WireRendition

# Ingest fetches these hrefs later; file:, ftp:, data: or javascript: hrefs from a wire
# would let a feed read local files or smuggle content, so only http(s) and relative
# references (resolved against the feed's own location) are kept.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
FETCHABLE_SCHEMES: frozenset[str] = frozenset({"http", "https"})


def safe_href(href: str | None, warnings: list[str]) -> str:
    """The href if ingest may fetch it, else "" and a warning."""
    href = (href or "").strip()
    if not href:
        return ""
    m = _SCHEME.match(href)
    if m and m.group(1).lower() not in FETCHABLE_SCHEMES:
        warnings.append(f"rendition href with scheme {m.group(1).lower()!r} dropped: {href[:80]}")
        return ""
    return href


def to_int(value: object) -> int | None:
    """Pixel sizes arrive as ints, floats or strings; anything else is unknown."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value >= 0 and value == value else None  # NaN check
    if isinstance(value, str):
        value = value.strip()
        if value.isdigit():
            return int(value)
        try:
            f = float(value)
        except ValueError:
            return None
        return int(f) if f >= 0 else None
    return None


def preferred(renditions: list[WireRendition]) -> str:
    """The largest rendition's href (the one worth ingesting), else the first."""
    if not renditions:
        return ""
    sized = [r for r in renditions if r.width and r.height]
    if sized:
        return max(sized, key=lambda r: r.width * r.height).href  # type: ignore[operator]
    return renditions[0].href


def make_picture(
    renditions: list[WireRendition],
    *,
    uri: str = "",
    caption: str = "",
    credit: str = "",
    alt_text: str = "",
) -> WirePicture:
    return WirePicture(
        href=preferred(renditions),
        uri=uri,
        caption=caption,
        credit=credit,
        alt_text=alt_text,
        renditions=renditions,
    )
