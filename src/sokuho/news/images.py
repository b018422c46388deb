"""Image filters parsed once per process.

Wagtail parses a filter spec (``fill-1200x675``, ``width-{480,800}|format-webp``) into
operations again each time a page renders it, and that costs more than looking up the
renditions themselves. A spec means the same thing for the life of the process, so its
filters are kept here.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.safestring import SafeString
from wagtail.images.models import AbstractImage, AbstractRendition, Filter
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags.wagtailimages_tags import ResponsiveImage


@lru_cache(maxsize=256)
def image_filters(spec: str) -> tuple[Filter, ...]:
    """The filters of a spec, brace expansions expanded: ``width-{480,800}`` gives two."""
    filters = tuple(Filter(spec=part) for part in Filter.expand_spec(spec))
    for image_filter in filters:
        image_filter.operations  # noqa: B018 -- parse now, once
    return filters


def renditions(image: AbstractImage, spec: str) -> dict[str, AbstractRendition]:
    """Renditions of an image by filter spec (created when missing)."""
    return image.get_renditions(*image_filters(spec))


def srcset_image(image: AbstractImage, spec: str, attrs: dict[str, str]) -> SafeString:
    """What Wagtail's ``{% srcset_image %}`` renders, from the filters kept here."""
    found = get_renditions_or_not_found(image, image_filters(spec))
    return SafeString(ResponsiveImage(found, attrs).__html__())
