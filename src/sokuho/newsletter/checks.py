from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.compatibility)
def newsletter_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    from sokuho.newsletter.digest import digest_time

    try:
        digest_time()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="newsletter.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def newsletter_links_use_https(app_configs, **kwargs) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    if settings.SOKUHO_ENV == "production" and not settings.SOKUHO_BASE_URL.startswith("https://"):
        problems.append(
            checks.Warning(
                "SOKUHO_BASE_URL が https ではありません。メールの確認・配信停止リンクは"
                "公開サイトの https の URL にしてください。",
                id="newsletter.W001",
            )
        )
    return problems
