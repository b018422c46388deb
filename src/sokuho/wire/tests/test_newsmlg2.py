"""NewsML-G2 newsItem / newsMessage / packageItem (fixtures are fictional sample content)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sokuho.wire.parsing import (
    WireParseError,
    WireRendition,
    WireSubject,
    parse_bytes,
    parse_document,
)
from sokuho.wire.testing import newsml_item, newsml_message

from .helpers import fixture, parse_one

JST = timezone(timedelta(hours=9))
NAR = "http://iptc.org/std/nar/2006-10-01/"


def test_text_item_metadata() -> None:
    item = parse_one(fixture("newsmlg2/text_item.xml"))
    assert item.format == "newsml-g2"
    assert item.guid == item.uri == "urn:newsml:sample.sokuho.example:20260205:hoshizora-footbridge"
    assert item.version == 1
    assert item.version_created == datetime(2026, 2, 5, 16, 30, tzinfo=JST)
    assert item.version_created.utcoffset() == timedelta(hours=9)
    assert item.first_created == datetime(2026, 2, 5, 7, 30, tzinfo=UTC)
    assert item.status == "usable" and item.is_usable
    assert item.signals == set()
    assert item.language == "ja"
    # The headline without a role wins over the sub-headline listed first.
    assert item.headline == "ほしぞら市で新しい歩道橋が開通"
    assert item.label == "ほしぞら-歩道橋"
    assert item.bylines == ["山田花子", "鈴木一郎"]
    assert item.dateline == "【ほしぞら市＝サンプル通信】"
    assert item.dateline_place == "ほしぞら市"
    assert item.located == "ほしぞら市"  # the name in the item language
    assert item.subjects == [
        WireSubject("medtop:20000346", "公共交通"),
        ("medtop:11000000", "政治"),
    ]
    assert item.editor_note == "写真は別配信"
    assert item.provider == "サンプル通信"
    assert item.copyright_holder == "サンプル通信"
    assert item.copyright_notice == "© 2026 サンプル通信（架空のサンプルコンテンツ）"
    assert item.usage_terms == "国内の報道目的に限り使用可"
    assert item.item_class == "text"
    assert item.embargo is None and item.expires is None
    assert item.warnings == []


def test_text_item_body_is_sanitised_xhtml() -> None:
    body = parse_one(fixture("newsmlg2/text_item.xml")).body_html
    for gone in ("<script", "alert", "onclick", "onmouseover", "onerror", "style=", "javascript:",
                 "<img", "<title", "color: red", "target=", "<html", "<body", "xmlns"):  # fmt: skip
        assert gone not in body, gone
    assert body.startswith(
        "<p>架空の町ほしぞら市で５日、駅前の大通りをまたぐ<em>新しい歩道橋</em>が開通した。</p>"
    )
    assert '<a href="https://sample.sokuho.example/hoshizora" rel="noopener">市の発表</a>' in body
    assert "危険なリンク" in body  # the text of the javascript: link stays, the link does not
    assert "<ul><li>全長４２メートル</li><li>エレベーター２基</li></ul>" in body
    assert "<strong>２月６日</strong>" in body


def test_news_message_with_two_items() -> None:
    text, picture = parse_bytes(fixture("newsmlg2/message_two_items.xml"), "message.xml")
    assert text.guid.endswith("minatogawa-festival")
    assert text.version == 2 and text.signals == {"update"}
    # Basic-format date with a +0900 offset.
    assert text.version_created == datetime(2026, 2, 5, 16, 30, tzinfo=JST)
    assert text.headline == "みなと川町で雪まつり、３年ぶりに開催"  # contentMeta wins over hl1
    assert text.bylines == ["星野あかり"]  # from the NITF byline: 文・…記者 stripped
    assert text.dateline_place == "みなと川町"
    assert text.body_html == (
        "<p>架空の町、みなと川町で５日、恒例の雪まつりが３年ぶりに開かれた。</p>"
        "<h2>雪像は４０基</h2><p>町内の小学生がつくった雪像も並んだ。</p>"
        "<blockquote><p>「寒さに負けず楽しんでほしい」</p><p>実行委員会</p></blockquote>"
    )
    assert picture.item_class == "picture"
    assert picture.body_html == ""
    (pic,) = picture.pictures
    assert pic.href == "https://media.sample.sokuho.example/20260205/festival-hi.jpg"
    assert pic.uri == picture.guid
    assert pic.caption.startswith("みなと川町の雪まつりで")
    assert pic.credit == "サンプル通信"
    assert pic.alt_text == "雪像の前に立つ親子三人"
    assert pic.renditions == [
        WireRendition(
            "https://media.sample.sokuho.example/20260205/festival-hi.jpg", 3000, 2000, "image/jpeg"
        ),
        ("https://media.sample.sokuho.example/20260205/festival-th.jpg", 300, 200, "image/jpeg"),
    ]
    # The file:///etc/passwd rendition is dropped, and said so.
    assert any("file" in w and "dropped" in w for w in picture.warnings)


def test_update_sequence_keeps_guid_and_orders_versions() -> None:
    items = [parse_one(fixture(f"newsmlg2/update_v{v}.xml")) for v in (1, 2, 3)]
    assert len({i.guid for i in items}) == 1
    assert [i.version for i in items] == [1, 2, 3]
    created = [i.version_created for i in items]
    assert created == sorted(created) and None not in created
    assert [i.signals for i in items] == [set(), {"update"}, {"update"}]
    assert items[1].editor_note == "第２段落を追加"
    assert items[1].body_html.count("<p>") == 3
    assert items[2].headline == "ほしぞら市の大雨警報、注意報に切り替え"
    assert all(i.first_created == items[0].first_created for i in items)
    # English by-line and dateline conventions.
    assert items[0].bylines == ["Akari Hoshino", "Ichiro Suzuki"]
    assert items[0].dateline_place == "HOSHIZORA"


def test_correction() -> None:
    item = parse_one(fixture("newsmlg2/correction.xml"))
    assert item.signals == {"correction"}
    assert item.status == "usable"
    assert item.version == 4
    assert item.editor_note.startswith("訂正：")


def test_kill_is_canceled() -> None:
    item = parse_one(fixture("newsmlg2/kill.xml"))
    assert item.status == "canceled"
    assert not item.is_usable
    assert "取り消します" in item.editor_note


def test_embargo_and_expiry() -> None:
    item = parse_one(fixture("newsmlg2/embargo.xml"))
    assert item.embargo == datetime(2026, 2, 5, 20, 0, tzinfo=UTC)
    assert item.status == "usable"  # embargo is a time, not a status: ingest holds it
    # A date-only expiry is midnight (UTC; no offset given, none invented).
    assert item.expires == datetime(2026, 3, 31, tzinfo=UTC)
    assert item.editor_note == "解禁は６日午前５時"


def test_package_item_lists_its_members() -> None:
    item = parse_one(fixture("newsmlg2/package.xml"))
    assert item.item_class == "package"
    assert item.headline == "みなと川町の雪まつり（記事と写真）"
    assert item.item_refs == [
        "urn:newsml:sample.sokuho.example:20260205:minatogawa-festival",
        "urn:newsml:sample.sokuho.example:20260205:minatogawa-festival-photo",
    ]
    assert any("item_refs" in w for w in item.warnings)


def test_iso_2022_jp_item() -> None:
    source = newsml_item(7, encoding="ISO-2022-JP")
    assert b"\x1b$B" in source  # really ISO-2022-JP on the wire
    item = parse_one(source)
    reference = parse_one(newsml_item(7))
    assert item.headline == reference.headline and "みなと川町" in item.headline
    assert item.body_html == reference.body_html
    assert item.warnings == []


@pytest.mark.parametrize(
    ("label", "codec"), [("Shift_JIS", "cp932"), ("EUC-JP", "euc_jp"), ("UTF-16", "utf-16")]
)
def test_other_declared_encodings(label: str, codec: str) -> None:
    item = parse_one(newsml_item(5, encoding=label, body="nitf"))
    assert item.headline == parse_one(newsml_item(5, body="nitf")).headline


def test_utf8_bom() -> None:
    data = b"\xef\xbb\xbf" + fixture("newsmlg2/text_item.xml")
    assert parse_one(data).headline == "ほしぞら市で新しい歩道橋が開通"


def test_utf8_bom_wins_over_a_contradicting_declaration() -> None:
    data = b"\xef\xbb\xbf" + fixture("newsmlg2/update_v1.xml").replace(
        b'encoding="UTF-8"', b'encoding="Shift_JIS"'
    )
    item = parse_one(data)
    assert item.headline == "ほしぞら市に大雨警報"
    assert any("byte-order mark" in w for w in item.warnings)


def test_iso_8859_1_declared_but_windows_1252_bytes() -> None:
    data = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        f'<newsItem xmlns="{NAR}" guid="urn:x:1" version="1"><itemMeta>'
        "<versionCreated>2026-02-05T10:00:00Z</versionCreated></itemMeta>"
        "<contentMeta><headline>Caf\u00e9 \u201cquotes\u201d</headline></contentMeta></newsItem>"
    ).encode("cp1252")
    item = parse_one(data)
    assert item.headline == "Caf\u00e9 \u201cquotes\u201d"
    assert any("cp1252" in w for w in item.warnings)


def test_declared_shift_jis_that_is_really_utf8_falls_back_with_a_warning() -> None:
    data = fixture("newsmlg2/update_v1.xml").replace(b'encoding="UTF-8"', b'encoding="Shift_JIS"')
    item = parse_one(data)
    assert item.headline == "ほしぞら市に大雨警報"
    assert any("does not fit" in w for w in item.warnings)


def test_unknown_declared_encoding_is_refused() -> None:
    data = fixture("newsmlg2/update_v1.xml").replace(b'encoding="UTF-8"', b'encoding="x-klingon"')
    with pytest.raises(WireParseError) as err:
        parse_bytes(data)
    assert err.value.code == "encoding"


def test_message_with_one_bad_item_keeps_the_good_one() -> None:
    good = newsml_item(1).decode().split("\n", 1)[1]  # drop the XML declaration
    bad = newsml_item(2, headline="").decode().split("\n", 1)[1]
    concept = f'<conceptItem xmlns="{NAR}" guid="urn:concept"/>'
    data = (
        f'<newsMessage xmlns="{NAR}"><itemSet>{good}{bad}{concept}</itemSet></newsMessage>'.encode()
    )
    result = parse_document(data, "msg.xml")
    assert [i.guid for i in result.items] == ["urn:newsml:sample.sokuho.example:20260205:story-1"]
    assert [(r.index, r.error.code) for r in result.rejected] == [
        (2, "no-headline"),
        (3, "unsupported-item"),
    ]
    (item,) = parse_bytes(data, "msg.xml")
    assert sum("was refused" in w for w in item.warnings) == 2


def test_message_without_usable_items_is_refused() -> None:
    bad = newsml_item(2, headline="").decode().split("\n", 1)[1]
    with pytest.raises(WireParseError) as err:
        parse_bytes(f'<newsMessage xmlns="{NAR}"><itemSet>{bad}</itemSet></newsMessage>'.encode())
    assert err.value.code == "no-usable-item"
    assert "no headline" in err.value.reason


def test_generated_message_mixes_body_kinds() -> None:
    items = parse_bytes(newsml_message([0, 1, 2]))
    assert len(items) == 3
    assert all(i.body_html.startswith("<p>") for i in items)


def _item(
    meta: str = "", content_meta: str = "<headline>見出し</headline>", content_set: str = ""
) -> bytes:
    return (
        f'<newsItem xmlns="{NAR}" guid="urn:sample:1" version="3"><itemMeta>'
        '<itemClass qcode="ninat:text"/>'
        f"<versionCreated>2026-02-05T10:00:00+09:00</versionCreated>{meta}</itemMeta>"
        f"<contentMeta>{content_meta}</contentMeta>"
        f"<contentSet>{content_set}</contentSet></newsItem>"
    ).encode()


def test_status_uri_form_and_unknown_status() -> None:
    withheld = parse_one(
        _item('<pubStatus uri="http://cv.iptc.org/newscodes/pubstatusg2/withheld"/>')
    )
    assert withheld.status == "withheld"
    odd = parse_one(_item('<pubStatus qcode="stat:replaced"/>'))
    assert odd.status == "withheld"
    assert any("replaced" in w for w in odd.warnings)


def test_empty_embargoed_means_until_further_notice() -> None:
    item = parse_one(_item('<embargoed/><pubStatus qcode="stat:usable"/>'))
    assert item.status == "withheld"
    assert item.embargo is None
    assert any("further notice" in w for w in item.warnings)


def test_bad_and_naive_dates_are_warnings_not_errors() -> None:
    item = parse_one(
        _item("<firstCreated>not a date</firstCreated><embargoed>2026-02-06T05:00:00</embargoed>")
    )
    assert item.first_created is None
    assert item.embargo == datetime(2026, 2, 6, 5, 0, tzinfo=UTC)
    assert any("unreadable date" in w for w in item.warnings)
    assert any("no UTC offset" in w for w in item.warnings)


def test_inline_data_plain_text_and_base64() -> None:
    plain = parse_one(
        _item(
            content_set='<inlineData contenttype="text/plain">'
            "第一段落。\n\n第二段落 &lt;b&gt;</inlineData>"
        )
    )
    assert plain.body_html == "<p>第一段落。</p><p>第二段落 &lt;b&gt;</p>"
    encoded = base64.b64encode("<p>本文</p><script>x()</script>".encode()).decode()
    html = parse_one(
        _item(
            content_set='<inlineData contenttype="text/html" encoding="base64">'
            f"{encoded}</inlineData>"
        )
    )
    assert html.body_html == "<p>本文</p>"


def test_unsupported_inline_xml_is_a_warning() -> None:
    item = parse_one(
        _item(
            content_set='<inlineXML contenttype="application/sportsml+xml">'
            "<sports-content/></inlineXML>"
        )
    )
    assert item.body_html == ""
    assert any("sports-content" in w for w in item.warnings)
    assert any("no body" in w for w in item.warnings)


def test_missing_guid_is_refused() -> None:
    data = _item().replace(b' guid="urn:sample:1"', b"")
    with pytest.raises(WireParseError) as err:
        parse_bytes(data)
    assert err.value.code == "no-guid"


def test_by_falls_back_to_creators_but_not_organisations() -> None:
    content_meta = (
        "<creator><name>山田花子</name></creator>"
        '<creator type="cpnat:organisation"><name>サンプル通信</name></creator>'
        "<headline>見出し</headline>"
    )
    item = parse_one(_item(content_meta=content_meta))
    assert item.bylines == ["山田花子"]
