from django import template

from sokuho.magazine.promos import promos

register = template.Library()


@register.inclusion_tag("magazine/includes/magazine_promo.html")
def magazine_promo() -> dict:
    return {"issue": promos()["issue"]}


@register.inclusion_tag("magazine/includes/mook_promo.html")
def mook_promo() -> dict:
    return {"editions": promos()["editions"]}
