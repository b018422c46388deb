"""/search/ (HTML) and /api/search/ (JSON): thin views over params and results.

Never cached: a killed article must leave the results at once, and every query string
would be a cache entry of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sokuho.ja.dates import format_jst, iso_jst
from sokuho.search.params import ORDER_LABELS, SearchParams, read_params
from sokuho.search.results import SearchResults


def _page(request: HttpRequest, params: SearchParams) -> PaginatorPage | None:
    """One page of results, or None when there is nothing to search for."""
    if params.errors or params.query.is_empty:
        return None
    results = SearchResults(params.query, params.filters, params.order)
    return Paginator(results, settings.SOKUHO_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def _when(moment: datetime | None, formatter: Callable[[datetime], str]) -> str | None:
    return formatter(moment) if moment else None


@never_cache
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    from sokuho.news.models import Provider, SectionPage

    params = read_params(request.GET)
    return render(
        request,
        "search/search_page.html",
        {
            "params": params,
            "search_query": params.q,
            "results_page": _page(request, params),
            "sections": SectionPage.objects.live().order_by("path"),
            "providers": Provider.objects.order_by("name"),
            "orders": ORDER_LABELS.items(),
        },
    )


@never_cache
@require_GET
def search_api(request: HttpRequest) -> JsonResponse:
    params = read_params(request.GET)
    if params.errors:
        return JsonResponse({"errors": params.errors}, status=400)
    page = _page(request, params)
    hits = page.object_list if page else []
    return JsonResponse(
        {
            "query": params.q,
            "order": params.order.value,
            "count": page.paginator.count if page else 0,
            "page": page.number if page else 1,
            "num_pages": page.paginator.num_pages if page else 0,
            "per_page": settings.SOKUHO_ARTICLES_PER_PAGE,
            "results": [
                {
                    "id": hit.article.pk,
                    "title": hit.article.title,
                    "label": hit.article.label,
                    "url": request.build_absolute_uri(hit.article.url) if hit.article.url else None,
                    "section": (
                        {"slug": hit.article.section.slug, "title": hit.article.section.title}
                        if hit.article.section
                        else None
                    ),
                    # Advertising is labelled wherever it is listed (ステマ規制).
                    "sponsor": (
                        {"name": hit.article.sponsor.name, "label": hit.article.ad_label or "PR"}
                        if hit.article.sponsor
                        else None
                    ),
                    "published_at": _when(hit.article.published_at, iso_jst),
                    "published_at_text": _when(hit.article.published_at, format_jst),
                    # HTML: escaped text with the matched words in <mark>.
                    "title_html": str(hit.title_html).replace("<wbr>", ""),
                    "snippet_html": str(hit.snippet_html),
                }
                for hit in hits
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
