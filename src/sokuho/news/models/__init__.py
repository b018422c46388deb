"""The newsroom's content model: one module per page type, re-exported here."""

from sokuho.news.models.article import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    labelled_title,
)
from sokuho.news.models.author import AuthorIndexPage, AuthorPage
from sokuho.news.models.home import HomePage
from sokuho.news.models.provider import Provider
from sokuho.news.models.section import SectionPage
from sokuho.news.models.topic import TopicIndexPage, TopicPage

__all__ = [
    "ArticleByline",
    "ArticleCorrection",
    "ArticlePage",
    "AuthorIndexPage",
    "AuthorPage",
    "HomePage",
    "Provider",
    "SectionPage",
    "TopicIndexPage",
    "TopicPage",
    "labelled_title",
]
