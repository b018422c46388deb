from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "sokuho.related"
    label = "related"
    verbose_name = "あわせて読みたい"

    def ready(self) -> None:
        from sokuho.related import signals  # noqa: F401
