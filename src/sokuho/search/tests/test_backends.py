"""Backend selection, sort keys, text extraction and snippets: the parts under the views."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from sokuho.ja.dates import JST
from sokuho.search.backends import Filters, get_search_backend
from sokuho.search.backends.postgres import PostgresSearchBackend
from sokuho.search.backends.sqlite import SQLiteSearchBackend
from sokuho.search.documents import (
    html_to_text,
    key_range,
    page_id_of,
    sort_key,
)
from sokuho.search.query import parse_query
from sokuho.search.snippets import highlight, snippet

# -- configuration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "SOKUHO_SEARCH must be a dict"),
        ("sokuho.search.backends.sqlite.SQLiteSearchBackend", "must be a dict"),
        ({}, "must be a dict"),
        ({"BACKEND": "sokuho.search.backends.nosuch.Backend"}, "cannot be imported"),
        ({"BACKEND": "sokuho.search.documents.Document"}, "is not a search backend class"),
        ({"BACKEND": "os.path.join"}, "is not a search backend class"),
        (
            {"BACKEND": "sokuho.search.backends.sqlite.SQLiteSearchBackend", "DATABASE": "x"},
            "'x', which is not in DATABASES",
        ),
    ],
)
def test_bad_settings_are_improperly_configured(settings, value, message):
    settings.SOKUHO_SEARCH = value
    with pytest.raises(ImproperlyConfigured, match=message):
        get_search_backend()


def test_backend_for_another_database_is_refused(settings):
    other = PostgresSearchBackend if connection.vendor == "sqlite" else SQLiteSearchBackend
    settings.SOKUHO_SEARCH = {"BACKEND": f"{other.__module__}.{other.__name__}"}
    with pytest.raises(ImproperlyConfigured, match="picks the backend from DATABASE_URL"):
        get_search_backend()


def test_the_configured_backend_matches_the_database():
    assert get_search_backend().vendor == connection.vendor


# -- sort keys ----------------------------------------------------------------------------


def test_sort_key_orders_by_time_then_page():
    moment = datetime(2026, 2, 6, 1, 55, tzinfo=JST)
    keys = [
        sort_key(moment - timedelta(seconds=1), 99),
        sort_key(moment, 5),
        sort_key(moment, 6),
        sort_key(moment + timedelta(seconds=1), 1),
    ]
    assert keys == sorted(keys)
    assert page_id_of(sort_key(moment, 123456)) == 123456
    assert sort_key(datetime(1990, 1, 1, tzinfo=UTC), 1) < 0 < sort_key(moment, 1)


def test_sort_key_clamps_far_dates_and_refuses_bad_ids():
    assert page_id_of(sort_key(datetime(9999, 1, 1, tzinfo=UTC), 7)) == 7
    assert page_id_of(sort_key(datetime(1, 1, 1, tzinfo=UTC), 7)) == 7
    for page_id in (0, -1, 2**32):
        with pytest.raises(ValueError, match="does not fit"):
            sort_key(datetime.now(UTC), page_id)


def test_key_range_is_half_open():
    start = datetime(2026, 3, 10, tzinfo=JST)
    end = start + timedelta(days=1)
    low, high = key_range(start, end)
    assert low <= sort_key(start, 1) <= high
    assert low <= sort_key(end - timedelta(seconds=1), 2**32 - 1) <= high
    assert not low <= sort_key(end, 1) <= high
    assert not low <= sort_key(start - timedelta(seconds=1), 2**32 - 1) <= high
    assert key_range(None, None) == (-(2**63), 2**63 - 1)


def test_filters_to_facets():
    assert Filters().facets() == []
    assert Filters(section_id=3, provider_id=4, author_id=5).facets() == ["s3", "p4", "a5"]


# -- text extraction ----------------------------------------------------------------------


def test_html_to_text_keeps_blocks_apart():
    html = (
        "<h2>見出し</h2><p>第一段落の<b>太字</b>と<a href='/x'>リンク</a>。</p>"
        "<ul><li>一つ目</li><li>二つ目</li></ul><p>A&amp;B &lt;tag&gt;</p><p>改行<br>のあと</p>"
    )
    assert html_to_text(html).split("\n") == [
        "見出し",
        "第一段落の太字とリンク。",
        "一つ目",
        "二つ目",
        "A&B <tag>",
        "改行",
        "のあと",
    ]


@pytest.mark.parametrize("html", ["", "   ", "<p></p>", "<", "<p", "<!-- x -->", "\x00"])
def test_html_to_text_never_raises(html):
    assert isinstance(html_to_text(html), str)


# -- snippets -----------------------------------------------------------------------------


def test_snippet_marks_the_matching_paragraph():
    paragraphs = ["要約には関係のない話。", "大型の台風15号が東海地方に上陸した。"]
    assert str(snippet(paragraphs, parse_query("台風"))) == (
        "大型の<mark>台風</mark>15号が東海地方に上陸した。"
    )


def test_phrase_is_one_mark_and_stray_parts_are_not_marked():
    text = "東京都知事は会見で、東京の交通と都の予算について話した。"
    html = str(snippet([text], parse_query("東京都知事")))
    assert html.count("<mark>") == 1
    assert "<mark>東京都知事</mark>" in html


def test_excluded_words_are_not_marked():
    html = str(snippet(["台風と原発の記事。"], parse_query("台風 -原発")))
    assert html == "<mark>台風</mark>と原発の記事。"


def test_variants_are_marked_in_their_own_spelling():
    html = str(snippet(["ｳﾞｧｲｵﾘﾝ奏者のウィットモア氏。"], parse_query("バイオリン ウィトモア")))
    assert html == "<mark>ｳﾞｧｲｵﾘﾝ</mark>奏者の<mark>ウィットモア</mark>氏。"


def test_inflected_match_outside_the_cheap_check_is_found():
    # 始まる is not a substring of 始まった: the second pass analyses every paragraph.
    html = str(snippet(["無関係な段落。", "工事が始まった。"], parse_query("始まる")))
    assert html == "工事が<mark>始まっ</mark>た。"


def test_snippet_is_a_window_with_ellipses():
    text = "前置き。" * 30 + "ここで台風が上陸した。" + "後日談。" * 40
    html = str(snippet([text], parse_query("台風")))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>台風</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 122


def test_snippet_escapes_html_and_falls_back_to_the_opening():
    html = str(snippet(["<script>alert('x')</script> 関係ない", "次"], parse_query("台風")))
    assert html == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 関係ない"
    assert str(snippet([], parse_query("台風"))) == ""


def test_headline_highlight():
    assert str(highlight("「ＡＩ」<b>と</b>", parse_query("ai"))) == (
        "「<mark>ＡＩ</mark>」&lt;b&gt;と&lt;/b&gt;"
    )


# -- query plans and ranking windows ------------------------------------------------------


def test_postgres_walks_the_date_index_only_when_hits_are_dense():
    """Without touching a database: the exact count decides the page query's plan."""
    backend = PostgresSearchBackend.__new__(PostgresSearchBackend)
    backend._rows = 100_000
    query = parse_query("台風")
    for hits, expected in [
        (50_000, "sort_key DESC"),
        (900, "sort_key + 0 DESC"),
        (0, "sort_key + 0 DESC"),
    ]:
        backend.count = lambda *args, hits=hits: hits
        assert backend._order(query, Filters(), 20) == expected
    backend.count = lambda *args: 50_000
    assert backend._order(query, Filters(), 1000) == "sort_key + 0 DESC"


def test_postgres_query_uses_pairs_for_words_of_several_terms():
    from sokuho.search.backends.postgres import tsquery_sql

    sql, params = tsquery_sql(parse_query("東京都知事 台風 -京都"), Filters(section_id=3))
    assert params == [
        "'東京 都' & '都 知事'",
        "'台風'",
        "'京都'",
        "'§s3'",
    ]
    assert sql == (
        "((%s::tsquery) && (to_tsquery('simple', %s)) && !!(to_tsquery('simple', %s))"
        " && %s::tsquery)"
    )


def test_headline_highlight_with_phrase_breaks():
    html = str(highlight("東京都知事選挙が告示された", parse_query("知事選挙"), phrase_breaks=True))
    assert "<wbr>" in html
    assert html.replace("<wbr>", "") == "東京都<mark>知事選挙</mark>が告示された"
    assert html.count("<mark>") == html.count("</mark>") == 1
