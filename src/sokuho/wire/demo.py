"""The demo's wire desk: rules for the two fictional wire services, and a few of their
items ingested through the same path as `sokuho ingest` (sample content, fictional)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from sokuho.news.models import Provider, SectionPage
from sokuho.wire.files import ingest_file
from sokuho.wire.ingest import Ingestor
from sokuho.wire.models import PublishMode, Source, WireRule, WireSectionMapping

SAMPLES = Path(__file__).resolve().parent / "samples"
# The rest of samples/ (the kill, the refused file) is left for the README's example.
DEMO_FILES = (
    "01-hokushin-harbor.xml",
    "03-kanyo-lantern.json",
    "04-hokushin-bridge.xml",
    "02-hokushin-harbor-correction.xml",
)
RULES = {
    # code: (mode, default section, aliases, {subject: section})
    "hokushin": (
        PublishMode.PUBLISH,
        "world",
        "nprov:HOKUSHIN",
        {"medtop:04000000": "business", "11000000": "japan"},
    ),
    "kanyo": (PublishMode.HOLD, "culture", "nprov:KANYO", {}),
}

EMBARGOED_ITEM = """<?xml version="1.0" encoding="UTF-8"?>
<!-- サンプルコンテンツ: 架空の配信記事（解禁時刻つき） / sample content, fictional -->
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"
    guid="urn:newsml:hokushin.sample.sokuho.example:demo:aoba-budget" version="1"
    standard="NewsML-G2" standardversion="2.35" xml:lang="ja">
  <rightsInfo><copyrightHolder><name>北辰通信</name></copyrightHolder></rightsInfo>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:HOKUSHIN"><name>北辰通信</name></provider>
    <versionCreated>{created}</versionCreated>
    <embargoed>{embargo}</embargoed>
    <pubStatus qcode="stat:usable"/>
    <edNote>解禁後に使用してください（サンプル）。</edNote>
  </itemMeta>
  <contentMeta>
    <located><name>青葉市</name></located>
    <headline>青葉市、過去最大の新年度予算案を発表へ</headline>
    <by>森田 葵</by>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><body>
        <p>架空の青葉市は、過去最大となる新年度予算案を発表する。子育て支援の予算を大きく増やす。</p>
        <p>※この記事はsokuhoのデモ用に作成した架空のサンプル記事です。登場する人物・企業・団体・地名はすべて架空です。</p>
      </body></html>
    </inlineXML>
  </contentSet>
</newsItem>
"""


def install_demo_rules() -> None:
    sections = {section.slug: section for section in SectionPage.objects.all()}
    for code, (mode, default, aliases, mappings) in RULES.items():
        provider = Provider.objects.filter(code=code).first()
        if provider is None:
            continue
        rule, _ = WireRule.objects.update_or_create(
            provider=provider,
            defaults={
                "publish_mode": mode,
                "default_section": sections.get(default),
                "aliases": aliases,
            },
        )
        for subject, slug in mappings.items():
            if slug in sections:
                WireSectionMapping.objects.get_or_create(
                    rule=rule, subject=subject, defaults={"section": sections[slug]}
                )


def load_demo_wire(now: datetime | None = None) -> str:
    """Rules, four sample files and one embargoed item (its embargo three hours ahead)."""
    now = now or timezone.now()
    install_demo_rules()
    ingestor = Ingestor(source=Source.DEMO)
    outcomes = []
    for name in DEMO_FILES:
        outcomes += ingest_file(ingestor, SAMPLES / name)
    embargoed = EMBARGOED_ITEM.format(
        created=now.isoformat(), embargo=(now + timedelta(hours=3)).isoformat()
    )
    outcomes += ingestor.ingest_bytes(embargoed.encode(), "demo-embargo.xml")
    return f"配信記事 {len(outcomes)} 件を受信しました。"
