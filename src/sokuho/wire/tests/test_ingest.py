"""Wire items become articles: versions, corrections, kills, embargoes, holds and rules.

Fixtures are sample content (fictional). What a reader sees is checked through the
site itself (article page, section page, sitemaps, feed); what an editor sees through
the records and the page's revisions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import time_machine
from wagtail.models import PageLogEntry, Revision

from sokuho.news.models import ArticlePage, AuthorPage
from sokuho.scheduler.jobs import run_due_jobs
from sokuho.wire import ingest as ingest_module
from sokuho.wire import testing
from sokuho.wire.ingest import split_label, summarise
from sokuho.wire.models import PublishMode, Result, WireItemRecord, WireRule, WireStory
from sokuho.wire.parsing.text import norm_space
from sokuho.wire.tests.ingest_helpers import (
    fixture,
    ingest,
    make_provider,
    only,
    page_of,
    section,
)

pytestmark = pytest.mark.django_db

JST = timezone(timedelta(hours=9))
RAIN = "urn:newsml:sample.sokuho.example:20260205:hoshizora-rain"


def revisions(page: ArticlePage) -> list[Revision]:
    return list(Revision.page_revisions.filter(object_id=str(page.pk)).order_by("created_at", "id"))


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- a new item --------------------------------------------------------------------------
def test_a_usable_item_is_published_with_its_bylines_dateline_and_provider(client, sample_provider):
    outcome = only(ingest("newsmlg2/update_v1.xml", sample_provider))
    assert outcome.result == Result.PUBLISHED
    page = page_of(outcome)
    assert page.live and page.provider == sample_provider
    assert page.section.slug == "world"
    text = html(client, page.url)
    assert "ほしぞら市に大雨警報" in text
    assert "市は避難所を開設した。" in text
    # The by-line "By Akari Hoshino and Ichiro Suzuki" became two linked author pages.
    assert [b.author.title for b in page.bylines.all()] == ["Akari Hoshino", "Ichiro Suzuki"]
    assert "Akari Hoshino" in text and "Ichiro Suzuki" in text
    assert page.copyright_line.startswith("Copyright (C) 2026 サンプル通信")
    # Published the way Wagtail publishes: live revision, history entry, search index.
    assert page.live_revision_id == page.latest_revision_id and not page.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()
    assert PageLogEntry.objects.filter(page=page, action="sokuho.wire.published").exists()
    assert page.url in html(client, "/search/?q=大雨警報")

    record = WireItemRecord.objects.get(pk=outcome.record_id)
    assert record.provider == sample_provider and record.guid == RAIN and record.version == 1
    assert record.article_id == page.pk and record.format == "newsml-g2"
    assert "セクション: ワールド" in record.reason


def test_authors_are_found_or_created_once_by_name(sample_provider):
    ingest("newsmlg2/update_v1.xml", sample_provider)
    ingest(testing.newsml_item(1, body="xhtml"), sample_provider)
    ingest(testing.newsml_item(4, body="xhtml"), sample_provider)  # same reporter again
    names = list(
        AuthorPage.objects.filter(slug__startswith="wire-").values_list("title", flat=True)
    )
    assert len(names) == len(set(names))
    assert AuthorPage.objects.filter(title="山田花子").count() == 1


def test_a_leading_label_becomes_the_label_field():
    assert split_label("【速報】ほしぞら市に大雨警報") == ("速報", "ほしぞら市に大雨警報")
    assert split_label("【独自】【ほしぞら】新庁舎") == ("独自", "新庁舎")
    assert split_label("【取り消し】大雨警報") == ("", "大雨警報")
    assert split_label("【速報】") == ("速報", "速報")
    assert split_label("大雨警報　避難所開設") == ("", "大雨警報　避難所開設")


def test_the_summary_is_the_lead_cut_after_a_sentence():
    long_lead = "<p>" + "架空のほしぞら市で大雨。" * 20 + "</p><p>二段落目</p>"
    summary = summarise(long_lead)
    assert len(summary) <= 120 and summary.endswith("。")
    assert summarise("<p>短い<b>リード</b>。</p><p>次</p>") == "短いリード。"


def test_a_full_width_space_in_a_headline_survives_parsing():
    assert norm_space("大雨警報\u3000 避難所開設") == "大雨警報\u3000避難所開設"
    assert norm_space("ほしぞら市\n  に大雨") == "ほしぞら市に大雨"


def test_a_labelled_headline_is_stored_without_the_brackets(sample_provider):
    data = testing.newsml_item(7, headline="【速報】ほしぞら市で停電　約３千戸")
    page = page_of(only(ingest(data, sample_provider)))
    assert page.label == "速報" and page.title == "ほしぞら市で停電\u3000約３千戸"


@pytest.mark.parametrize(
    "name",
    ["ingest/sjis_nitf.xml", "ingest/jis_item.xml"],
    ids=["shift_jis-nitf", "iso-2022-jp-newsml"],
)
def test_japanese_encodings_become_readable_articles(client, sample_provider, name):
    page = page_of(only(ingest(name, sample_provider, name.split("/")[-1])))
    text = html(client, page.url)
    expected = {
        "ingest/sjis_nitf.xml": ("みなと川町の朝市、３０周年　記念の餅まき", "「髙橋商店」"),
        "ingest/jis_item.xml": ("あおば村で初雪　平年より９日早く", "平年より９日早い。"),
    }[name]
    for fragment in expected:
        assert fragment in text


def test_every_format_and_encoding_of_the_generator_is_ingested(sample_provider):
    batch = testing.mixed_batch(27, seed=3)
    results = [only(ingest(data, sample_provider, label)).result for label, data in batch]
    assert set(results) == {Result.PUBLISHED}, results
    assert ArticlePage.objects.live().filter(provider=sample_provider).count() == 27


# --- versions ------------------------------------------------------------------------------
def test_updates_arriving_out_of_order_keep_the_newest_and_every_applied_text(
    client, sample_provider
):
    first = only(ingest("newsmlg2/update_v1.xml", sample_provider))
    newest = only(ingest("newsmlg2/update_v3.xml", sample_provider))
    late = only(ingest("newsmlg2/update_v2.xml", sample_provider))
    assert (first.result, newest.result, late.result) == (
        Result.PUBLISHED,
        Result.UPDATED,
        Result.IGNORED,
    )
    assert "より古い版" in late.reason
    page = page_of(newest)
    assert first.article_id == newest.article_id
    assert ArticlePage.objects.filter(provider=sample_provider).count() == 1
    text = html(client, page.url)
    assert "ほしぞら市の大雨警報、注意報に切り替え" in text
    assert "避難所３カ所開設" not in text  # version 2 came too late to count
    # Version 1's text stays in the page history as a revision.
    titles = [r.content["title"] for r in revisions(page)]
    assert titles == ["ほしぞら市に大雨警報", "ほしぞら市の大雨警報、注意報に切り替え"]
    assert WireStory.objects.get(guid=RAIN).version == 3


def test_the_same_file_twice_changes_nothing_and_is_logged(sample_provider):
    page = page_of(only(ingest("newsmlg2/update_v1.xml", sample_provider)))
    before = (len(revisions(page)), ArticlePage.objects.count(), AuthorPage.objects.count())
    again = only(ingest("newsmlg2/update_v1.xml", sample_provider))
    assert again.result == Result.IGNORED and "同じ内容" in again.reason
    page.refresh_from_db()
    after = (len(revisions(page)), ArticlePage.objects.count(), AuthorPage.objects.count())
    assert before == after
    assert WireItemRecord.objects.filter(guid=RAIN).count() == 2


def test_a_same_version_with_different_content_is_ignored_with_its_reason(sample_provider):
    ingest("newsmlg2/update_v1.xml", sample_provider)
    altered = fixture("newsmlg2/update_v1.xml").replace(
        "市は避難所を開設した。".encode(), "市は避難所を閉鎖した。".encode()
    )
    outcome = only(ingest(altered, sample_provider))
    assert outcome.result == Result.IGNORED and "内容が異なります" in outcome.reason


def test_items_without_any_version_information_cannot_replace_each_other(sample_provider):
    text = testing.nitf_xml(3)
    undated = text.replace('<date.issue norm="', '<date.x norm="').replace(' version="1"', "")
    first = only(ingest(undated.encode(), sample_provider))
    second = only(ingest(undated.replace("開通", "全面開通").encode(), sample_provider))
    assert first.result == Result.PUBLISHED
    assert second.result == Result.IGNORED


def test_a_correction_shows_a_dated_note_with_the_editors_note(client, sample_provider):
    ingest("newsmlg2/update_v1.xml", sample_provider)
    outcome = only(ingest("newsmlg2/correction.xml", sample_provider))
    assert outcome.result == Result.CORRECTED
    page = page_of(outcome)
    correction = page.corrections.get()
    assert correction.note == "訂正：避難所の数を３カ所から４カ所に訂正します"
    assert correction.corrected_at == datetime(2026, 2, 5, 13, 5, tzinfo=JST)
    text = html(client, page.url)
    assert "訂正" in text and "避難所の数を３カ所から４カ所に訂正します" in text
    assert "2026年02月05日(木)13時05分" in text
    # The corrected text is live; the page says it was updated.
    assert "（訂正）" in text


def test_a_correction_as_the_first_version_adds_no_note(sample_provider):
    outcome = only(ingest("newsmlg2/correction.xml", sample_provider))
    assert outcome.result == Result.PUBLISHED
    assert not page_of(outcome).corrections.exists()
    assert "以前の版は当サイトに出ていません" in outcome.reason


# --- kills ---------------------------------------------------------------------------------
def test_a_kill_takes_the_article_off_the_site_at_once_and_keeps_it_in_the_admin(
    client, sample_provider
):
    page = page_of(only(ingest("newsmlg2/update_v1.xml", sample_provider)))
    world = section("world")
    # Readers (and the page cache) have seen it everywhere (headlines carry phrase
    # breaks in listings, so the link is what is looked for).
    assert page.url in html(client, world.url)
    assert page.url in html(client, "/")
    assert page.slug in html(client, "/sitemap-pages.xml")
    assert "ほしぞら市に大雨警報" in html(client, "/feeds/rss.xml")
    assert client.get(page.url).status_code == 200

    outcome = only(ingest("newsmlg2/kill.xml", sample_provider))
    assert outcome.result == Result.KILLED
    assert "この記事は取り消します。使用しないでください。" in outcome.reason
    assert client.get(page.url).status_code == 404
    assert page.url not in html(client, world.url)
    assert page.url not in html(client, "/")
    assert page.slug not in html(client, "/sitemap-pages.xml")
    assert page.slug not in html(client, "/news-sitemap.xml")
    assert "ほしぞら市に大雨警報" not in html(client, "/feeds/rss.xml")

    page.refresh_from_db()
    assert not page.live and page.locked  # kept, and nobody republishes it by accident
    story = WireStory.objects.get(guid=RAIN)
    assert story.killed_at is not None and story.result == Result.KILLED
    # Later deliveries, older or newer, never bring it back.
    assert only(ingest("newsmlg2/update_v3.xml", sample_provider)).result == Result.IGNORED
    newer = fixture("newsmlg2/update_v3.xml").replace(b'version="3"', b'version="9"')
    newer = newer.replace(b"2026-02-05T12:40:00", b"2026-02-06T12:40:00")
    later = only(ingest(newer, sample_provider))
    assert later.result == Result.IGNORED and "取り消した" in later.reason
    assert client.get(page.url).status_code == 404


def test_a_kill_before_any_version_makes_no_article_and_blocks_later_ones(sample_provider):
    killed = only(ingest("newsmlg2/kill.xml", sample_provider))
    assert killed.result == Result.KILLED and killed.article_id is None
    assert only(ingest("newsmlg2/update_v1.xml", sample_provider)).result == Result.IGNORED
    assert not ArticlePage.objects.filter(provider=sample_provider).exists()


def test_a_kill_cancels_a_pending_embargo(client, sample_provider):
    with time_machine.travel(datetime(2026, 2, 5, 19, 0, tzinfo=JST), tick=False):
        page = page_of(only(ingest("newsmlg2/embargo.xml", sample_provider)))
        budget = b"urn:newsml:sample.sokuho.example:20260206:hoshizora-budget"
        kill = (
            fixture("newsmlg2/kill.xml")
            .replace(RAIN.encode(), budget)
            .replace(b"2026-02-05T14:00:00", b"2026-02-05T18:30:00")
        )
        killed = only(ingest(kill, sample_provider))
        assert killed.result == Result.KILLED and killed.article_id == page.pk
    with time_machine.travel(datetime(2026, 2, 6, 5, 1, tzinfo=JST), tick=False):
        run_due_jobs(force=True)
        page.refresh_from_db()
        assert not page.live
        assert client.get(f"/world/{page.slug}/").status_code == 404


# --- embargo, withheld, hold, expiry -------------------------------------------------------
def test_an_embargoed_item_goes_live_only_when_the_scheduler_passes_the_embargo(
    client, sample_provider
):
    with time_machine.travel(datetime(2026, 2, 5, 19, 0, tzinfo=JST), tick=False):
        outcome = only(ingest("newsmlg2/embargo.xml", sample_provider))
        assert outcome.result == Result.EMBARGOED
        assert "2026年02月06日(金)05時00分" in outcome.reason
        page = page_of(outcome)
        url = f"/world/{page.slug}/"
        assert not page.live and page.go_live_at == datetime(2026, 2, 6, 5, 0, tzinfo=JST)
        run_due_jobs(force=True)
        assert client.get(url).status_code == 404
        assert url not in html(client, "/world/")
    with time_machine.travel(datetime(2026, 2, 6, 4, 59, tzinfo=JST), tick=False):
        run_due_jobs(force=True)
        assert client.get(url).status_code == 404
    with time_machine.travel(datetime(2026, 2, 6, 5, 0, 5, tzinfo=JST), tick=False):
        assert "publish_scheduled" in run_due_jobs(force=True)
        assert "ほしぞら市、過去最大の予算案" in html(client, url)
    page.refresh_from_db()
    assert page.live and page.first_published_at >= datetime(2026, 2, 6, 5, 0, tzinfo=JST)


def test_the_licence_expiry_unpublishes_on_time(client, sample_provider):
    with time_machine.travel(datetime(2026, 2, 6, 6, 0, tzinfo=JST), tick=False):
        outcome = only(ingest("newsmlg2/embargo.xml", sample_provider))  # embargo passed
        assert outcome.result == Result.PUBLISHED
        page = page_of(outcome)
        assert client.get(page.url).status_code == 200
        assert page.expire_at == datetime(2026, 3, 31, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 3, 31, 9, 1, tzinfo=JST), tick=False):
        run_due_jobs(force=True)
        assert client.get(f"/world/{page.slug}/").status_code == 404
    page.refresh_from_db()
    assert not page.live and page.expired


def test_an_item_past_its_expiry_is_not_published(sample_provider):
    with time_machine.travel(datetime(2026, 4, 2, tzinfo=JST), tick=False):
        outcome = only(ingest("newsmlg2/embargo.xml", sample_provider))
    assert outcome.result == Result.HELD and "利用期限" in outcome.reason
    assert not page_of(outcome).live


def test_a_withheld_item_stays_a_draft(client, sample_provider):
    outcome = only(ingest("ingest/withheld.xml", sample_provider))
    assert outcome.result == Result.HELD and "withheld" in outcome.reason
    page = page_of(outcome)
    assert not page.live and page.has_unpublished_changes
    assert client.get(f"/world/{page.slug}/").status_code == 404


def test_a_withheld_version_of_a_live_article_takes_it_down(client, sample_provider):
    page = page_of(only(ingest("newsmlg2/update_v1.xml", sample_provider)))
    withheld = (
        fixture("newsmlg2/update_v2.xml")
        .replace(b"stat:usable", b"stat:withheld")
        .replace("避難所３カ所開設".encode(), "避難所を確認中".encode())
    )
    outcome = only(ingest(withheld, sample_provider))
    assert outcome.result == Result.HELD and "非公開にしました" in outcome.reason
    assert client.get(page.url).status_code == 404
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "ほしぞら市に大雨警報、避難所を確認中"


def test_a_provider_on_hold_gets_drafts_and_updates_wait_for_the_desk(client, sample_provider):
    WireRule.objects.filter(provider=sample_provider).update(publish_mode=PublishMode.HOLD)
    held = only(ingest("newsmlg2/update_v1.xml", sample_provider))
    assert held.result == Result.HELD and "デスクの確認" in held.reason
    page = page_of(held)
    assert not page.live
    # The desk publishes it; the next version waits as a draft, the live text stays.
    page.get_latest_revision().publish()
    update = only(ingest("newsmlg2/update_v2.xml", sample_provider))
    assert update.result == Result.HELD and "公開中の記事への更新" in update.reason
    text = html(client, page.url)
    assert "ほしぞら市に大雨警報" in text and "避難所３カ所開設" not in text
    page.refresh_from_db()
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "ほしぞら市に大雨警報、避難所３カ所開設"


def test_a_held_embargoed_item_published_by_the_desk_still_waits_for_the_embargo(
    client, sample_provider
):
    WireRule.objects.filter(provider=sample_provider).update(publish_mode=PublishMode.HOLD)
    with time_machine.travel(datetime(2026, 2, 5, 19, 0, tzinfo=JST), tick=False):
        outcome = only(ingest("newsmlg2/embargo.xml", sample_provider))
        assert outcome.result == Result.HELD
        page = page_of(outcome)
        page.get_latest_revision().publish()  # the desk approves it before the embargo
        page.refresh_from_db()
        assert not page.live
        assert client.get(f"/world/{page.slug}/").status_code == 404
    with time_machine.travel(datetime(2026, 2, 6, 5, 0, 5, tzinfo=JST), tick=False):
        run_due_jobs(force=True)
        assert client.get(f"/world/{page.slug}/").status_code == 200


def test_an_article_the_desk_took_down_is_not_republished_by_an_update(client, sample_provider):
    page = page_of(only(ingest("newsmlg2/update_v1.xml", sample_provider)))
    page.unpublish()
    update = only(ingest("newsmlg2/update_v2.xml", sample_provider))
    assert update.result == Result.HELD and "編集部が非公開" in update.reason
    assert client.get(page.url).status_code == 404


def test_an_article_the_desk_deleted_is_not_recreated(sample_provider):
    page = page_of(only(ingest("newsmlg2/update_v1.xml", sample_provider)))
    page.delete()
    update = only(ingest("newsmlg2/update_v2.xml", sample_provider))
    assert update.result == Result.IGNORED and "削除済み" in update.reason
    assert not ArticlePage.objects.filter(provider=sample_provider).exists()


# --- rules ---------------------------------------------------------------------------------
def test_sections_follow_the_subject_mapping_then_the_default(sample_provider):
    rule = sample_provider.wire_rule
    rule.default_section = section("japan")
    rule.section_mappings.create(subject="medtop:20000346", section=section("life"))
    rule.section_mappings.create(subject="04*", section=section("business"))
    rule.save()
    mapped = page_of(only(ingest(testing.newsml_item(1), sample_provider)))  # 公共交通
    by_prefix = page_of(only(ingest("nitf/nitf36_ns.xml", sample_provider)))  # 04000000 経済
    default = page_of(only(ingest("newsmlg2/update_v1.xml", sample_provider)))  # no subject
    assert (mapped.section.slug, by_prefix.section.slug, default.section.slug) == (
        "life",
        "business",
        "japan",
    )
    assert mapped.url.startswith("/life/")


def test_the_provider_is_found_by_name_code_or_alias_else_refused(sample_provider):
    outcome = only(ingest("newsmlg2/update_v1.xml"))  # <provider><name>サンプル通信
    assert outcome.result == Result.PUBLISHED and outcome.provider == "sample"
    other = make_provider(code="hokushin", name="北辰通信")
    message = fixture("newsmlg2/message_two_items.xml")  # provider qcode nprov:SAMPLE only
    assert {o.result for o in ingest(message)} == {Result.PUBLISHED}
    unknown = fixture("newsmlg2/update_v1.xml").replace(
        "サンプル通信".encode(), "未登録通信".encode()
    )
    refused = only(ingest(unknown.replace(b"nprov:SAMPLE", b"nprov:NOBODY")))
    assert refused.result == Result.REJECTED and "未登録通信" in refused.reason
    assert "--provider" in refused.reason
    other.wire_rule.aliases = "未登録通信"
    other.wire_rule.save()
    assert only(ingest(unknown)).provider == "hokushin"


# --- multi-item documents and packages -----------------------------------------------------
def test_a_news_message_yields_every_item_and_refuses_only_its_bad_one(sample_provider):
    text = testing.newsml_message([1, 2, 3]).decode()
    broken = text.replace("<headline>", "<headlineX>", 1).replace("</headline>", "</headlineX>", 1)
    outcomes = ingest(broken.encode(), sample_provider, "message.xml")
    assert [o.result for o in outcomes].count(Result.PUBLISHED) == 2
    refused = [o for o in outcomes if o.rejected]
    assert len(refused) == 1 and "見出しがありません" in refused[0].reason


def test_a_package_is_logged_but_does_not_become_an_article(sample_provider):
    outcome = only(ingest("newsmlg2/package.xml", sample_provider))
    assert outcome.result == Result.IGNORED and "記事にしません" in outcome.reason
    assert not ArticlePage.objects.filter(provider=sample_provider).exists()


# --- failures never change articles --------------------------------------------------------
def test_an_unexpected_error_rolls_the_item_back_and_keeps_it_for_a_retry(
    sample_provider, monkeypatch
):
    page = page_of(only(ingest("newsmlg2/update_v1.xml", sample_provider)))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The last step of an update, after the page, its revision and the story were written.
    monkeypatch.setattr(ingest_module, "_audit", broken)
    outcome = only(ingest("newsmlg2/update_v2.xml", sample_provider))
    assert outcome.result == Result.REJECTED and "disk full" in outcome.reason
    record = WireItemRecord.objects.get(pk=outcome.record_id)
    assert record.error_code == "internal-error" and record.document is not None
    assert WireStory.objects.get(guid=RAIN).version == 1
    assert len(revisions(page)) == 1 and ArticlePage.objects.get(pk=page.pk).title == page.title
    monkeypatch.undo()
    retried = only(ingest(bytes(record.document.data), sample_provider))
    assert retried.result == Result.UPDATED and retried.article_id == page.pk


def test_a_guid_too_long_or_an_absurd_version_is_refused(sample_provider):
    long_guid = testing.newsml_item(1, guid="urn:x:" + "a" * 600)
    assert "GUID が長すぎます" in only(ingest(long_guid, sample_provider)).reason
    huge = fixture("newsmlg2/update_v1.xml").replace(
        b'version="1"', b'version="99999999999999999999"'
    )
    outcome = only(ingest(huge, sample_provider))
    assert outcome.rejected and "版番号" in outcome.reason
    assert not ArticlePage.objects.filter(provider=sample_provider).exists()


def test_ingesting_a_batch_twice_leaves_the_same_articles_and_revisions(sample_provider):
    batch = [data for _, data in testing.mixed_batch(80, seed=11)]
    # 20% updates: later versions of the first NewsML-G2 stories.
    batch += [testing.newsml_item(n, version=2) for n in range(0, 80, 5)]

    def state():
        return (
            sorted(ArticlePage.objects.values_list("pk", "title", "live")),
            Revision.page_revisions.count(),
            AuthorPage.objects.count(),
            WireStory.objects.count(),
        )

    first = [only(ingest(data, sample_provider)) for data in batch]
    assert not any(o.rejected for o in first)
    after_first = state()
    second = [only(ingest(data, sample_provider)) for data in batch]
    assert {o.result for o in second} == {Result.IGNORED}
    assert state() == after_first
