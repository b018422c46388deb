from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from sokuho.news import routing
from sokuho.news.models import ArticlePage, SectionPage
from sokuho.news.navigation import forget_section_links


@receiver(page_published, sender=SectionPage)
@receiver(page_unpublished, sender=SectionPage)
@receiver(post_delete, sender=SectionPage)
def section_changed(sender: Any, **kwargs: Any) -> None:
    forget_section_links()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def routing_changed(sender: Any, **kwargs: Any) -> None:
    routing.forget()


@receiver(post_page_move, sender=ArticlePage)
def article_moved(sender: Any, instance: Any, parent_page_after: Any, **kwargs: Any) -> None:
    # Wagtail saves a moved page as a plain Page, so ArticlePage.save never updates section.
    ArticlePage.objects.filter(pk=instance.pk).update(section_id=parent_page_after.pk)


def create_site_structure(sender: Any, **kwargs: Any) -> None:
    from django.conf import settings

    from sokuho.news.structure import ensure_site_structure

    ensure_site_structure(settings.SOKUHO_SITE_NAME)
