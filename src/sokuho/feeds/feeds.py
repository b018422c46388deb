"""RSS 2.0 and Atom for the whole site, each section, topic and author.

Django's syndication framework with sokuho's hooks: times in JST (+09:00), authors
from the structured bylines, the section as category.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from sokuho.ja.dates import to_jst
from sokuho.news import listings
from sokuho.news.models import ArticlePage, AuthorPage, SectionPage, TopicPage

FEED_LENGTH = 30


class JapaneseRssFeed(Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("creators", ()):
            handler.addQuickElement("dc:creator", name)


class JapaneseAtomFeed(Atom1Feed):
    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("creators", ())[1:]:  # the first is the item's <author>
            handler.startElement("contributor", {})
            handler.addQuickElement("name", name)
            handler.endElement("contributor")


class SiteFeed(Feed):
    feed_type = JapaneseRssFeed
    language = "ja"

    def get_object(self, request: HttpRequest, *args, **kwargs):
        return None

    def title(self, obj) -> str:
        return settings.SOKUHO_SITE_NAME

    def link(self, obj) -> str:
        return "/"

    def description(self, obj) -> str:
        return f"{settings.SOKUHO_SITE_NAME}の最新記事"

    def articles(self, obj):
        return listings.published_articles()

    def items(self, obj):
        return (
            self.articles(obj)
            .select_related("provider")
            .prefetch_related("bylines__author")[:FEED_LENGTH]
        )

    def item_title(self, item: ArticlePage) -> str:
        if item.is_sponsored:  # advertising is labelled in feeds too
            return f"【{item.ad_label or 'PR'}】{item.labelled_title}（提供：{item.sponsor.name}）"
        return item.labelled_title

    def item_description(self, item: ArticlePage) -> str:
        return item.summary

    def item_link(self, item: ArticlePage) -> str:
        return item.url

    def item_guid(self, item: ArticlePage) -> str:
        return item.full_url

    def item_pubdate(self, item: ArticlePage) -> datetime | None:
        return to_jst(item.published_at) if item.published_at else None

    def item_updateddate(self, item: ArticlePage) -> datetime | None:
        moment = item.last_published_at or item.published_at
        return to_jst(moment) if moment else None

    def item_author_name(self, item: ArticlePage) -> str | None:
        names = self.author_names(item)
        return names[0] if names else (item.provider.signature if item.provider else None)

    def item_categories(self, item: ArticlePage) -> list[str]:
        categories = [item.section.title] if item.section else []
        return [*categories, item.ad_label or "PR"] if item.is_sponsored else categories

    def item_extra_kwargs(self, item: ArticlePage) -> dict:
        return {"creators": self.author_names(item)}

    @staticmethod
    def author_names(item: ArticlePage) -> list[str]:
        return [byline.author.title for byline in item.bylines.all() if byline.author]


class SectionFeed(SiteFeed):
    model = SectionPage

    def get_object(self, request: HttpRequest, slug: str):
        page = self.model.objects.live().filter(slug=slug).first()
        if page is None:
            raise Http404("フィードが見つかりません")
        return page

    def title(self, obj) -> str:
        return f"{obj.title}｜{settings.SOKUHO_SITE_NAME}"

    def link(self, obj) -> str:
        return obj.url

    def description(self, obj) -> str:
        return f"{settings.SOKUHO_SITE_NAME}「{obj.title}」の最新記事"

    def articles(self, obj):
        return listings.section_articles(obj)


class TopicFeed(SectionFeed):
    model = TopicPage

    def articles(self, obj):
        return listings.topic_articles(obj)


class AuthorFeed(SectionFeed):
    model = AuthorPage

    def articles(self, obj):
        return listings.author_articles(obj)


def atom(feed_class: type[SiteFeed]) -> type[SiteFeed]:
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": JapaneseAtomFeed, "subtitle": feed_class.description},
    )
