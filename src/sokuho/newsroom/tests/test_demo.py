import pytest
from django.contrib.auth import get_user_model

from sokuho.news.models import ArticlePage
from sokuho.newsroom.demo import DRAFT_SLUG, load_newsroom_demo

pytestmark = pytest.mark.django_db


def test_demo_has_staff_without_passwords_and_a_draft_awaiting_the_desk(client):
    load_newsroom_demo()
    load_newsroom_demo()  # idempotent
    reporter = get_user_model().objects.get(username="demo-kisha")
    assert not reporter.has_usable_password()
    assert reporter.groups.get().name == "記者"
    draft = ArticlePage.objects.get(slug=DRAFT_SLUG)
    assert not draft.live and draft.workflow_in_progress
    assert "サンプル" in draft.body
    assert client.get(f"/japan/{DRAFT_SLUG}/").status_code == 404
