"""`sokuho manage wire_token CODE`: issue a provider's push token (shown once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sokuho.wire.rules import UnknownProvider, provider_by_code, rule_for


class Command(BaseCommand):
    help = "配信元の HTTP 受信用トークンを発行します（前のトークンは無効になります）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("provider", help="配信元コード")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            provider = provider_by_code(options["provider"])
        except UnknownProvider as error:
            raise CommandError(str(error), returncode=2) from None
        rule = rule_for(provider)
        token = rule.new_token()
        rule.save(update_fields=["token_hash", "token_set_at"])
        self.stdout.write(
            f"{provider.name} のトークン（この一度だけ表示します）:\n{token}\n"
            f"送信先: POST /wire/{provider.code}/  ヘッダー: Authorization: Bearer <トークン>"
        )
