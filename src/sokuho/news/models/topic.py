from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from sokuho.news import listings
from sokuho.news.routing import ReaderPageMixin


class TopicIndexPage(ReaderPageMixin, Page):
    """まとめ: the list of topics."""

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.TopicPage"]
    max_count = 1

    class Meta:
        verbose_name = "まとめ一覧"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = TopicPage.objects.child_of(self).live().order_by("title")
        return context


class TopicPage(ReaderPageMixin, Page):
    """A running story (e.g. 「○○選挙」記事まとめ) gathering its articles, newest first."""

    description = models.TextField("説明", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("description")]
    parent_page_types = ["news.TopicIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "まとめ"
        verbose_name_plural = "まとめ"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["articles_page"] = listings.paginate(request, listings.topic_articles(self))
        return context
