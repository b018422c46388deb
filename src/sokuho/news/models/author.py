from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from sokuho.news import listings
from sokuho.news.routing import ReaderPageMixin


class AuthorIndexPage(ReaderPageMixin, Page):
    """/author/: every reporter and writer."""

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.AuthorPage"]
    max_count = 1

    class Meta:
        verbose_name = "記者一覧"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["authors"] = AuthorPage.objects.child_of(self).live().order_by("title")
        return context


class AuthorPage(ReaderPageMixin, Page):
    """A reporter: the page title is the name as printed in bylines."""

    name_romanized = models.CharField(
        "ローマ字表記", max_length=120, blank=True, help_text="例：Hanako Yamada"
    )
    affiliation = models.CharField("所属", max_length=120, blank=True)
    bio = models.TextField("プロフィール", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("name_romanized"),
        FieldPanel("affiliation"),
        FieldPanel("bio"),
    ]
    parent_page_types = ["news.AuthorIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "記者"
        verbose_name_plural = "記者"

    @property
    def name(self) -> str:
        return self.title

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["articles_page"] = listings.paginate(request, listings.author_articles(self))
        return context
