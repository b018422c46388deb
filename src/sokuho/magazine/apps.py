from django.apps import AppConfig


class MagazineConfig(AppConfig):
    name = "sokuho.magazine"
    label = "magazine"
    verbose_name = "雑誌・MOOK"

    def ready(self) -> None:
        from sokuho.magazine import signals  # noqa: F401
