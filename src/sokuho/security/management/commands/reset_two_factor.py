from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sokuho.security.two_factor import reset_devices


class Command(BaseCommand):
    help = (
        "利用者の二段階認証の端末を削除します（端末を紛失したとき）。"
        "次回のログインで設定し直します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ユーザー {username} は存在しません。")
        count = reset_devices(user)
        self.stdout.write(f"{username} の認証端末を {count} 件削除しました。")
