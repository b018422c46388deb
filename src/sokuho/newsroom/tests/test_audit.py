"""Who did what, and when: Wagtail's log entries plus the newsroom's wire and newsletter
actions, read back from the admin's history pages."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry, PageLogEntry

from sokuho.news.tests import factories
from sokuho.newsroom import roles
from sokuho.newsroom.audit import ACTIONS, UnknownAction, log_action
from sokuho.newsroom.testing import form_values, login, make_user

pytestmark = pytest.mark.django_db


def test_publish_unpublish_and_delete_by_a_desk_are_logged_with_the_user(client):
    desk = make_user("desk-sato", roles.DESK, first_name="一郎", last_name="佐藤")
    login(client, desk)
    page = factories.article(title="監査される記事", publish=False)
    data = form_values(client, f"/admin/pages/{page.pk}/edit/")
    client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
    client.post(f"/admin/pages/{page.pk}/unpublish/", {})
    client.post(f"/admin/pages/{page.pk}/delete/", {})
    actions = list(
        PageLogEntry.objects.filter(page_id=page.pk, user=desk).values_list("action", flat=True)
    )
    assert {"wagtail.publish", "wagtail.unpublish", "wagtail.delete"} <= set(actions)


def test_wire_kill_appears_in_the_page_history_in_japanese(client):
    page = factories.article(title="取り消される配信記事")
    log_action(page, "sokuho.wire.killed", data={"wire_id": "urn:test:1"})
    entry = PageLogEntry.objects.get(page_id=page.pk, action="sokuho.wire.killed")
    assert entry.user is None and entry.data["wire_id"] == "urn:test:1"
    login(client, make_user("kanri", roles.ADMINISTRATOR))
    history = client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert ACTIONS["sokuho.wire.killed"][1] in history


def test_newsletter_action_on_a_model_shows_in_site_history(client):
    admin = make_user("kanri", roles.ADMINISTRATOR)
    provider = factories.provider()
    log_action(provider, "sokuho.newsletter.sent", user=admin, data={"recipients": 3})
    assert ModelLogEntry.objects.filter(action="sokuho.newsletter.sent", user=admin).exists()
    login(client, admin)
    report = client.get("/admin/reports/site-history/").content.decode()
    assert ACTIONS["sokuho.newsletter.sent"][1] in report


def test_an_unregistered_action_is_refused():
    with pytest.raises(UnknownAction):
        log_action(factories.provider(), "sokuho.wire.typo")
