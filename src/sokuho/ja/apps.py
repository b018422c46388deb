from django.apps import AppConfig


class JapaneseTextConfig(AppConfig):
    name = "sokuho.ja"
    label = "ja"
    verbose_name = "日本語テキスト"
