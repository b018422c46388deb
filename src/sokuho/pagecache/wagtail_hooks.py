from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from sokuho.pagecache.tags import LISTINGS, SITE, add_tags, page_tag


@hooks.register("before_serve_page")
def tag_served_page(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    from sokuho.news.models import ArticlePage

    add_tags(request, SITE, page_tag(page.id))
    if not isinstance(page, ArticlePage):
        add_tags(request, LISTINGS)  # every other reader page lists articles
