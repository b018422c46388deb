from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from sokuho.news import listings
from sokuho.news.routing import ReaderPageMixin


class SectionPage(ReaderPageMixin, Page):
    """ワールド, ビジネス …: a section holds its articles as children."""

    description = models.TextField("説明", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("description")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = "セクション"
        verbose_name_plural = "セクション"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["articles_page"] = listings.paginate(request, listings.section_articles(self))
        return context
