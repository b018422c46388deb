"""The demo's articles are searchable after `sokuho demo`, with their back-dated times."""

import io

import pytest
from django.core.management import call_command

from sokuho.demo import content
from sokuho.demo.loader import load_demo
from sokuho.news.models import ArticlePage
from sokuho.search.backends import get_search_backend
from sokuho.search.query import parse_query
from sokuho.search.results import SearchResults

pytestmark = pytest.mark.django_db


def test_demo_articles_are_searchable_newest_first():
    load_demo()
    live = set(ArticlePage.objects.live().values_list("pk", flat=True))
    assert get_search_backend().indexed_page_ids() == live
    newest = max(content.ARTICLES, key=lambda item: -item["hours_ago"])
    hits = SearchResults(parse_query(newest["headline"].split("　")[0]))[:20]
    assert newest["headline"] in [hit.article.title for hit in hits]
    # Newest first by the stories' own (back-dated) times, not by loading order.
    hits = SearchResults(parse_query("サンプル"))[:100]
    times = [hit.article.first_published_at for hit in hits]
    assert len(hits) > 20 and times == sorted(times, reverse=True)

    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert f"{len(live)} 件の記事を登録、0 件を削除" in out.getvalue()
