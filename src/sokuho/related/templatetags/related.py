"""``{% related_reads page %}``: the あわせて読みたい box of an article."""

from __future__ import annotations

from typing import Any

from django import template

from sokuho.news.fragments import fragment_tag
from sokuho.related import reads

register = template.Library()


@fragment_tag(register, "related/tags/related_reads.html")
def related_reads(page: Any) -> dict[str, Any]:
    """The stored related reads: one cache get (one query on a miss), never a computation."""
    return {"items": reads.for_article(page.id) if page and page.id else []}
