"""The site's navigation, the article page's head tags and responsive images in the
reader site's templates."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString
from jinja2 import pass_context
from jinja2.runtime import Context

from sokuho.news import images, seo
from sokuho.news.fragments import fragment
from sokuho.news.navigation import section_links
from sokuho.templating import extension


@fragment("news/includes/site_nav.html")
def site_nav(page: Any = None, section: Any = None) -> dict[str, Any]:
    """The header's section links, the one for the page shown (a section page, or the
    section of a section's listing) marked current. Rendered once per current link."""
    links = section_links()
    here = {getattr(shown, "url", None) for shown in (page, section)}
    return {"links": links, "current": next((url for _, url in links if url in here), "")}


@pass_context
def seo_head(context: Context) -> dict[str, Any] | None:
    """What ``news/includes/seo_head.html`` shows for the page shown: canonical link, feed
    links, OGP/Twitter cards and JSON-LD."""
    request, page = context.get("request"), context.get("page")
    return seo.head(request, page) if request and page else None


def responsive_image(image: Any, spec: str, **attrs: str) -> SafeString:
    """Wagtail's ``srcset_image`` with the spec's filters parsed once per process:
    ``responsive_image(page.lead_image, "width-{480,800}|format-webp", sizes="100vw")``."""
    return images.srcset_image(image, spec, attrs) if image else SafeString("")


news = extension({"site_nav": site_nav, "seo_head": seo_head, "responsive_image": responsive_image})
