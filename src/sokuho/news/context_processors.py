from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sokuho.news.navigation import section_links


def site_furniture(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.SOKUHO_SITE_NAME,
        "demo_mode": settings.SOKUHO_ENV == "demo",
        # Lazy: admin pages and JSON responses never pay for the query.
        "section_links": SimpleLazyObject(section_links),
    }
