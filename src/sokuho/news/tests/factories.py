"""Build pages the way an editor does: add to the tree, save a revision, publish."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from sokuho.news.models import (
    ArticleByline,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    Provider,
    SectionPage,
    TopicIndexPage,
    TopicPage,
)


def section(slug: str = "world") -> SectionPage:
    return SectionPage.objects.get(slug=slug)


def provider(**fields: Any) -> Provider:
    defaults = {
        "name": "北辰通信（テスト用）",
        "code": "hokushin",
        "signature": "北辰",
        "copyright_template": "Copyright (C) {year} 北辰通信(株) 記事の無断転用を禁じます。",
    }
    defaults.update(fields)
    return Provider.objects.create(**defaults)


def author(name: str = "山田 花子", slug: str = "hanako-yamada", **fields: Any) -> AuthorPage:
    index = AuthorIndexPage.objects.get()
    return index.add_child(instance=AuthorPage(title=name, slug=slug, **fields))


def topic(title: str = "青葉市長選 記事まとめ", slug: str = "aoba-election") -> TopicPage:
    index = TopicIndexPage.objects.get()
    return index.add_child(instance=TopicPage(title=title, slug=slug))


def image(width: int = 1200, height: int = 800, title: str = "テスト写真"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (40, 90, 160)).save(buffer, format="JPEG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="test-photo.jpg")
    )


def article(
    section_slug: str = "world",
    *,
    title: str = "架空の青葉市で新しい路面電車が開業　利用者は初日で1万人",
    body: str = "<p>青葉市で新しい路面電車が開業した。（テスト用の架空記事）</p><p>第2段落。</p>",
    published_at: datetime | None = None,
    updated_at: datetime | None = None,
    authors: list[AuthorPage] = (),
    topics: list[TopicPage] = (),
    publish: bool = True,
    **fields: Any,
) -> ArticlePage:
    page = ArticlePage(title=title, body=body, live=False, **fields)
    page.bylines = [ArticleByline(author=person) for person in authors]
    page.topics = list(topics)
    section(section_slug).add_child(instance=page)
    if publish:
        page.save_revision().publish()
        if published_at:
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=published_at, last_published_at=updated_at or published_at
            )
        page.refresh_from_db()
    else:
        page.save_revision()
    return page


def hours_ago(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)
