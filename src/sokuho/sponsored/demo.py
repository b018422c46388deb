"""Demo sponsors and branded series: fictional companies, clearly marked sample ads."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.html import escape

from sokuho.sponsored.models import BrandedSeries, Sponsor

NOTICE = (
    "※この記事はデモ用の架空のサンプル記事（広告の表示例）です。"
    "登場する人物・企業・団体はすべて架空です。"
)

SERIES = [
    {
        "sponsor": "みなと精機株式会社（架空）",
        "title": "CHALLENGING INNOVATOR",
        "slug": "challenging-innovator",
        "label": "PR",
        "description": "ものづくりの現場で新しい挑戦を続ける人たちを紹介するシリーズ。",
        "articles": [
            (
                "business",
                30,
                "町工場の三代目、精密加工で宇宙部品に挑む",
                [
                    "青葉市の小さな工場が、人工衛星向けの部品づくりに取り組んでいる。",
                    "三代目の社長は「失敗の記録こそが財産」と話す。",
                ],
            ),
            (
                "tech",
                54,
                "センサー一つで工場の電力を二割削減した若手技術者",
                [
                    "工場の機械に後付けできる小型センサーで、無駄な待機電力を見つけ出した。",
                    "導入した工場では、電力の使用量が約2割減ったという。",
                ],
            ),
        ],
    },
    {
        "sponsor": "さくら生活ホールディングス（架空）",
        "title": "Wonderful Story",
        "slug": "wonderful-story",
        "label": "広告",
        "description": "暮らしを少し豊かにする人と商品の物語。",
        "articles": [
            (
                "life",
                40,
                "100年続く味噌蔵が挑んだ、減塩でもおいしい味噌",
                [
                    "創業100年の味噌蔵が、塩分を抑えた新しい味噌を開発した。",
                    "試作は200回を超えたという。",
                ],
            ),
            (
                "life",
                70,
                "「朝ごはんを一緒に」地域食堂を支える人たち",
                [
                    "週に一度、子どもと高齢者が一緒に朝ごはんを食べる食堂が開かれている。",
                    "運営を支えるのは、地域のボランティアと地元企業だ。",
                ],
            ),
        ],
    },
    {
        "sponsor": "北星リアルティ株式会社（架空）",
        "title": "Real",
        "slug": "real",
        "label": "PR",
        "description": "住まいと街の「いま」をリアルに伝えるシリーズ。",
        "articles": [
            (
                "business",
                90,
                "駅前再開発で変わる街、住民が選んだ「残すもの」",
                [
                    "駅前の再開発にあたり、住民は古い商店街のアーケードを残すことを選んだ。",
                    "新旧が混ざる街並みが、若い世代を呼び込んでいる。",
                ],
            ),
        ],
    },
]


def load_sponsored_demo(now: datetime) -> None:
    from sokuho.news.models import ArticlePage, SectionPage

    if BrandedSeries.objects.exists():
        return
    sections = {section.slug: section for section in SectionPage.objects.all()}
    for item in SERIES:
        sponsor = Sponsor.objects.create(
            name=item["sponsor"],
            url="https://example.com/",
            disclosure=f"この記事は{item['sponsor']}の提供でお送りします（デモ用の架空の広告です）。",
        )
        series = BrandedSeries.objects.create(
            title=item["title"],
            slug=item["slug"],
            sponsor=sponsor,
            label=item["label"],
            description=item["description"],
        )
        for number, (section, hours_ago, headline, paragraphs) in enumerate(item["articles"]):
            body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
            body += '<p><a href="https://example.com/">提供企業のサイト（架空）</a></p>'
            body += f"<p><i>{escape(NOTICE)}</i></p>"
            page = ArticlePage(
                title=headline,
                slug=f"{item['slug']}-{number + 1}",
                summary=paragraphs[0],
                body=body,
                ad_label=item["label"],
                sponsor=sponsor,
                branded_series=series,
            )
            sections[section].add_child(instance=page)
            page.save_revision().publish()
            published = now - timedelta(hours=hours_ago)
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=published, last_published_at=published
            )
