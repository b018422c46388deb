from django.apps import AppConfig


class SponsoredConfig(AppConfig):
    name = "sokuho.sponsored"
    label = "sponsored"
    verbose_name = "広告・タイアップ"

    def ready(self) -> None:
        from sokuho.sponsored import signals  # noqa: F401
