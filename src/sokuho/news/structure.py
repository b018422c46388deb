"""The page tree every sokuho site starts with: home, the six sections, まとめ and 記者."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

DEFAULT_SECTIONS = [
    ("world", "ワールド", "世界各地のニュース"),
    ("business", "ビジネス", "経済・企業・マーケット"),
    ("japan", "日本", "国内の政治・社会"),
    ("tech", "テック", "テクノロジーと科学"),
    ("culture", "カルチャー", "芸術・エンタメ・スポーツ"),
    ("life", "ライフ", "暮らし・健康・食"),
]


@transaction.atomic
def ensure_site_structure(site_name: str = "速報ニュース") -> bool:
    """Create the tree once, replacing Wagtail's welcome page. True when it was created."""
    from sokuho.news.models import AuthorIndexPage, HomePage, SectionPage, TopicIndexPage

    if HomePage.objects.exists():
        return False
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    # Wagtail's initial migration leaves a placeholder page; its slug would clash.
    for placeholder in root.get_children().filter(content_type__model="page"):
        placeholder.delete()
    home = root.add_child(instance=HomePage(title=site_name, slug="home", seo_title=site_name))
    for slug, title, description in DEFAULT_SECTIONS:
        home.add_child(
            instance=SectionPage(
                title=title, slug=slug, description=description, show_in_menus=True
            )
        )
    home.add_child(instance=TopicIndexPage(title="まとめ", slug="topics"))
    home.add_child(instance=AuthorIndexPage(title="記者", slug="author"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=site_name
        )
    else:
        site.root_page = home
        site.site_name = site_name
        site.save()
    return True


def sync_default_site(base_url: str) -> None:
    """Make the default site's host and port those of the public base URL, so absolute
    URLs (sitemaps, feeds, canonical links, JSON-LD) point where readers are."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    if not parts.hostname:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site and (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save()
