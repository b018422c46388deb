"""Deleting a sponsor whose articles exist is refused by the admin, with the reason."""

import pytest
from django.contrib.auth import get_user_model

from sokuho.news.tests import factories
from sokuho.sponsored.models import Sponsor

pytestmark = pytest.mark.django_db


def test_deleting_a_sponsor_with_articles_is_refused_in_the_admin(client):
    user = get_user_model().objects.create_superuser("desk", "desk@example.invalid", "p" * 20)
    client.force_login(user)
    sponsor = Sponsor.objects.create(name="広告主（テスト用）")
    factories.article(title="広告記事", sponsor=sponsor, ad_label="PR")
    url = f"/admin/snippets/sponsored/sponsor/delete/{sponsor.pk}/"
    page = client.get(url).content.decode()
    assert "prevent it from being deleted" in page
    response = client.post(url)
    assert response.status_code in (302, 403)
    assert Sponsor.objects.filter(pk=sponsor.pk).exists()
