from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "sokuho.news"
    label = "news"
    verbose_name = "ニュース"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sokuho.news import signals

        post_migrate.connect(signals.create_site_structure, sender=self)
