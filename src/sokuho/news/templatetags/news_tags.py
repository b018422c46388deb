from django import template
from django.utils.safestring import SafeString

from sokuho.news import images
from sokuho.news.seo import head_tags

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context: template.Context) -> SafeString:
    request = context.get("request")
    return head_tags(request, context.get("page")) if request else SafeString("")


@register.simple_tag
def responsive_image(image, spec: str, **attrs: str) -> SafeString:
    """``{% srcset_image %}`` with the spec as one string, its filters parsed once per process:
    ``{% responsive_image page.lead_image "width-{480,800}|format-webp" sizes="100vw" %}``."""
    return images.srcset_image(image, spec, attrs) if image else SafeString("")
