"""The editor's view: 受信記録 (what came in, the decision and why), 配信ルール, and the
warning on a killed article. The log is read-only, even for superusers."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from lxml import html as lxml_html

from sokuho.newsroom.roles import DESK, REPORTER
from sokuho.newsroom.testing import login, make_user
from sokuho.wire.models import Result, WireItemRecord, WireRule
from sokuho.wire.tests.ingest_helpers import fixture, ingest, only

pytestmark = pytest.mark.django_db

RECORDS = "/admin/wire/records/"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.invalid", "p" * 20)
    client.force_login(user)
    return client


@pytest.fixture
def log(sample_provider):
    ingest("newsmlg2/update_v1.xml", sample_provider, "update_v1.xml")
    ingest("newsmlg2/update_v2.xml", sample_provider, "update_v2.xml")
    ingest("newsmlg2/update_v1.xml", sample_provider, "update_v1.xml")
    ingest("newsmlg2/kill.xml", sample_provider, "kill.xml")
    ingest(fixture("hostile/billion_laughs.xml"), sample_provider, "billion_laughs.xml")
    return WireItemRecord.objects.order_by("id")


def rows(response) -> list[str]:
    tree = lxml_html.fromstring(response.content.decode())
    return [
        " ".join(row.text_content().split())
        for row in tree.xpath("//table[contains(@class, 'listing')]/tbody/tr")
    ]


def test_the_log_lists_every_item_with_its_decision_reason_and_article(admin_client, log):
    response = admin_client.get(RECORDS)
    assert response.status_code == 200
    text = response.content.decode()
    assert "受信記録" in text
    listed = rows(response)
    assert len(listed) == 5
    assert any("配信取り消し" in row and "配信元が取り消しました" in row for row in listed)
    assert any("無視（旧版・同一版）" in row and "より古い版" in row for row in listed)
    assert any("拒否" in row and "billion_laughs.xml" in row for row in listed)
    assert any("更新" in row and "第2版" in row for row in listed)
    article_id = log.first().article_id
    assert f'href="/admin/pages/{article_id}/edit/"' in text


def test_the_log_filters_by_result_and_provider(admin_client, log, sample_provider):
    killed = rows(admin_client.get(RECORDS, {"result": Result.KILLED}))
    assert len(killed) == 1 and "配信取り消し" in killed[0]
    assert len(rows(admin_client.get(RECORDS, {"result": Result.REJECTED}))) == 1
    assert len(rows(admin_client.get(RECORDS, {"provider": sample_provider.pk}))) == 5


def test_a_record_shows_its_reason_summary_and_the_bytes_received(admin_client, log):
    record = log.get(result=Result.REJECTED)
    page = admin_client.get(f"{RECORDS}inspect/{record.pk}/").content.decode()
    assert "危険な XML" in page and "entity-declaration" in page
    assert f"/admin/wire/document/{record.pk}/" in page
    download = admin_client.get(f"/admin/wire/document/{record.pk}/")
    assert download.status_code == 200
    assert download.content == fixture("hostile/billion_laughs.xml")
    assert download["Content-Disposition"].startswith("attachment;")
    accepted = log.first()
    detail = admin_client.get(f"{RECORDS}inspect/{accepted.pk}/").content.decode()
    assert "Akari Hoshino" in detail  # bylines kept in the record's summary


def test_the_log_cannot_be_edited_or_deleted(admin_client, log):
    record = log.first()
    assert admin_client.get(f"{RECORDS}edit/{record.pk}/").status_code in (302, 403, 404)
    assert admin_client.post(f"{RECORDS}delete/{record.pk}/").status_code in (302, 403, 404)
    assert WireItemRecord.objects.filter(pk=record.pk).exists()
    assert admin_client.get(f"{RECORDS}add/").status_code in (302, 403, 404)


def test_the_desk_reads_the_log_and_a_reporter_does_not(client, log):
    desk = login(client, make_user("desk1", DESK))
    assert desk.get(RECORDS).status_code == 200
    assert desk.get(f"/admin/wire/document/{log.first().pk}/").status_code == 200
    client.logout()
    reporter = login(client, make_user("reporter1", REPORTER))
    assert reporter.get(RECORDS).status_code in (302, 403)
    assert reporter.get(f"/admin/wire/document/{log.first().pk}/").status_code == 403


def test_a_killed_article_warns_the_editor(admin_client, log):
    article_id = log.get(result=Result.KILLED).article_id
    page = admin_client.get(f"/admin/pages/{article_id}/edit/").content.decode()
    assert "配信取り消し: 配信元がこの記事を取り消しました" in page


def test_the_rule_form_sets_the_token_hashed_and_checks_it(admin_client, sample_provider):
    rule = sample_provider.wire_rule
    url = f"/admin/wire/rules/edit/{rule.pk}/"
    page = admin_client.get(url).content.decode()
    assert "HTTP受信トークンを設定" in page and "トークンは未設定です" in page
    form = {
        "provider": sample_provider.pk,
        "publish_mode": "hold",
        "default_section": "",
        "aliases": "nprov:SAMPLE",
        "picture_base_urls": "",
        "new_token": "short",
        "section_mappings-TOTAL_FORMS": "0",
        "section_mappings-INITIAL_FORMS": "0",
        "section_mappings-MIN_NUM_FORMS": "0",
        "section_mappings-MAX_NUM_FORMS": "1000",
    }
    refused = admin_client.post(url, form)
    assert refused.status_code == 200 and "32文字以上" in refused.content.decode()
    token = "a-long-random-token-typed-by-the-desk-0123456789"
    saved = admin_client.post(url, {**form, "new_token": token})
    assert saved.status_code == 302
    rule = WireRule.objects.get(pk=rule.pk)
    assert rule.publish_mode == "hold" and rule.token_matches(token)
    assert token not in rule.token_hash
    bad_url = admin_client.post(url, {**form, "new_token": "", "picture_base_urls": "ftp://x/"})
    assert "http(s):// で始まり / で終わるURL" in bad_url.content.decode()


def test_the_wire_token_command_issues_a_token_once(sample_provider):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("wire_token", "sample", stdout=out)
    token = out.getvalue().splitlines()[1]
    assert WireRule.objects.get(provider=sample_provider).token_matches(token)
    assert "POST /wire/sample/" in out.getvalue()


def test_a_held_item_is_found_by_the_desk(admin_client, sample_provider):
    WireRule.objects.filter(provider=sample_provider).update(publish_mode="hold")
    outcome = only(ingest("newsmlg2/update_v1.xml", sample_provider))
    listed = rows(admin_client.get(RECORDS, {"result": Result.HELD}))
    assert len(listed) == 1 and "デスクの確認" in listed[0]
    edit = admin_client.get(f"/admin/pages/{outcome.article_id}/edit/")
    assert edit.status_code == 200 and "ほしぞら市に大雨警報" in edit.content.decode()


def test_providers_signature_and_copyright_are_edited_under_wire(admin_client, sample_provider):
    listing = admin_client.get("/admin/wire/providers/").content.decode()
    assert "サンプル通信" in listing
    edit = admin_client.get(f"/admin/wire/providers/edit/{sample_provider.pk}/").content.decode()
    assert "著作権表示" in edit and "署名" in edit
