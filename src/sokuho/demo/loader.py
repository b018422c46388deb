"""Builds the demo site from `content.py` through the same models and publishing path
an editor uses. Idempotent: a loaded site is left alone."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Revision

from sokuho.demo import content
from sokuho.demo.images import draw_photo
from sokuho.magazine.demo import load_demo_extras
from sokuho.news.models import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    Provider,
    SectionPage,
    TopicIndexPage,
    TopicPage,
)
from sokuho.news.structure import ensure_site_structure
from sokuho.newsroom.demo import load_newsroom_demo
from sokuho.rankings.demo import load_demo_activity
from sokuho.search.demo import index_demo_articles
from sokuho.wire.demo import load_demo_wire

ADMIN_USERNAME = "admin"


def demo_is_loaded() -> bool:
    return ArticlePage.objects.exists()


def create_admin_account() -> tuple[str, str] | None:
    """A superuser with a random password, once; None when an administrator exists."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(ADMIN_USERNAME, "admin@example.invalid", password)
    return ADMIN_USERNAME, password


def body_html(paragraphs: list[str]) -> str:
    notice = f"<p><i>※{escape(content.SAMPLE_NOTICE)}</i></p>"
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs) + notice


@transaction.atomic
def load_demo(now: datetime | None = None) -> str:
    now = now or timezone.now()
    ensure_site_structure()
    providers = {
        item["code"]: Provider.objects.update_or_create(code=item["code"], defaults=item)[0]
        for item in content.PROVIDERS
    }
    sections = {section.slug: section for section in SectionPage.objects.all()}
    for slug, _title, description in content.SECTIONS:
        if slug in sections:
            sections[slug].description = description
            sections[slug].save_revision().publish()
    author_index = AuthorIndexPage.objects.get()
    authors = {}
    for item in content.AUTHORS:
        page = AuthorPage.objects.filter(slug=item["slug"]).first() or author_index.add_child(
            instance=AuthorPage(
                title=item["name"],
                slug=item["slug"],
                name_romanized=item.get("name_romanized", ""),
                affiliation=item.get("affiliation", ""),
                bio=item.get("bio", ""),
            )
        )
        authors[item["slug"]] = page
    topic_index = TopicIndexPage.objects.get()
    topics = {}
    for item in content.TOPICS:
        page = TopicPage.objects.filter(slug=item["slug"]).first() or topic_index.add_child(
            instance=TopicPage(
                title=item["title"], slug=item["slug"], description=item["description"]
            )
        )
        topics[item["slug"]] = page

    for item in sorted(content.ARTICLES, key=lambda article: -article["hours_ago"]):
        create_article(item, now, sections, providers, authors, topics)
    load_demo_extras(now)
    index_demo_articles()
    load_demo_activity(now)
    load_newsroom_demo(now)
    load_demo_wire(now)
    return (
        f"デモ記事 {ArticlePage.objects.count()} 本、記者 {len(authors)} 人、"
        f"まとめ {len(topics)} 件、配信元 {len(providers)} 社を作成しました。"
    )


def create_article(item, now, sections, providers, authors, topics) -> ArticlePage:
    published = now - timedelta(hours=item["hours_ago"])
    photo = item.get("photo")
    page = ArticlePage(
        title=item["headline"],
        slug=item["key"],
        label=item.get("label", ""),
        summary=item["summary"],
        body=body_html(item["paragraphs"]),
        provider=providers.get(item.get("provider") or ""),
        dateline_place=item.get("dateline", ""),
        is_breaking=item.get("breaking_hours", 0) > 0,
        breaking_until=(
            published + timedelta(hours=item["breaking_hours"])
            if item.get("breaking_hours")
            else None
        ),
    )
    if photo:
        page.lead_image = make_image(item["key"], item["headline"], photo)
        page.lead_image_alt = photo["alt"]
        page.lead_image_caption = photo["caption"]
        page.lead_image_credit = photo["credit"]
    page.bylines = [ArticleByline(author=authors[slug]) for slug in item.get("authors", [])]
    page.corrections = [
        ArticleCorrection(
            corrected_at=published + timedelta(hours=correction["hours_after"]),
            note=correction["note"],
        )
        for correction in item.get("corrections", [])
    ]
    page.topics = [topics[slug] for slug in item.get("topics", [])]
    sections[item["section"]].add_child(instance=page)
    revision = page.save_revision()
    revision.publish()
    # Back-date what the publishing step stamped "now" to the story's own times.
    updated = published + timedelta(hours=item.get("updated_hours_after", 0) or 0)
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=published,
        last_published_at=updated,
        latest_revision_created_at=updated,
    )
    Revision.objects.filter(pk=revision.pk).update(created_at=updated)
    return page


def make_image(key: str, headline: str, photo: dict):
    Image = get_image_model()
    data = draw_photo(photo.get("hue", 200), photo.get("motif", "city"), key)
    from io import BytesIO

    return Image.objects.create(
        title=f"{headline[:80]}（サンプル写真）",
        file=ImageFile(BytesIO(data), name=f"demo-{key}.jpg"),
    )
