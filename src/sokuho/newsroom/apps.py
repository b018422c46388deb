from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "sokuho.newsroom"
    label = "newsroom"
    verbose_name = "編集部"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from sokuho.newsroom import roles

        # Apps added later bring new permissions: 管理者 keeps "everything".
        post_migrate.connect(roles.complete_administrator_role, dispatch_uid="sokuho-admin-role")
