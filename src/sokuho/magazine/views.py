"""The magazine's pages: the current issue and back numbers by year, one page per
issue with its contents, and the MOOK list. Issues not yet on sale are not shown."""

from __future__ import annotations

from datetime import date

from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sokuho.magazine.models import MagazineIssue, SpecialEdition, today_jst
from sokuho.magazine.promos import current_issue
from sokuho.pagecache.decorators import cache_tagged
from sokuho.pagecache.tags import LISTINGS, SITE


def on_sale_issues():
    return MagazineIssue.objects.filter(on_sale_date__lte=today_jst()).select_related("cover")


def years() -> list[int]:
    return sorted(
        set(on_sale_issues().annotate(y=ExtractYear("issue_date")).values_list("y", flat=True)),
        reverse=True,
    )


@cache_tagged(SITE, LISTINGS)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "magazine/index.html",
        {"issue": current_issue(), "recent": on_sale_issues()[:12], "years": years()},
    )


@cache_tagged(SITE, LISTINGS)
def archive(request: HttpRequest, year: int) -> HttpResponse:
    issues = on_sale_issues().filter(issue_date__year=year)
    if not issues:
        raise Http404("この年の号はありません")
    return render(
        request, "magazine/archive.html", {"year": year, "issues": issues, "years": years()}
    )


@cache_tagged(SITE, LISTINGS)
def issue(request: HttpRequest, year: str, month: str, day: str) -> HttpResponse:
    try:
        issue_date = date(int(year), int(month), int(day))
    except ValueError:
        raise Http404("日付が正しくありません") from None
    found = on_sale_issues().filter(issue_date=issue_date).first()
    if found is None:
        raise Http404("この号はありません")
    articles = [
        item.article
        for item in found.contents.select_related("article__section", "article__sponsor")
        if item.article.live
    ]
    return render(request, "magazine/issue.html", {"issue": found, "articles": articles})


@cache_tagged(SITE)
def editions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "magazine/editions.html",
        {"editions": SpecialEdition.objects.select_related("cover")},
    )
