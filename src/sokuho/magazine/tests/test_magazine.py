"""Magazine issues and MOOKs as readers see them: promos, issue pages, archives."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from lxml import html as lxml_html

from sokuho.magazine.models import MagazineIssue, MagazineIssueArticle, SpecialEdition
from sokuho.magazine.promos import current_issue
from sokuho.news.tests import factories

pytestmark = pytest.mark.django_db

# 2026-02-04 10:00 JST
NOW = datetime(2026, 2, 4, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    # Ticking: the page cache tells purges apart by their time.
    with time_machine.travel(NOW):
        yield


@pytest.fixture
def issues():
    made = {}
    for issue_date, on_sale, feature in [
        (date(2026, 1, 27), date(2026, 1, 20), "地方鉄道は生き残れるか"),
        (date(2026, 2, 3), date(2026, 1, 27), "物流の2030年問題"),
        (date(2026, 2, 10), date(2026, 2, 3), "生成AIと仕事の未来"),
        (date(2026, 2, 17), date(2026, 2, 10), "来週の特集（未発売）"),
        (date(2025, 12, 23), date(2025, 12, 16), "年末の特集"),
    ]:
        made[issue_date] = MagazineIssue.objects.create(
            issue_date=issue_date,
            on_sale_date=on_sale,
            feature_title=feature,
            blurb="テスト用の紹介文。",
            cover=factories.image(600, 800, "表紙"),
        )
    return made


def tree_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_current_issue_is_the_newest_on_sale(issues):
    assert current_issue().feature_title == "生成AIと仕事の未来"
    with time_machine.travel(datetime(2026, 2, 9, 14, 59, tzinfo=UTC), tick=False):  # 23:59 JST
        assert current_issue().feature_title == "生成AIと仕事の未来"
    with time_machine.travel(datetime(2026, 2, 9, 15, 0, tzinfo=UTC), tick=False):  # 0:00 JST
        assert current_issue().feature_title == "来週の特集（未発売）"


def test_promo_line_reads_like_the_print_edition(issues):
    issue = issues[date(2026, 2, 10)]
    assert issue.promo_line == "特集：生成AIと仕事の未来 2026年2月10日号（2月3日発売）"


def test_promo_on_home_section_and_article_pages(client, issues):
    article = factories.article()
    for url in ("/", "/world/", article.url):
        tree = tree_of(client, url)
        promo = tree.xpath("//section[contains(@class,'magazine-promo')]")
        assert promo, url
        assert "特集：生成AIと仕事の未来" in text(promo[0])
        assert "2026年2月10日号（2月3日発売）" in text(promo[0])
        assert promo[0].xpath(".//a/@href")[0] == "/magazine/2026-02-10/"
        assert promo[0].xpath(".//img/@alt")[0] == "2026年2月10日号の表紙"


def test_no_promo_and_no_error_without_issues(client):
    tree = tree_of(client, "/")
    assert not tree.xpath("//section[contains(@class,'magazine-promo')]")
    assert "発売中の号はまだありません" in text(tree_of(client, "/magazine/"))


def test_promo_follows_an_edit_at_once(client, issues):
    tree_of(client, "/")
    issue = issues[date(2026, 2, 10)]
    issue.feature_title = "差し替えた特集"
    issue.save()
    assert "特集：差し替えた特集" in text(tree_of(client, "/"))


def test_article_page_with_promos_stays_within_five_queries(
    client, issues, django_assert_max_num_queries
):
    SpecialEdition.objects.create(
        title="テスト別冊",
        slug="test",
        price_yen=1320,
        on_sale_date=date(2026, 1, 1),
        cover=factories.image(600, 800),
    )
    article = factories.article()
    client.get(article.url)
    with django_assert_max_num_queries(5):
        response = client.get(article.url)
    assert "特集：生成AIと仕事の未来" in response.content.decode()
    assert "テスト別冊" in response.content.decode()


def test_issue_page_lists_its_live_articles_in_order(client, issues):
    issue = issues[date(2026, 2, 10)]
    first = factories.article(title="掲載記事その一")
    second = factories.article("tech", title="掲載記事その二")
    draft = factories.article(title="まだ下書きの記事", publish=False)
    for order, page in enumerate([second, first, draft]):
        MagazineIssueArticle.objects.create(issue=issue, article=page, sort_order=order)
    tree = tree_of(client, "/magazine/2026-02-10/")
    assert text(tree.xpath("//h1")[0]) == "特集：生成AIと仕事の未来"
    assert "2026年2月10日号（2月3日発売）" in text(tree.xpath("//main")[0])
    titles = [text(t) for t in tree.xpath("//*[contains(@class,'article-item__title')]")]
    assert titles == ["掲載記事その二", "掲載記事その一"]


def test_future_and_unknown_issues_and_bad_dates_are_404(client, issues):
    assert client.get("/magazine/2026-02-17/").status_code == 404  # not on sale yet
    assert client.get("/magazine/2026-03-03/").status_code == 404
    assert client.get("/magazine/2026-02-31/").status_code == 404
    assert client.get("/magazine/2026-13-01/").status_code == 404
    assert client.get("/magazine/1999/").status_code == 404


def test_archive_by_year(client, issues):
    tree = tree_of(client, "/magazine/2026/")
    titles = [text(t) for t in tree.xpath("//*[contains(@class,'issue-card__title')]")]
    assert titles == [
        "特集：生成AIと仕事の未来",
        "特集：物流の2030年問題",
        "特集：地方鉄道は生き残れるか",
    ]
    years = [text(a) for a in tree.xpath("//nav[contains(@class,'year-links')]//a")]
    assert years == ["2026年", "2025年"]
    tree = tree_of(client, "/magazine/2025/")
    assert [text(t) for t in tree.xpath("//*[contains(@class,'issue-card__title')]")] == [
        "特集：年末の特集"
    ]


def test_magazine_index_shows_current_issue_and_back_numbers(client, issues):
    tree = tree_of(client, "/magazine/")
    assert "特集：生成AIと仕事の未来 2026年2月10日号（2月3日発売）" in text(tree)
    assert "来週の特集" not in text(tree)


# --- MOOK / 別冊 ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("on_sale", "in_stock", "state"),
    [
        (date(2026, 2, 20), True, "予約受付中"),
        (date(2026, 2, 4), True, "好評発売中"),
        (date(2025, 10, 1), True, "好評発売中"),
        (date(2025, 10, 1), False, "品切れ"),
        (date(2026, 2, 20), False, "品切れ"),
    ],
)
def test_sale_state_from_dates_and_stock(on_sale, in_stock, state):
    edition = SpecialEdition(
        title="別冊", slug="x", price_yen=1000, on_sale_date=on_sale, in_stock=in_stock
    )
    assert edition.state == state


def test_mook_promo_and_list_page(client):
    SpecialEdition.objects.create(
        title="図解でわかる世界経済",
        slug="world",
        kind="別冊",
        price_yen=1320,
        on_sale_date=date(2026, 1, 10),
        order_url="https://shop.example.com/world",
    )
    SpecialEdition.objects.create(
        title="はじめての資産形成",
        slug="invest",
        price_yen=1100,
        on_sale_date=date(2026, 2, 20),
        order_url="https://shop.example.com/invest",
    )
    SpecialEdition.objects.create(
        title="全国ローカル線の旅",
        slug="rail",
        price_yen=1540,
        on_sale_date=date(2025, 11, 1),
        in_stock=False,
    )
    promo = tree_of(client, "/").xpath("//section[contains(@class,'mook-promo')]")[0]
    items = [text(li) for li in promo.xpath(".//li")]
    assert items == [
        "予約受付中 はじめての資産形成 1,100円（税込）",
        "好評発売中 図解でわかる世界経済 1,320円（税込）",
    ]
    tree = tree_of(client, "/mook/")
    editions = {
        text(e.xpath(".//h2")[0]): e for e in tree.xpath("//li[contains(@class,'edition')]")
    }
    assert "品切れ" in text(editions["全国ローカル線の旅"])
    assert not editions["全国ローカル線の旅"].xpath(".//a")
    assert editions["はじめての資産形成"].xpath(".//a/text()") == ["予約する"]
    assert editions["図解でわかる世界経済"].xpath(".//a/@href") == [
        "https://shop.example.com/world"
    ]
    assert "1,320円（税込）" in text(editions["図解でわかる世界経済"])


def test_issue_with_on_sale_after_issue_date_is_refused():
    from django.core.exceptions import ValidationError

    issue = MagazineIssue(
        issue_date=date(2026, 2, 10), on_sale_date=date(2026, 2, 11), feature_title="x"
    )
    with pytest.raises(ValidationError, match="発売日は号の日付より前"):
        issue.full_clean()
