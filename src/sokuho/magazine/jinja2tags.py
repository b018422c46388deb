"""The magazine and MOOK promos in the reader site's templates."""

from __future__ import annotations

from typing import Any

from sokuho.magazine.promos import promos
from sokuho.news.fragments import fragment
from sokuho.templating import extension


@fragment("magazine/includes/magazine_promo.html")
def magazine_promo() -> dict[str, Any]:
    return {"issue": promos()["issue"]}


@fragment("magazine/includes/mook_promo.html")
def mook_promo() -> dict[str, Any]:
    return {"editions": promos()["editions"]}


magazine = extension({"magazine_promo": magazine_promo, "mook_promo": mook_promo})
