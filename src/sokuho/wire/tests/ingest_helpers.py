"""Helpers for the ingest tests (all content is sample content, fictional)."""

from __future__ import annotations

from typing import Any

from sokuho.news.models import ArticlePage, Provider, SectionPage
from sokuho.wire.ingest import Ingestor, Outcome
from sokuho.wire.models import PublishMode, Source, WireRule
from sokuho.wire.pictures import PictureSource
from sokuho.wire.tests.helpers import FIXTURES, fixture

__all__ = ["FIXTURES", "fixture", "ingest", "make_provider", "only", "page_of"]


def make_provider(
    code: str = "sample", name: str = "サンプル通信", mode: str = PublishMode.PUBLISH, **rule: Any
) -> Provider:
    provider = Provider.objects.create(
        name=name,
        code=code,
        signature=name.replace("通信", ""),
        copyright_template=f"Copyright (C) {{year}} {name} 記事の無断転用を禁じます。",
    )
    WireRule.objects.create(provider=provider, publish_mode=mode, **rule)
    return provider


def ingest(
    data: bytes | str,
    provider: Provider | None = None,
    filename: str = "",
    *,
    pictures: PictureSource | None = None,
) -> list[Outcome]:
    if isinstance(data, str):
        data = fixture(data)
    return Ingestor(provider=provider, source=Source.OTHER).ingest_bytes(data, filename, pictures)


def only(outcomes: list[Outcome]) -> Outcome:
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def page_of(outcome: Outcome) -> ArticlePage:
    assert outcome.article_id, outcome
    return ArticlePage.objects.get(pk=outcome.article_id)


def section(slug: str) -> SectionPage:
    return SectionPage.objects.get(slug=slug)
