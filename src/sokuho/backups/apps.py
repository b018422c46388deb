from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "sokuho.backups"
    label = "backups"
    verbose_name = "バックアップ"
