"""``{% ranking_box %}`` (the 人気ランキング box) and ``{% view_beacon %}`` (its counter)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from sokuho.news.fragments import fragment_tag
from sokuho.rankings import snapshot

register = template.Library()


@fragment_tag(register, "rankings/tags/ranking_box.html")
def ranking_box(element: str = "aside") -> dict[str, Any]:
    """The three most-read lists from the cached snapshot: one cache get, no query.

    An ``<aside>`` of its own, or a ``<section>`` (``{% ranking_box "section" %}``) when
    placed inside a sidebar that is already one.
    """
    return {
        "ranking": snapshot.current(),
        "element": "section" if element == "section" else "aside",
    }


@register.inclusion_tag("rankings/tags/view_beacon.html")
def view_beacon() -> dict[str, Any]:
    """The deferred script that reports one view of the article on the page."""
    return {"endpoint": reverse("rankings_page_view")}
