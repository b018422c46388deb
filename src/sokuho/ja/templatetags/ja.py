from datetime import datetime

from django import template
from django.utils.safestring import SafeString

from sokuho.ja.dates import format_jst, format_jst_date, iso_jst
from sokuho.ja.phrases import phrase_break_html

register = template.Library()


@register.filter
def jst(value: datetime | None) -> str:
    return format_jst(value) if value else ""


@register.filter
def jst_date(value: datetime | None) -> str:
    return format_jst_date(value) if value else ""


@register.filter
def jst_iso(value: datetime | None) -> str:
    return iso_jst(value) if value else ""


@register.filter
def phrases(value: str | None) -> SafeString | str:
    return phrase_break_html(value) if value else ""
