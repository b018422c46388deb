"""The demo's wire desk, and the README's `sokuho ingest` example on the shipped samples."""

from __future__ import annotations

import pytest

from sokuho.demo import content
from sokuho.news.models import ArticlePage, Provider
from sokuho.wire.demo import SAMPLES, load_demo_wire
from sokuho.wire.files import expand, ingest_file
from sokuho.wire.ingest import Ingestor
from sokuho.wire.models import Result, WireItemRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_wire(client):
    for item in content.PROVIDERS:
        Provider.objects.create(**item)
    load_demo_wire()
    return WireItemRecord.objects.order_by("id")


def test_the_demo_shows_each_kind_of_decision(client, demo_wire):
    results = [record.result for record in demo_wire]
    assert results == [
        Result.PUBLISHED,  # 北辰: publishes at once, with its photo
        Result.HELD,  # 環洋: held for the desk
        Result.PUBLISHED,  # 北辰 NITF in Shift_JIS
        Result.CORRECTED,  # 北辰: the correction of the first story
        Result.EMBARGOED,  # three hours ahead
    ]
    harbor = ArticlePage.objects.get(pk=demo_wire[0].article_id)
    assert harbor.section.slug == "business" and harbor.lead_image is not None
    text = client.get(harbor.url).content.decode()
    assert "総事業費を「約４０億円」から「約４５億円」に訂正しました。" in text
    assert "[青葉市" in text and "北辰" in text  # the dateline and the signature
    bridge = ArticlePage.objects.get(pk=demo_wire[2].article_id)
    assert bridge.section.slug == "japan" and bridge.title.startswith("さくら市")
    assert not ArticlePage.objects.get(pk=demo_wire[1].article_id).live
    # Like all demo content, each wire article says it is fictional sample content.
    for record in demo_wire:
        page = ArticlePage.objects.get(pk=record.article_id).get_latest_revision_as_object()
        assert "架空のサンプル記事" in page.body


def test_the_readme_example_on_the_samples_folder(client, demo_wire):
    ingestor = Ingestor()
    outcomes = [o for path in expand([SAMPLES]) for o in ingest_file(ingestor, path)]
    assert [o.result for o in outcomes] == [Result.IGNORED] * 4 + [Result.KILLED]
    bridge = ArticlePage.objects.get(pk=outcomes[-1].article_id)
    assert client.get(bridge.url).status_code == 404
    (refused,) = ingest_file(ingestor, SAMPLES / "hostile" / "no-headline.json")
    assert refused.result == Result.REJECTED and "見出しがありません" in refused.reason
