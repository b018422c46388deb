"""The audit trail: Wagtail's log entries, with the newsroom's own actions beside the
page and snippet history Wagtail already records (create, edit, publish, unpublish,
delete, workflow steps). Wire and newsletter code calls `log_action`; the entries show in
the object's history and in 報告 → サイト履歴 in the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wagtail.log_actions import LogFormatter, registry
from wagtail.log_actions import log as wagtail_log

# action name → (label, message) as the admin shows them.
ACTIONS = {
    "sokuho.wire.received": ("配信受信", "配信記事を受信しました"),
    "sokuho.wire.held": ("配信保留", "配信記事を保留にしました"),
    "sokuho.wire.released": ("配信保留解除", "配信記事の保留を解除しました"),
    "sokuho.wire.published": ("配信記事公開", "配信記事を公開しました"),
    "sokuho.wire.updated": ("配信記事更新", "配信元の更新を反映しました"),
    "sokuho.wire.killed": ("配信取り消し", "配信元の取り消し（キル）により非公開にしました"),
    "sokuho.newsletter.sent": ("メールマガジン配信", "メールマガジンを配信しました"),
    "sokuho.newsletter.scheduled": ("メールマガジン予約", "メールマガジンの配信を予約しました"),
    "sokuho.newsletter.cancelled": ("メールマガジン中止", "メールマガジンの配信を中止しました"),
    "sokuho.newsletter.subscribers_exported": ("購読者書き出し", "購読者の一覧を書き出しました"),
    "sokuho.newsletter.subscriber_deleted": ("購読者削除", "購読者を削除しました"),
}


class UnknownAction(ValueError):
    pass


def register_actions(actions: Any) -> None:
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)

    @actions.register_action("sokuho.note")
    class NoteFormatter(LogFormatter):
        label = "記録"

        def format_message(self, log_entry: Any) -> str:
            return str((log_entry.data or {}).get("note", "記録"))


def log_action(
    instance: Any,
    action: str,
    user: Any = None,
    data: dict[str, Any] | None = None,
    log: Callable[..., Any] = wagtail_log,
) -> Any:
    """Record that `user` (None: the system, e.g. the wire) did `action` to `instance`.

    A page's entries go to its history; any other model's to the snippet log. An
    unregistered action name is a programming error and raises UnknownAction. `log`
    writes the entry: Wagtail's log, or one with the same signature that writes later
    (a wire batch writes its entries together at its end).
    """
    if not registry.action_exists(action):
        raise UnknownAction(f"unregistered audit action: {action}")
    return log(instance, action, user=user, data=data or {})
