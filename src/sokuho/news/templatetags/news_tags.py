from django import template
from django.utils.safestring import SafeString

from sokuho.news.seo import head_tags

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context: template.Context) -> SafeString:
    request = context.get("request")
    return head_tags(request, context.get("page")) if request else SafeString("")
