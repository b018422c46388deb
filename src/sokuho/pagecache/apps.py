from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "sokuho.pagecache"
    label = "pagecache"
    verbose_name = "ページキャッシュ"

    def ready(self) -> None:
        from sokuho.pagecache import signals  # noqa: F401
