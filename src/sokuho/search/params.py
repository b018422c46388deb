"""The search page's query string, read and checked: every bad value gets a message in
Japanese, and nothing a reader types reaches the database unchecked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.http import QueryDict

from sokuho.ja.dates import JST
from sokuho.search.backends import Filters, Order
from sokuho.search.query import MAX_QUERY_CHARS, Query, parse_query

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,255}")
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
ORDER_LABELS = {Order.NEWEST: "新しい順", Order.RELEVANCE: "関連度順"}


@dataclass
class SearchParams:
    q: str = ""
    query: Query = field(default_factory=Query)
    order: Order = Order.NEWEST
    section: object = None  # SectionPage
    author: object = None  # AuthorPage
    provider: object = None  # Provider
    date_from: date | None = None
    date_to: date | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def filters(self) -> Filters:
        return Filters(
            section_id=self.section.pk if self.section else None,
            provider_id=self.provider.pk if self.provider else None,
            author_id=self.author.pk if self.author else None,
            since=_start_of(self.date_from),
            until=_start_of(self.date_to + timedelta(days=1)) if self.date_to else None,
        )

    @property
    def order_label(self) -> str:
        return ORDER_LABELS[self.order]

    @property
    def has_filters(self) -> bool:
        return any((self.section, self.author, self.provider, self.date_from, self.date_to))


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=JST) if day else None


def _date(value: str, label: str, errors: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    match = _DATE.fullmatch(value)
    try:
        if not match:
            raise ValueError(value)
        day = date(*map(int, match.groups()))
        if day.year < 1900 or day.year > 9998:
            raise ValueError(value)
    except ValueError:
        errors.append(f"{label}は「2026-02-06」の形で、実在する日付を入力してください。")
        return None
    return day


def _lookup(value: str, label: str, errors: list[str], find):
    value = value.strip()
    if not value:
        return None
    found = find(value) if _SLUG.fullmatch(value) else None
    if found is None:
        errors.append(f"指定された{label}（{_CONTROL.sub('', value)[:60]}）は見つかりません。")
    return found


def read_params(data: QueryDict) -> SearchParams:
    from sokuho.news.models import AuthorPage, Provider, SectionPage

    errors: list[str] = []
    q = _CONTROL.sub(" ", data.get("q", ""))[: MAX_QUERY_CHARS * 2]
    order_value = data.get("order", "") or Order.NEWEST
    if order_value in Order._value2member_map_:
        order = Order(order_value)
    else:
        order = Order.NEWEST
        errors.append("並び順は「新しい順」か「関連度順」を選んでください。")
    params = SearchParams(
        q=q,
        query=parse_query(q),
        order=order,
        section=_lookup(
            data.get("section", ""),
            "セクション",
            errors,
            lambda slug: SectionPage.objects.live().filter(slug=slug).first(),
        ),
        author=_lookup(
            data.get("author", ""),
            "記者",
            errors,
            lambda slug: AuthorPage.objects.live().filter(slug=slug).first(),
        ),
        provider=_lookup(
            data.get("provider", ""),
            "配信元",
            errors,
            lambda code: Provider.objects.filter(code=code).first(),
        ),
        date_from=_date(data.get("from", ""), "開始日", errors),
        date_to=_date(data.get("to", ""), "終了日", errors),
        errors=errors,
    )
    if params.date_from and params.date_to and params.date_from > params.date_to:
        errors.append("開始日が終了日より後になっています。")
    return params
