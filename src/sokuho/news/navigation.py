"""The site header's section links, cached and dropped whenever a section changes."""

from __future__ import annotations

from django.core.cache import cache

NAV_CACHE_KEY = "sokuho:nav:sections"


def section_links() -> list[tuple[str, str]]:
    links = cache.get(NAV_CACHE_KEY)
    if links is None:
        from sokuho.news.models import SectionPage

        links = [
            (section.title, section.url)
            for section in SectionPage.objects.live().in_menu().order_by("path")
        ]
        cache.set(NAV_CACHE_KEY, links, 3600)
    return links


def forget_section_links() -> None:
    cache.delete(NAV_CACHE_KEY)
