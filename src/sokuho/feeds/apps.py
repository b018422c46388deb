from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "sokuho.feeds"
    label = "feeds"
    verbose_name = "フィードとサイトマップ"
