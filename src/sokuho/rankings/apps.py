from django.apps import AppConfig


class RankingsConfig(AppConfig):
    name = "sokuho.rankings"
    label = "rankings"
    verbose_name = "人気ランキング"

    def ready(self) -> None:
        from sokuho.rankings import counting, signals, snapshot  # noqa: F401
        from sokuho.rankings.conf import config
        from sokuho.scheduler import jobs

        jobs.register("rankings_refresh", config()["REFRESH_SECONDS"], snapshot.refresh)
        # Views wait at most FLUSH_SECONDS when beacons keep coming; this catches the
        # last ones of a quiet moment.
        jobs.register("rankings_flush", 1, counting.flush)
