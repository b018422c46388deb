"""`sokuho newsletter send-digest`: send today's digest now (resuming one that was cut
off), the same work the server's scheduler does at SOKUHO_DIGEST_TIME."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sokuho.newsletter.digest import SenderBusy, send_today
from sokuho.newsletter.models import Digest


class Command(BaseCommand):
    help = "メールマガジンの操作（send-digest: 本日のダイジェストを今すぐ送信）"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "send-digest",
            help="本日（日本時間）のダイジェストを作成して今すぐ送信します。中断した送信は続きから再開します。",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "send-digest":
            try:
                report = send_today()
            except SenderBusy as busy:
                raise CommandError(str(busy)) from None
            except OSError as error:
                raise CommandError(
                    f"メールサーバーに接続できません: {error}。"
                    "EMAIL_HOST と EMAIL_PORT を確認してください。送信は途中から再開できます。"
                ) from None
            if report.digest.state == Digest.State.EMPTY:
                self.stdout.write("直近24時間の記事がないため、本日のダイジェストは送信しません。")
            else:
                self.stdout.write(str(report))
