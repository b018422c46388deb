from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.wagtail_hooks import check_view_restrictions

from sokuho.news import routing


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, with the one-query fast path for article pages."""
    site = routing.find_site(request)
    article = routing.find_live_article(site, path, request) if site else None
    # Other article types (quizzes) have their own fields and template: Wagtail serves them.
    if (
        article is None
        or article.specific_class is not type(article)
        or routing.is_restricted(article.path)
    ):
        return wagtail_views.serve(request, path)

    request._wagtail_route_for_request = (article, [], {})
    serve_chain = wagtail_views.serve_chain
    # No view restriction covers this page (checked against the cached list above).
    for wrapper in reversed(hooks.get_hooks("on_serve_page")):
        if wrapper is not check_view_restrictions:
            serve_chain = wrapper(serve_chain)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(article, request, [], {})
        if isinstance(result, HttpResponse):
            return result
    return serve_chain(article, request, [], {})
