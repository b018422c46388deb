from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Japanese full-text search over published articles.

    The label is "search"; Wagtail's own search app is "wagtailsearch", so they do not clash.
    """

    name = "sokuho.search"
    label = "search"
    verbose_name = "記事検索"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sokuho.search import signals

        post_migrate.connect(signals.prune_index, sender=self)
