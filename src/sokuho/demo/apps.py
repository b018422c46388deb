from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sokuho.demo"
    label = "demo"
    verbose_name = "デモ"
