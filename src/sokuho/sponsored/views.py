from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sokuho.news import listings
from sokuho.pagecache.decorators import cache_tagged
from sokuho.pagecache.tags import LISTINGS, SITE
from sokuho.sponsored.models import BrandedSeries


@cache_tagged(SITE, LISTINGS)
def series(request: HttpRequest, slug: str) -> HttpResponse:
    found = (
        BrandedSeries.objects.select_related("sponsor", "sponsor__logo").filter(slug=slug).first()
    )
    if found is None:
        raise Http404("シリーズが見つかりません")
    articles = listings.published_articles().filter(branded_series=found)
    return render(
        request,
        "sponsored/series.html",
        {"series": found, "articles_page": listings.paginate(request, articles)},
    )
