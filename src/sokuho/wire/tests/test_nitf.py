"""NITF 3.x with and without namespace, in Japanese legacy encodings (fictional content)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sokuho.wire.parsing import WireParseError, WireRendition, WireSubject, parse_bytes
from sokuho.wire.testing import nitf_item

from .helpers import fixture, parse_one, reencode_xml

JST = timezone(timedelta(hours=9))


def test_namespaced_nitf_36() -> None:
    item = parse_one(fixture("nitf/nitf36_ns.xml"))
    assert item.format == "nitf"
    assert item.guid == "sample-nitf-20260205-tram"
    assert item.provider == "サンプル通信"
    assert item.version == 1 and item.signals == set()
    assert item.version_created == datetime(
        2026, 2, 5, 16, 30, tzinfo=JST
    )  # date.issue, basic format
    assert item.embargo == datetime(2026, 2, 5, 17, 0, tzinfo=JST)  # date.release
    assert item.expires == datetime(2026, 3, 5, 0, 0, tzinfo=JST)  # date.expire
    assert item.urgency == 4
    assert item.status == "usable"
    assert item.language == "ja"
    assert item.headline == "ほしぞら市、路面電車の延伸を決定"
    assert item.label == "ほしぞら-路面電車"  # du-key key
    assert item.bylines == ["Hanako Yamada", "Ichiro Suzuki"]  # persons, not the byttl
    assert item.dateline_place == "ほしぞら市"
    assert item.subjects == [WireSubject("04000000", "経済")]
    assert item.copyright_holder == "サンプル通信"
    assert item.copyright_notice == "© 2026 サンプル通信"
    assert item.usage_terms == "国内の報道目的に限り使用可"
    assert "sample content" in item.editor_note
    body = item.body_html
    assert body.startswith(
        "<p>架空のほしぞら市議会は５日、路面電車を港地区まで延伸する計画を可決した。</p><h2>総事業費は１２０億円</h2>"
    )
    assert "<ul><li>港南口</li><li>市民病院前</li></ul>" in body
    assert '<a href="https://sample.sokuho.example/tram" rel="noopener">市のサイト</a>' in body
    assert "<table><tbody><tr><th>区間</th>" in body
    assert (
        "media" not in body and "（サンプル通信）" not in body
    )  # media and body.end are not body text
    (pic,) = item.pictures
    assert pic.href == "https://media.sample.sokuho.example/tram-hi.jpg"
    assert pic.caption == "延伸区間を走る路面電車の完成予想図（架空のサンプル画像）"
    assert pic.credit == "ほしぞら市提供"
    assert pic.alt_text == "港地区を走る路面電車の完成予想図"
    assert pic.renditions[1] == WireRendition(
        "https://media.sample.sokuho.example/tram-th.jpg", 256, 171, "image/jpeg"
    )
    assert item.warnings == []


def test_legacy_nitf_without_namespace() -> None:
    item = parse_one(fixture("nitf/nitf_legacy.xml"))
    assert item.guid == "sample-legacy-0001"
    assert item.headline == "髙橋町で「①番街」商店会が発足"
    assert item.version == 2
    assert item.signals == {"update", "correction"}  # du-key version 2; <correction>
    assert item.editor_note == "店舗数を訂正"
    assert item.bylines == ["山田花子", "鈴木一郎"]  # 記者 dropped
    assert item.dateline_place == "髙橋町"
    assert "\u00a0加盟は２３店舗" in item.body_html.replace(
        "&nbsp;", "\u00a0"
    )  # &nbsp; from the DTD
    assert any("DOCTYPE" in w for w in item.warnings)


def test_shift_jis_nitf_with_cp932_characters() -> None:
    data = reencode_xml(fixture("nitf/nitf_legacy.xml"), "Shift_JIS", "cp932")
    assert "髙".encode("cp932") in data  # an IBM extension: not in plain Shift_JIS
    item = parse_one(data)
    assert item.headline == "髙橋町で「①番街」商店会が発足"
    assert "㈱ほしぞら商事" in item.body_html
    assert not any("decoded as" in w for w in item.warnings)


@pytest.mark.parametrize("label", ["Shift_JIS", "EUC-JP", "ISO-2022-JP", "UTF-16"])
@pytest.mark.parametrize("namespaced", [True, False])
def test_generated_nitf_in_japanese_encodings(label: str, namespaced: bool) -> None:
    reference = parse_one(nitf_item(9, namespaced=namespaced))
    item = parse_one(nitf_item(9, namespaced=namespaced, encoding=label))
    assert item.headline == reference.headline
    assert item.body_html == reference.body_html
    assert item.bylines == reference.bylines
    assert item.warnings == []


def test_euc_jp_nitf_is_really_euc_jp() -> None:
    data = nitf_item(2, encoding="EUC-JP")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert parse_one(data).headline == "あおば村で雪まつり、３年ぶり開催（2）"


def test_utf8_bom_nitf() -> None:
    item = parse_one(nitf_item(1, bom=True))
    assert item.headline == parse_one(nitf_item(1)).headline


def _nitf(docdata: str = "", body: str = "<p>本文</p>", hl1: str = "見出し") -> bytes:
    return (
        f'<nitf><head><docdata {docdata}><doc-id id-string="n-1"/>'
        f'<date.issue norm="20260205T090000Z"/></docdata></head>'
        f"<body><body.head><hedline><hl1>{hl1}</hl1></hedline></body.head>"
        f"<body.content>{body}</body.content></body></nitf>"
    ).encode()


@pytest.mark.parametrize(
    ("docdata", "status"),
    [
        ('management-status="usable"', "usable"),
        ('management-status="canceled"', "canceled"),
        ('management-status="withheld"', "withheld"),
        ("", "usable"),
    ],
)
def test_management_status(docdata: str, status: str) -> None:
    assert parse_one(_nitf(docdata)).status == status


def test_embargoed_without_release_date_is_withheld() -> None:
    item = parse_one(_nitf('management-status="embargoed"'))
    assert item.status == "withheld"
    assert any("date.release" in w for w in item.warnings)


def test_title_is_the_fallback_headline_and_missing_headline_is_refused() -> None:
    data = _nitf(hl1="").replace(b"<head>", "<head><title>題名</title>".encode())
    assert parse_one(data).headline == "題名"
    with pytest.raises(WireParseError) as err:
        parse_bytes(_nitf(hl1=""))
    assert err.value.code == "no-headline"


def test_no_doc_id_uses_the_file_name_with_a_warning() -> None:
    data = _nitf().replace(b'<doc-id id-string="n-1"/>', b"")
    item = parse_one(data, "drop/incoming/20260205-0001.xml")
    assert item.guid == "file:20260205-0001.xml"
    assert any("file name" in w for w in item.warnings)
    with pytest.raises(WireParseError):
        parse_bytes(data)  # and without a file name there is nothing to identify it


def test_non_image_media_and_unsafe_sources_are_skipped() -> None:
    body = (
        "<p>本文</p>"
        '<media media-type="video">'
        '<media-reference source="https://x.example/v.mp4" mime-type="video/mp4"/></media>'
        '<media media-type="image">'
        '<media-reference source="javascript:alert(1)" mime-type="image/png"/></media>'
    )
    item = parse_one(_nitf(body=body))
    assert item.pictures == []
    assert item.body_html == "<p>本文</p>"
    assert any("video" in w for w in item.warnings)
    assert any("javascript" in w for w in item.warnings)
