from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sokuho.magazine import promos
from sokuho.magazine.models import MagazineIssue, SpecialEdition


@receiver(post_save, sender=MagazineIssue)
@receiver(post_delete, sender=MagazineIssue)
@receiver(post_save, sender=SpecialEdition)
@receiver(post_delete, sender=SpecialEdition)
def promo_changed(sender: Any, **kwargs: Any) -> None:
    promos.forget()
