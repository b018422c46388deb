from django import template

from sokuho.magazine.promos import promos
from sokuho.news.fragments import fragment_tag

register = template.Library()


@fragment_tag(register, "magazine/includes/magazine_promo.html")
def magazine_promo() -> dict:
    return {"issue": promos()["issue"]}


@fragment_tag(register, "magazine/includes/mook_promo.html")
def mook_promo() -> dict:
    return {"editions": promos()["editions"]}
