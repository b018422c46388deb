"""Demo newsroom: a sample reporter and desk, and a reporter's draft awaiting the desk."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sokuho.newsroom import roles

DEMO_STAFF = [
    ("demo-kisha", "春香", "青木（サンプル）", roles.REPORTER),
    ("demo-desk", "健一", "森田（サンプル）", roles.DESK),
]
DRAFT_SLUG = "demo-awaiting-desk"


def load_newsroom_demo(now: datetime | None = None) -> None:
    """Idempotent. The sample staff have no usable password: an administrator sets one."""
    from sokuho.news.models import ArticlePage, SectionPage

    User = get_user_model()
    staff = {}
    for username, first, last, role in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.invalid",
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(Group.objects.get(name=role))
        staff[role] = user
    if ArticlePage.objects.filter(slug=DRAFT_SLUG).exists():
        return
    section = SectionPage.objects.get(slug="japan")
    draft = ArticlePage(
        title="架空の青葉市、市立図書館の夜間開館を試行へ",
        slug=DRAFT_SLUG,
        summary="記者が書き、デスクの承認を待っている下書きのサンプルです。",
        body=(
            "<p>架空の青葉市は、市立図書館の夜間開館を来月から試行すると発表した。</p>"
            "<p><i>※この記事はsokuhoのデモ用に作成した架空のサンプル記事です。"
            "デスク承認の流れを試すための下書きで、公開されていません。</i></p>"
        ),
        owner=staff[roles.REPORTER],
        live=False,
    )
    section.add_child(instance=draft)
    draft.save_revision(user=staff[roles.REPORTER])
    draft.get_workflow().start(draft, staff[roles.REPORTER])
