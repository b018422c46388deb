import pytest

from sokuho.news.models import ArticleCorrection, ArticlePage, SectionPage
from sokuho.news.tests import factories


@pytest.fixture
def reader_site(db):
    """One of each page a reader opens, with the URLs to open."""
    author = factories.author()
    topic = factories.topic()
    article = factories.article(
        "world",
        authors=[author],
        topics=[topic],
        provider=factories.provider(),
        dateline_place="ノルデン",
        lead_image=factories.image(),
        lead_image_alt="代替テキスト",
        lead_image_caption="キャプション",
        lead_image_credit="クレジット",
    )
    return {
        "article": article,
        "urls": [
            "/",
            "/world/",
            article.url,
            "/topics/",
            topic.url,
            "/author/",
            author.url,
            "/breaking/",
            "/feeds/rss.xml",
            "/sitemap.xml",
            "/robots.txt",
            "/no-such-page/",
        ],
    }


SHORT = "<svg onload=alert()>"  # fits a 20-character field


def payload(field: str) -> str:
    return (
        f'{field}"><script>window.__xss=1;alert("{field}")</script>'
        f"<img src=x onerror=\"window.__xss=1;alert('{field}')\">"
        f"</script><script>alert(1)</script>'-alert(1)-'{{{{7*7}}}}"
    )


BODY = (
    "<p>本文<script>window.__xss=1;alert('body')</script>"
    "<img src=x onerror=alert('body-img')>"
    "<a href=\"javascript:alert('link')\">リンク</a>"
    '<a href=" JaVaScRiPt:alert(1)">リンク2</a></p>'
    '<iframe src="javascript:alert(1)"></iframe><style>body{display:none}</style>'
    '<p onmouseover="alert(1)" style="background:url(javascript:alert(1))">二段落</p>'
    "<svg><script>alert('svg')</script></svg><math><mtext><img src=x onerror=alert(1)>"
)


@pytest.fixture
def hostile_site():
    """Every field an editor or a wire fills, filled with markup and script."""
    wire = factories.provider(
        name=payload("provider")[:100],
        code="evil-wire",
        signature='"><img src=x onerror=alert(1)>',
        copyright_template=payload("copyright")[:200] + " {year}",
    )
    author = factories.author(
        payload("author")[:200],
        "evil-author",
        name_romanized=payload("romaji")[:120],
        affiliation=payload("affiliation")[:120],
        bio=payload("bio"),
    )
    topic = factories.topic(payload("topic")[:200], "evil-topic")
    topic.description = payload("topic-description")
    topic.save_revision().publish()
    section = SectionPage.objects.get(slug="world")
    section.description = payload("section")
    section.save_revision().publish()
    article = factories.article(
        "world",
        title=payload("headline"),
        summary=payload("summary")[:400],
        body=BODY,
        provider=wire,
        dateline_place=SHORT,
        authors=[author],
        topics=[topic],
        lead_image=factories.image(title=payload("image-title")[:200]),
        lead_image_alt=payload("alt")[:255],
        lead_image_caption=payload("caption"),
        lead_image_credit=payload("credit")[:255],
        seo_title=payload("seo")[:255],
        search_description=payload("description"),
    )
    ArticleCorrection.objects.create(page=article, note=payload("correction"))
    # A label outside the choices, as a careless importer could write it.
    ArticlePage.objects.filter(pk=article.pk).update(label=SHORT)
    return [
        article.url,
        "/",
        "/world/",
        topic.url,
        "/topics/",
        author.url,
        "/author/",
        "/breaking/",
    ]
