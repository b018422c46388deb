from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site_furniture(request: HttpRequest) -> dict[str, Any]:
    # The section links are the site_nav() template function's (news.jinja2tags).
    return {
        "site_name": settings.SOKUHO_SITE_NAME,
        "demo_mode": settings.SOKUHO_ENV == "demo",
    }
