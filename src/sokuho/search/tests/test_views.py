"""/search/ and /api/search/ as readers and API clients see them."""

from datetime import datetime, timedelta

import pytest
from lxml import html as lxml_html

from sokuho.ja.dates import JST, format_jst
from sokuho.news.tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "   ",
    "-",
    '"',
    '"""',
    "*",
    "台風*",
    "NEAR(台風 原発)",
    "NEAR(",
    "{title}: 台風",
    "title:台風",
    "^台風",
    "台風 AND NOT",
    "(((",
    "'; DROP TABLE search_searchdocument; --",
    "' OR 1=1 --",
    "%' OR '1'='1",
    "\\",
    "台風\x00原発",
    "\x00",
    "!!!???...★☆♪",
    "<script>alert(1)</script>",
    "'台風' & !'原発' <-> '都':*",
    "台風 " * 300,
    "台" * 10_000,
    "ﷺ" * 300,
    "OR OR OR",
    "-台風 -原発",
]


def tree_of(response):
    return lxml_html.fromstring(response.content.decode())


def text_of(node) -> str:
    return "".join(node.itertext())


def result_items(tree):
    return tree.xpath("//ol[@class='search-results']/li")


def result_titles(tree) -> list[str]:
    return [text_of(a) for a in tree.xpath("//ol[@class='search-results']/li/a")]


def summary(tree) -> str:
    nodes = tree.xpath("//*[contains(@class,'search-summary') or contains(@class,'search-empty')]")
    return " ".join(text_of(node) for node in nodes)


def errors(tree) -> list[str]:
    return [text_of(li) for li in tree.xpath("//div[@class='search-errors']//li")]


def test_results_page(client):
    published = datetime(2026, 2, 6, 1, 55, tzinfo=JST)
    page = factories.article(
        "japan",
        title="台風１５号が上陸　交通に乱れ",
        summary="東海地方で鉄道の運休が相次いだ。",
        body="<p>強い台風１５号が上陸し、新幹線が計画運休した。</p>",
        first_published_at=published,
    )
    factories.article("world", title="関係のない記事", body="<p>港北県の話題。</p>")
    response = client.get("/search/", {"q": "台風"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    tree = tree_of(response)
    assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert "「台風」の検索結果 1件" in summary(tree)
    (item,) = result_items(tree)
    link = item.xpath("./a")[0]
    assert link.get("href") == page.url
    assert text_of(link) == "台風１５号が上陸　交通に乱れ"
    assert [text_of(m) for m in link.xpath(".//mark")] == ["台風"]
    assert text_of(item.xpath(".//*[@class='section-label']")[0]) == "日本"
    time = item.xpath(".//time")[0]
    assert text_of(time) == format_jst(published) == "2026年02月06日(金)01時55分"
    assert time.get("datetime") == "2026-02-06T01:55:00+09:00"
    snippet = item.xpath(".//p[@class='search-result__snippet']")[0]
    assert [text_of(m) for m in snippet.xpath(".//mark")] == ["台風"]
    # The query stays in both search boxes.
    assert tree.xpath("//input[@id='search-q']/@value") == ["台風"]
    assert tree.xpath("//input[@id='site-search-q']/@value") == ["台風"]


def test_search_box_in_every_page_header(client):
    factories.article()
    tree = tree_of(client.get("/"))
    (form,) = tree.xpath("//header//form[@role='search']")
    assert form.get("action") == "/search/"
    (field,) = form.xpath(".//input[@name='q']")
    label = tree.xpath(f"//label[@for='{field.get('id')}']")
    assert text_of(label[0]) == "記事を検索"


def test_snippet_marks_the_spelling_found(client):
    factories.article(
        "tech",
        title="半導体関連株が上昇",
        summary="東京市場の動き。",
        body="<p>ｺﾝﾋﾟｭｰﾀｰ向けの需要が伸びた。</p>",
    )
    tree = tree_of(client.get("/search/", {"q": "コンピューター"}))
    (item,) = result_items(tree)
    assert [text_of(m) for m in item.xpath(".//mark")] == ["ｺﾝﾋﾟｭｰﾀｰ"]


def test_nothing_found_page_helps(client):
    factories.article("japan", title="台風の記事", body="<p>台風が近づく。</p>")
    tree = tree_of(client.get("/search/", {"q": "存在しない語句", "section": "japan"}))
    assert result_items(tree) == []
    text = summary(tree)
    assert "「存在しない語句」に一致する記事は見つかりませんでした。" in text
    assert "短い語" in text
    (clear,) = tree.xpath("//div[@class='search-empty']//a")
    assert text_of(clear) == "絞り込みを外して検索する"
    assert "section" not in clear.get("href") and "q=" in clear.get("href")


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "キーワードを入力してください。"),
        ("★☆", "検索できる語が見つかりませんでした"),
        ("-台風", "検索できる語が見つかりませんでした"),
    ],
)
def test_empty_queries_ask_for_a_word(client, q, message):
    tree = tree_of(client.get("/search/", {"q": q}))
    assert message in summary(tree)
    assert result_items(tree) == []


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_give_a_normal_page(client, q):
    factories.article("japan", title="台風と原発", body="<p>台風と原発の記事。</p>")
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    tree = tree_of(response)
    assert tree.xpath("//h1/text()") == ["記事検索"]
    assert "<script>alert" not in response.content.decode()
    api = client.get("/api/search/", {"q": q})
    assert api.status_code == 200
    assert api.json()["count"] >= 0


