from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.response import TemplateResponse
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from sokuho.news import listings
from sokuho.news.routing import ReaderPageMixin


class HomePage(ReaderPageMixin, RoutablePageMixin, Page):
    """The front page: breaking-news strip, top stories, the latest in each section."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.TopicIndexPage", "news.AuthorIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "トップページ"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(listings.front_page())
        return context

    @path("breaking/", name="breaking")
    def breaking(self, request: HttpRequest) -> TemplateResponse:
        context = self.get_context(request)
        context["articles_page"] = listings.paginate(request, listings.breaking_articles())
        return TemplateResponse(request, "news/breaking_list.html", context)
