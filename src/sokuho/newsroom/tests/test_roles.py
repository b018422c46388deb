"""記者 can write and submit but reaches publishing by no path; デスク publishes in its
sections; 管理者 can do everything. Every request is the one a browser or a crafted
client would send to the real admin."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, TaskState, Workflow
from wagtail.test.utils.form_data import rich_text

from sokuho.news.models import ArticlePage
from sokuho.news.tests import factories
from sokuho.newsroom import roles
from sokuho.newsroom.testing import form_values, login, make_user

pytestmark = pytest.mark.django_db

LIVE_TITLE = "青葉市で路面電車が開業　公開済みの見出し"


@pytest.fixture
def reporter(client):
    user = make_user("kisha", roles.REPORTER)
    login(client, user)
    return user


@pytest.fixture
def draft():
    return factories.article("world", title="記者が書いた下書き", publish=False)


@pytest.fixture
def live():
    return factories.article("world", title=LIVE_TITLE)


def is_live(page) -> bool:
    return ArticlePage.objects.get(pk=page.pk).live


def reader_sees(client, page) -> int:
    page = ArticlePage.objects.get(pk=page.pk)
    return client.get(f"/world/{page.slug}/").status_code


def edit_data(client, page, **changes):
    data = form_values(client, f"/admin/pages/{page.pk}/edit/")
    data.update(changes)
    return data


# --- the groups the migration creates ------------------------------------------------
def test_migration_creates_the_three_roles_and_the_desk_workflow():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"記者", "デスク", "管理者"}
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    workflow = Workflow.objects.get(name="デスク承認")
    assert workflow.active
    section = factories.section("world")
    assert section.get_workflow() == workflow
    assert factories.article(publish=False).get_workflow() == workflow
    reporter_perms = roles.PAGE_PERMISSIONS[roles.REPORTER]
    assert "publish" not in reporter_perms


def test_administrator_role_gains_permissions_of_apps_added_later():
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    new = Permission.objects.create(
        codename="release_testitem",
        name="test",
        content_type=ContentType.objects.get_for_model(ArticlePage),
    )
    roles.complete_administrator_role()
    assert Group.objects.get(name="管理者").permissions.filter(pk=new.pk).exists()
    assert not Group.objects.get(name="デスク").permissions.filter(pk=new.pk).exists()


# --- a reporter writes, edits and submits -----------------------------------------------
def test_reporter_writes_a_draft_and_submits_it_to_the_desk(client, reporter):
    section = factories.section("japan")
    url = f"/admin/pages/add/news/articlepage/{section.pk}/"
    data = form_values(client, url)
    data.update(title="記者の新しい記事", body=rich_text("本文です。"), **{"action-submit": "1"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(title="記者の新しい記事")
    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == roles.TASK_NAME


def test_reporter_edits_a_draft(client, reporter, draft):
    data = edit_data(client, draft, title="記者が直した見出し")
    assert client.post(f"/admin/pages/{draft.pk}/edit/", data).status_code == 302
    assert ArticlePage.objects.get(pk=draft.pk).get_latest_revision_as_object().title == (
        "記者が直した見出し"
    )


def test_reporter_does_not_see_a_publish_button(client, reporter, draft):
    page = client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in page
    assert 'name="action-submit"' in page


# --- every route to publishing, refused ---------------------------------------------------
def test_crafted_publish_on_create_is_not_published(client, reporter):
    section = factories.section("japan")
    url = f"/admin/pages/add/news/articlepage/{section.pk}/"
    data = form_values(client, url)
    data.update(title="勝手に公開したい記事", body=rich_text("本文。"), **{"action-publish": "1"})
    client.post(url, data)
    for page in ArticlePage.objects.filter(title="勝手に公開したい記事"):
        assert not page.live and page.first_published_at is None


def test_crafted_publish_on_edit_leaves_the_draft_unpublished(client, reporter, draft):
    data = edit_data(client, draft, **{"action-publish": "1"})
    client.post(f"/admin/pages/{draft.pk}/edit/", data)
    assert not is_live(draft)
    assert reader_sees(client, draft) == 404


def test_crafted_publish_of_an_edit_to_a_live_article_changes_nothing_readers_see(
    client, reporter, live
):
    data = edit_data(client, live, title="記者が勝手に変えた見出し", **{"action-publish": "1"})
    client.post(f"/admin/pages/{live.pk}/edit/", data)
    stored = ArticlePage.objects.get(pk=live.pk)
    assert stored.title == LIVE_TITLE
    client.logout()
    page = client.get(stored.url).content.decode()
    assert "勝手に変えた" not in page


def test_bulk_publish_and_unpublish_are_refused(client, reporter, draft, live):
    client.post(f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}", {"include_descendants": ""})
    assert not is_live(draft)
    client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={live.pk}", {})
    assert is_live(live)


def test_unpublish_move_delete_and_privacy_of_a_live_article_are_refused(client, reporter, live):
    other = factories.section("tech")
    responses = [
        client.post(f"/admin/pages/{live.pk}/unpublish/"),
        client.post(f"/admin/pages/{live.pk}/move/{other.pk}/confirm/"),
        client.post(f"/admin/pages/{live.pk}/delete/"),
        client.post(
            f"/admin/pages/{live.pk}/privacy/",
            {"restriction_type": "password", "password": "himitsu-123"},
        ),
    ]
    assert all(response.status_code in (302, 403) for response in responses)
    stored = ArticlePage.objects.get(pk=live.pk)
    assert stored.live and stored.get_parent().specific.slug == "world"
    assert not PageViewRestriction.objects.filter(page=live).exists()


def test_copy_with_publish_copies_makes_no_live_page(client, reporter, live):
    client.post(
        f"/admin/pages/{live.pk}/copy/",
        {
            "new_title": "複製した記事",
            "new_slug": "copied-article",
            "new_parent_page": factories.section("world").pk,
            "copy_subpages": "",
            "publish_copies": "on",
            "alias": "",
        },
    )
    assert not ArticlePage.objects.filter(slug="copied-article", live=True).exists()


def test_scheduled_go_live_set_by_a_reporter_never_publishes(client, reporter, draft):
    past = timezone.localtime(timezone.now() - timedelta(minutes=5))
    data = edit_data(client, draft, go_live_at=past.strftime("%Y-%m-%d %H:%M"))
    data["action-publish"] = "1"
    client.post(f"/admin/pages/{draft.pk}/edit/", data)
    call_command("publish_scheduled")
    assert not is_live(draft)


def test_reporter_cannot_approve_a_submitted_article(client, reporter, draft):
    data = edit_data(client, draft, **{"action-submit": "1"})
    client.post(f"/admin/pages/{draft.pk}/edit/", data)
    state = TaskState.objects.get(workflow_state__object_id=str(draft.pk))
    for action in ("approve", "reject"):
        client.post(
            f"/admin/pages/workflow/action/{draft.pk}/{action}/{state.pk}/", {"comment": ""}
        )
    assert not is_live(draft)
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_reporter_cannot_revert_a_live_article_through_a_revision(client, reporter, live):
    revision = live.latest_revision
    data = edit_data(client, live, title="古い版に戻して公開", revision=revision.pk)
    data["action-publish"] = "1"
    client.post(f"/admin/pages/{live.pk}/edit/", data)
    assert ArticlePage.objects.get(pk=live.pk).title == LIVE_TITLE


def test_no_api_writes_pages(client, reporter, draft, live):
    for method in ("post", "put", "patch", "delete"):
        for url in (f"/admin/api/main/pages/{draft.pk}/", "/admin/api/main/pages/"):
            response = getattr(client, method)(
                url, json.dumps({"title": "API", "live": True}), content_type="application/json"
            )
            assert response.status_code in (403, 404, 405), (method, url, response.status_code)
    # Wagtail's admin API has page actions; they check the same permissions as the views.
    for page, action in ((draft, "publish"), (live, "unpublish"), (live, "delete")):
        response = client.post(
            f"/admin/api/main/pages/{page.pk}/action/{action}/", {}, content_type="application/json"
        )
        assert response.status_code == 403, (action, response.status_code)
    assert not is_live(draft) and is_live(live)


def test_reporter_cannot_manage_users_or_groups(client, reporter):
    assert client.get("/admin/users/").status_code in (302, 403)
    assert client.get("/admin/groups/").status_code in (302, 403)


# --- desks ------------------------------------------------------------------------------
def test_desk_approves_a_submitted_article_and_it_goes_live(client, draft):
    reporter = make_user("kisha2", roles.REPORTER)
    login(client, reporter)
    client.post(
        f"/admin/pages/{draft.pk}/edit/", edit_data(client, draft, **{"action-submit": "1"})
    )
    desk = make_user("desk", roles.DESK)
    login(client, desk)
    state = TaskState.objects.get(workflow_state__object_id=str(draft.pk))
    response = client.post(
        f"/admin/pages/workflow/action/{draft.pk}/approve/{state.pk}/", {"comment": "確認済み"}
    )
    assert response.status_code in (200, 302)
    assert is_live(draft)
    client.logout()
    assert reader_sees(client, draft) == 200


def test_desk_publishes_and_unpublishes_directly(client, draft, live):
    login(client, make_user("desk", roles.DESK))
    client.post(
        f"/admin/pages/{draft.pk}/edit/", edit_data(client, draft, **{"action-publish": "1"})
    )
    assert is_live(draft)
    client.post(f"/admin/pages/{live.pk}/unpublish/", {"include_descendants": ""})
    assert not is_live(live)


def test_section_desk_publishes_only_in_its_own_section(client):
    world_desk = roles.create_section_desk(factories.section("world"))
    user = make_user("world-desk")
    user.groups.add(world_desk)
    login(client, user)
    mine = factories.article("world", title="ワールドの下書き", publish=False)
    theirs = factories.article("tech", title="テックの下書き", publish=False)
    assert client.get(f"/admin/pages/{theirs.pk}/edit/").status_code == 302  # no editor
    crafted = edit_data(login(Client(), make_user("chief", roles.ADMINISTRATOR)), theirs)
    client.post(f"/admin/pages/{theirs.pk}/edit/", {**crafted, "action-publish": "1"})
    client.post(f"/admin/pages/{mine.pk}/edit/", edit_data(client, mine, **{"action-publish": "1"}))
    assert is_live(mine)
    assert not is_live(theirs)
    assert roles.can_handle_wire(user, factories.section("world"))
    assert not roles.can_handle_wire(user, factories.section("tech"))


def test_section_desk_cannot_approve_another_sections_article(client):
    reporter = make_user("kisha3", roles.REPORTER)
    theirs = factories.article("tech", title="テックの提出記事", publish=False)
    login(client, reporter)
    client.post(
        f"/admin/pages/{theirs.pk}/edit/", edit_data(client, theirs, **{"action-submit": "1"})
    )
    state = TaskState.objects.get(workflow_state__object_id=str(theirs.pk))
    user = make_user("world-desk")
    user.groups.add(roles.create_section_desk(factories.section("world")))
    login(client, user)
    client.post(f"/admin/pages/workflow/action/{theirs.pk}/approve/{state.pk}/", {"comment": ""})
    assert not is_live(theirs)
    assert state.task.specific.get_actions(Page.objects.get(pk=theirs.pk), user) == []


def test_administrator_manages_users(client):
    login(client, make_user("kanri", roles.ADMINISTRATOR))
    assert client.get("/admin/users/").status_code == 200
    assert client.get("/admin/groups/").status_code == 200
