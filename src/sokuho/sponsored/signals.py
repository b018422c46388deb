from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sokuho.pagecache.tags import LISTINGS, SITE, purge
from sokuho.sponsored.models import BrandedSeries, Sponsor


@receiver(post_save, sender=Sponsor)
@receiver(post_delete, sender=Sponsor)
@receiver(post_save, sender=BrandedSeries)
@receiver(post_delete, sender=BrandedSeries)
def sponsor_changed(sender: Any, **kwargs: Any) -> None:
    # 「提供：…」 appears on the sponsor's articles and in every list that shows them.
    purge(SITE, LISTINGS)
