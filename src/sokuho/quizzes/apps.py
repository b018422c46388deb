from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "sokuho.quizzes"
    label = "quizzes"
    verbose_name = "クイズ"
