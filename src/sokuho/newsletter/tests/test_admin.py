"""The admin's メールマガジン screens: subscribers with their state, and every send."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from sokuho.news.tests import factories
from sokuho.newsletter.digest import send_today
from sokuho.newsletter.models import Digest, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("desk", "desk@example.invalid", "p" * 20)
    client.force_login(user)
    return client


def test_subscribers_and_their_state(editor_client):
    Subscriber.objects.create(email="taro@example.jp", state="subscribed")
    Subscriber.objects.create(email="hanako@example.jp", state="pending")
    page = editor_client.get("/admin/snippets/newsletter/subscriber/").content.decode()
    assert "taro@example.jp" in page and "購読中" in page
    assert "hanako@example.jp" in page and "確認待ち" in page
    filtered = editor_client.get("/admin/snippets/newsletter/subscriber/?state=pending")
    assert "hanako@example.jp" in filtered.content.decode()
    assert "taro@example.jp" not in filtered.content.decode()


def test_each_send_with_its_counts_and_no_way_to_forge_one(editor_client):
    factories.article(title="朝のニュース")
    for n in range(3):
        Subscriber.objects.create(email=f"reader{n}@example.jp", state="subscribed")
    send_today()
    digest = Digest.objects.get()
    listing = editor_client.get("/admin/snippets/newsletter/digest/").content.decode()
    assert "送信完了" in listing and "送信済み 3" in listing
    inspect = editor_client.get(f"/admin/snippets/newsletter/digest/inspect/{digest.pk}/")
    assert inspect.status_code == 200 and "朝のニュース" in inspect.content.decode()
    assert editor_client.get("/admin/snippets/newsletter/digest/add/").status_code in (302, 403)
    edit = editor_client.get(f"/admin/snippets/newsletter/digest/edit/{digest.pk}/")
    assert edit.status_code in (302, 403)


def test_magazine_and_sponsor_screens_render(editor_client):
    for url in (
        "/admin/snippets/magazine/magazineissue/",
        "/admin/snippets/magazine/magazineissue/add/",
        "/admin/snippets/magazine/specialedition/add/",
        "/admin/snippets/sponsored/sponsor/add/",
        "/admin/snippets/sponsored/brandedseries/add/",
        f"/admin/pages/add/quizzes/quizpage/{factories.section('japan').id}/",
    ):
        assert editor_client.get(url).status_code == 200, url
