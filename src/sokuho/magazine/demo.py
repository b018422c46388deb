"""Demo data for the rest of the reference page: magazine issues, MOOKs, branded
series, quizzes and a few newsletter subscribers. All of it is fictional sample content.
Idempotent: what exists is left alone."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO

from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model

from sokuho.magazine.covers import draw_cover
from sokuho.magazine.models import MagazineIssue, MagazineIssueArticle, SpecialEdition, today_jst

SAMPLE = "※デモ用の架空のサンプルです。"

ISSUES = [
    ("物流の2030年問題", "人手不足の倉庫と配送の現場を歩き、自動化と働き方の行方を探る。"),
    ("地方鉄道は生き残れるか", "利用者が減り続ける路線で、まちと鉄道が選んだそれぞれの道。"),
    ("生成AIと仕事の未来", "職場に入り込んだ生成AI。使いこなす人と戸惑う人、その差はどこに。"),
    ("水産業の再出発", "漁獲量の変化に揺れる港町。養殖と新しい販路に挑む人々を追った。"),
    ("円相場と家計", "値上げが続く食卓と、為替に振り回される中小企業の声を集めた。"),
    ("大学発スタートアップ", "研究室から生まれた会社は、どうやって資金と人材を集めたのか。"),
    ("子育てと住まい", "郊外と都心、賃貸と持ち家。子育て世帯の住まい選びの現実。"),
    ("再生可能エネルギーの現場", "洋上風力と小水力、地域に根ざした発電所の挑戦を訪ねる。"),
]

EDITIONS = [
    {
        "title": "週刊速報 別冊　図解でわかる世界経済2027",
        "slug": "world-economy-2027",
        "kind": "別冊",
        "price_yen": 1320,
        "days_from_today": -20,
        "in_stock": True,
        "blurb": "為替、資源、貿易の流れを図解でまとめた一冊。",
    },
    {
        "title": "速報MOOK　はじめての資産形成",
        "slug": "first-investing",
        "kind": "MOOK",
        "price_yen": 1100,
        "days_from_today": 12,
        "in_stock": True,
        "blurb": "積み立ての基本から税制まで、初めての人のための入門書。",
    },
    {
        "title": "速報MOOK　全国ローカル線の旅",
        "slug": "local-lines",
        "kind": "MOOK",
        "price_yen": 1540,
        "days_from_today": -90,
        "in_stock": False,
        "blurb": "全国のローカル線を写真と地図でたどる旅のガイド。",
    },
]


def _image(title: str, data: bytes, name: str):
    return get_image_model().objects.create(
        title=f"{title}（サンプル）", file=ImageFile(BytesIO(data), name=name)
    )


def load_magazine_demo(now: datetime | None = None) -> None:
    from sokuho.news.models import ArticlePage

    now = now or timezone.now()
    if MagazineIssue.objects.exists():
        return
    today = today_jst()
    # Weekly issues dated a week after they go on sale; the newest is not on sale yet.
    next_on_sale = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    articles = list(
        ArticlePage.objects.live().filter(sponsor__isnull=True).order_by("-first_published_at")[:40]
    )
    for index, (feature, blurb) in enumerate(ISSUES):
        on_sale = next_on_sale - timedelta(weeks=index)
        issue_date = on_sale + timedelta(days=7)
        issue = MagazineIssue.objects.create(
            issue_date=issue_date,
            on_sale_date=on_sale,
            feature_title=feature,
            blurb=f"{blurb}{SAMPLE}",
            cover=_image(
                f"週刊速報 {issue_date:%Y年%m月%d日}号 表紙",
                draw_cover("SOKUHO WEEKLY", issue_date, 20 + index * 41),
                f"demo-issue-{issue_date:%Y%m%d}.jpg",
            ),
        )
        for order, article in enumerate(articles[index * 4 : index * 4 + 4]):
            MagazineIssueArticle.objects.create(issue=issue, article=article, sort_order=order)
    for index, item in enumerate(EDITIONS):
        item = dict(item)
        on_sale = today + timedelta(days=item.pop("days_from_today"))
        SpecialEdition.objects.create(
            **{**item, "blurb": f"{item['blurb']}{SAMPLE}"},
            on_sale_date=on_sale,
            order_url=f"https://example.com/books/{item['slug']}",
            cover=_image(
                f"{item['title']} 表紙",
                draw_cover("SOKUHO MOOK", on_sale, 200 + index * 60, item["slug"]),
                f"demo-mook-{item['slug']}.jpg",
            ),
        )


def load_demo_extras(now: datetime | None = None) -> None:
    """Everything beyond the newsroom's articles, in one call from the demo loader."""
    from sokuho.newsletter.demo import load_newsletter_demo
    from sokuho.quizzes.demo import load_quiz_demo
    from sokuho.sponsored.demo import load_sponsored_demo

    now = now or timezone.now()
    load_sponsored_demo(now)
    load_quiz_demo(now)
    load_magazine_demo(now)
    load_newsletter_demo(now)