def test_hostile_query_words_still_search(client):
    factories.article("japan", title="台風と原発", body="<p>台風と原発の記事。</p>")
    for q in ["台風*", "(台風)", "'台風'", "{}: 台風", "台風\x00"]:
        tree = tree_of(client.get("/search/", {"q": q}))
        assert result_titles(tree) == ["台風と原発"], q


def test_section_author_provider_and_date_filters(client):
    reporter = factories.author("鈴木 一郎", "ichiro-suzuki")
    wire = factories.provider()
    base = datetime(2026, 3, 10, 12, 0, tzinfo=JST)
    factories.article("japan", title="台風　日本の記事", first_published_at=base)
    factories.article(
        "world", title="台風　世界の記事", first_published_at=base - timedelta(days=5)
    )
    factories.article(
        "japan",
        title="台風　記者の記事",
        authors=[reporter],
        first_published_at=base - timedelta(days=10),
    )
    factories.article(
        "life",
        title="台風　通信社の記事",
        provider=wire,
        first_published_at=base + timedelta(days=1),
    )

    def titles(**params):
        return result_titles(tree_of(client.get("/search/", {"q": "台風", **params})))

    assert titles() == [
        "台風　通信社の記事",
        "台風　日本の記事",
        "台風　世界の記事",
        "台風　記者の記事",
    ]
    assert titles(section="japan") == ["台風　日本の記事", "台風　記者の記事"]
    assert titles(author="ichiro-suzuki") == ["台風　記者の記事"]
    assert titles(provider="hokushin") == ["台風　通信社の記事"]
    assert titles(section="japan", author="ichiro-suzuki") == ["台風　記者の記事"]
    # JST calendar days, both ends included.
    assert titles(**{"from": "2026-03-05", "to": "2026-03-10"}) == [
        "台風　日本の記事",
        "台風　世界の記事",
    ]
    assert titles(**{"from": "2026-03-11"}) == ["台風　通信社の記事"]
    assert titles(to="2026/03/01") == ["台風　記者の記事"]
    api = client.get("/api/search/", {"q": "台風", "section": "world"}).json()
    assert [r["title"] for r in api["results"]] == ["台風　世界の記事"]
    # The author filter shows as a removable chip.
    tree = tree_of(client.get("/search/", {"q": "台風", "author": "ichiro-suzuki"}))
    assert "記者：鈴木 一郎" in text_of(tree.xpath("//*[@class='search-form__chip']")[0])


def test_jst_day_boundaries(client):
    # 2026-03-10 00:30 JST is still 2026-03-09 in UTC.
    factories.article(
        "japan",
        title="台風　深夜の記事",
        first_published_at=datetime(2026, 3, 10, 0, 30, tzinfo=JST),
    )

    def count(**params):
        return client.get("/api/search/", {"q": "台風", **params}).json()["count"]

    assert count(**{"from": "2026-03-10", "to": "2026-03-10"}) == 1
    assert count(to="2026-03-09") == 0
    assert count(**{"from": "2026-03-11"}) == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "昨日"}, "開始日は「2026-02-06」の形で、実在する日付を入力してください。"),
        ({"to": "2026-02-30"}, "終了日は「2026-02-06」の形で、実在する日付を入力してください。"),
        ({"from": "0001-01-01"}, "開始日は「2026-02-06」の形で"),
        ({"to": "9999-12-31"}, "終了日は「2026-02-06」の形で"),
        ({"from": "2026-03-10", "to": "2026-03-01"}, "開始日が終了日より後になっています。"),
        (
            {"section": "no-such-section"},
            "指定されたセクション（no-such-section）は見つかりません。",
        ),
        ({"section": "japan\x00"}, "指定されたセクション（japan）は見つかりません。"),
        ({"section": "'; DROP TABLE x; --"}, "指定されたセクション"),
        ({"author": "x" * 300}, "指定された記者"),
        ({"provider": "不明"}, "指定された配信元（不明）は見つかりません。"),
        ({"order": "random"}, "並び順は「新しい順」か「関連度順」を選んでください。"),
    ],
)
def test_bad_filters_get_a_message_not_a_500(client, params, message):
    factories.article("japan", title="台風の記事")
    response = client.get("/search/", {"q": "台風", **params})
    assert response.status_code == 200
    tree = tree_of(response)
    assert any(message in error for error in errors(tree)), errors(tree)
    assert result_items(tree) == []
    api = client.get("/api/search/", {"q": "台風", **params})
    assert api.status_code == 400
    assert any(message in error for error in api.json()["errors"])


