from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "sokuho.scheduler"
    label = "scheduler"
    verbose_name = "スケジューラー"

    def ready(self) -> None:
        from sokuho.scheduler import jobs

        jobs.register_builtin_jobs()
