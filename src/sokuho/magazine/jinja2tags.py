"""The magazine and MOOK promos in the reader site's templates."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

from sokuho.magazine.promos import promos
from sokuho.news.fragments import fragment


@fragment("magazine/includes/magazine_promo.html")
def magazine_promo() -> dict[str, Any]:
    return {"issue": promos()["issue"]}


@fragment("magazine/includes/mook_promo.html")
def mook_promo() -> dict[str, Any]:
    return {"editions": promos()["editions"]}


class MagazineExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals.update(magazine_promo=magazine_promo, mook_promo=mook_promo)


magazine = MagazineExtension