def test_pagination_twenty_a_page_and_bad_page_numbers(client):
    for number in range(23):
        factories.article(
            "japan",
            title=f"台風の記事 第{number + 1}報",
            first_published_at=datetime(2026, 1, 1, tzinfo=JST) + timedelta(hours=number),
        )

    def page(value):
        return tree_of(client.get("/search/", {"q": "台風", "section": "japan", "page": value}))

    first = page("1")
    assert len(result_items(first)) == 20
    assert result_titles(first)[0] == "台風の記事 第23報"
    assert "23件" in summary(first) and "1〜20件目" in summary(first)
    (next_link,) = first.xpath("//nav[@class='pagination']/a[@rel='next']")
    href = next_link.get("href")
    assert "page=2" in href and "section=japan" in href and "q=" in href
    second = page("2")
    assert result_titles(second) == ["台風の記事 第3報", "台風の記事 第2報", "台風の記事 第1報"]
    assert second.xpath("//ol[@class='search-results']/@start") == ["21"]
    assert result_titles(page("x")) == result_titles(first)
    assert result_titles(page("-1")) == result_titles(second)  # out of range: the last page
    assert result_titles(page("99999999999999999999")) == result_titles(second)
    api = client.get("/api/search/", {"q": "台風", "page": "2"}).json()
    assert (api["count"], api["page"], api["num_pages"], len(api["results"])) == (23, 2, 2, 3)


def test_relevance_order(client):
    factories.article(
        "japan",
        title="新しい記事",
        body="<p>本文の終わりに日銀の話題が少しだけ出てくる長めの記事です。</p>",
        first_published_at=datetime(2026, 3, 2, tzinfo=JST),
    )
    factories.article(
        "business",
        title="日銀が金利を据え置き",
        body="<p>日銀は会合で金利を据え置いた。日銀の総裁が会見した。</p>",
        first_published_at=datetime(2026, 3, 1, tzinfo=JST),
    )

    def titles(order):
        return result_titles(tree_of(client.get("/search/", {"q": "日銀", "order": order})))

    assert titles("newest") == ["新しい記事", "日銀が金利を据え置き"]
    assert titles("relevance") == ["日銀が金利を据え置き", "新しい記事"]


def test_api_shape(client):
    page = factories.article(
        "tech",
        title="ＡＩで<議事録>を作成",
        summary="青葉市が導入した。",
        body="<p>青葉市はＡＩを使う。</p>",
        label="解説",
        first_published_at=datetime(2026, 2, 6, 1, 55, tzinfo=JST),
    )
    response = client.get("/api/search/", {"q": "ai"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["query"] == "ai" and data["order"] == "newest" and data["per_page"] == 20
    (result,) = data["results"]
    assert result == {
        "id": page.pk,
        "title": "ＡＩで<議事録>を作成",
        "label": "解説",
        "url": f"http://testserver{page.url}",
        "section": {"slug": "tech", "title": "テック"},
        "sponsor": None,
        "published_at": "2026-02-06T01:55:00+09:00",
        "published_at_text": "2026年02月06日(金)01時55分",
        "title_html": "<mark>ＡＩ</mark>で&lt;議事録&gt;を作成",
        "snippet_html": "青葉市は<mark>ＡＩ</mark>を使う。",
    }
    empty = client.get("/api/search/").json()
    assert (empty["count"], empty["results"], empty["num_pages"]) == (0, [], 0)


def test_only_get(client):
    assert client.post("/search/", {"q": "台風"}).status_code == 405
    assert client.post("/api/search/", {"q": "台風"}).status_code == 405


def test_sponsored_articles_are_labelled_in_results(client):
    from sokuho.sponsored.models import Sponsor

    sponsor = Sponsor.objects.create(name="みなと精機（テスト用）")
    factories.article(
        "business",
        title="町工場の挑戦　台風にも負けない",
        ad_label="PR",
        sponsor=sponsor,
    )
    tree = tree_of(client.get("/search/", {"q": "台風"}))
    (item,) = result_items(tree)
    assert text_of(item.xpath(".//*[contains(@class,'badge--ad')]")[0]) == "PR"
    assert "提供：みなと精機（テスト用）" in text_of(item)
    (result,) = client.get("/api/search/", {"q": "台風"}).json()["results"]
    assert result["sponsor"] == {"name": "みなと精機（テスト用）", "label": "PR"}
