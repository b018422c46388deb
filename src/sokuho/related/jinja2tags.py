"""``related_reads(page)``: the あわせて読みたい box of an article, in the reader site's
templates."""

from __future__ import annotations

from typing import Any

from sokuho.news.fragments import fragment
from sokuho.related import reads
from sokuho.templating import extension


@fragment("related/tags/related_reads.html")
def related_reads(page: Any) -> dict[str, Any]:
    """The stored related reads: one cache get (one query on a miss), never a computation."""
    return {"items": reads.for_article(page.id) if page and page.id else []}


related = extension({"related_reads": related_reads})
