from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "sokuho.wire"
    label = "wire"
    verbose_name = "配信受信"
