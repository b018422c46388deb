from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "sokuho.newsletter"
    label = "newsletter"
    verbose_name = "メールマガジン"

    def ready(self) -> None:
        from sokuho.newsletter import checks, jobs  # noqa: F401 -- registers checks

        jobs.register_jobs()
