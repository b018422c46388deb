"""``ranking_box()`` (the 人気ランキング box) and ``view_beacon()`` (its counter) in the
reader site's templates."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sokuho.news.fragments import fragment
from sokuho.rankings import snapshot
from sokuho.templating import extension, static


@fragment("rankings/tags/ranking_box.html")
def ranking_box(element: str = "aside") -> dict[str, Any]:
    """The three most-read lists from the cached snapshot: one cache get, no query.

    An ``<aside>`` of its own, or a ``<section>`` (``ranking_box("section")``) when
    placed inside a sidebar that is already one.
    """
    return {
        "ranking": snapshot.current(),
        "element": "section" if element == "section" else "aside",
    }


@lru_cache(maxsize=1)
def view_beacon() -> SafeString:
    """The deferred script that reports one view of the article on the page (the same
    for every page)."""
    return format_html(
        '<script src="{}" data-endpoint="{}" defer></script>',
        static("rankings/js/beacon.js"),
        reverse("rankings_page_view"),
    )


rankings = extension({"ranking_box": ranking_box, "view_beacon": view_beacon})
