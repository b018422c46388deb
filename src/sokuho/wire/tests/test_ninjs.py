"""ninjs 1.x, 2.x and 3.x (fixtures are fictional sample content)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sokuho.wire.parsing import (
    WireParseError,
    WireRendition,
    WireSubject,
    parse_bytes,
    parse_document,
)
from sokuho.wire.testing import ninjs_item

from .helpers import fixture, parse_one

JST = timezone(timedelta(hours=9))


def _doc(**props: object) -> bytes:
    base: dict[str, object] = {
        "uri": "urn:sample:ninjs:1",
        "headline": "見出し",
        "versioncreated": "2026-02-05T10:00:00Z",
    }
    base.update(props)
    return json.dumps({k: v for k, v in base.items() if v is not None}, ensure_ascii=False).encode()


def test_ninjs_1x_text() -> None:
    item = parse_one(fixture("ninjs/ninjs1_text.json"))
    assert item.format == "ninjs"
    assert item.guid == item.uri == "https://sample.sokuho.example/ninjs/20260205-library"
    assert item.version == 1
    assert item.version_created == datetime(2026, 2, 5, 11, 0, tzinfo=JST)
    assert item.first_created == datetime(2026, 2, 5, 10, 45, tzinfo=JST)  # "+0900" form
    assert item.embargo == datetime(2026, 2, 5, 12, 0, tzinfo=UTC)
    assert item.status == "usable"
    assert item.headline == "ほしぞら市立図書館、夜間開館を開始"
    assert item.label == "ほしぞら-図書館"
    assert item.bylines == ["山田花子", "鈴木一郎"]
    assert item.located == item.dateline_place == "ほしぞら市"
    assert item.subjects == [WireSubject("medtop:05000000", "教育")]
    assert item.copyright_holder == "サンプル通信"
    assert item.copyright_notice == "© 2026 サンプル通信"
    assert item.usage_terms == "国内の報道目的に限り使用可"
    assert "sample content" in item.editor_note
    # body_html is preferred over body_text, and sanitised.
    assert item.body_html == (
        "<p>架空の町ほしぞら市の市立図書館は５日、<em>夜間開館</em>を始めた。</p>"
        "<p>平日は午後９時まで利用できる。"
        '<a href="https://sample.sokuho.example/library" rel="noopener">詳細</a></p>'
    )
    (pic,) = item.pictures  # from the 1.x dict-shaped associations
    assert pic.uri == "https://sample.sokuho.example/ninjs/20260205-library-photo"
    assert pic.href == "https://media.sample.sokuho.example/library-main.jpg"
    assert pic.caption.startswith("明かりがともる")
    assert pic.credit == "鈴木一郎"
    assert (
        WireRendition(
            "https://media.sample.sokuho.example/library-thumb.jpg", 200, 133, "image/jpeg"
        )
        in pic.renditions
    )
    assert item.warnings == []


def test_ninjs_2x_text() -> None:
    item = parse_one(fixture("ninjs/ninjs2_text.json"))
    assert item.version == 2
    assert (
        item.headline == "みなと川市民マラソン、過去最多の３千人が完走"
    )  # role "main", not the first
    assert item.bylines == ["Akari Hoshino", "Ichiro Suzuki"]
    assert item.label == "スポーツ"  # no slugline: the genre name
    assert item.subjects == [
        ("http://cv.iptc.org/newscodes/mediatopic/20001065", "マラソン"),
        ("local", "地域"),
    ]
    assert item.usage_terms == "ウェブ掲載可"
    # The text/html body is preferred over text/plain; h1 becomes h2, data: URL and style go.
    assert item.body_html.startswith("<h2>みなと川市民マラソン</h2><p>架空のみなと川町で５日")
    assert "data:" not in item.body_html and "style" not in item.body_html
    assert "データURL" in item.body_html
    (pic,) = item.pictures
    assert pic.caption == "ゴールするランナー（架空のサンプル写真）"
    assert pic.href == "https://media.sample.sokuho.example/marathon.jpg"
    assert item.warnings == []


def test_ninjs_3x_text() -> None:
    item = parse_one(fixture("ninjs/ninjs3_text.json"))
    assert item.version == 3
    assert item.version_created == datetime(2026, 2, 5, 18, 20, tzinfo=JST)
    assert item.first_created == datetime(2026, 2, 5, 8, 0, tzinfo=JST)
    assert item.embargo == datetime(2026, 2, 5, 19, 0, tzinfo=JST)  # embargoedUntil (3.x)
    assert item.expires is not None and item.expires.date() == date(2026, 2, 28)
    assert item.language == "ja-JP"
    assert item.urgency == 3
    assert item.bylines == ["Hanako Yamada"]  # "Von …, dpa": prefix and agency dropped
    assert item.provider == "サンプル通信"
    assert item.subjects == [WireSubject("medtop:20000380", "海運")]
    # text/plain without blank lines: one paragraph per line.
    assert item.body_html == (
        "<p>架空のほしぞら港と沖合の島を結ぶ新しいフェリーが来月就航する。</p><p>所要時間は４０分に短縮される。</p>"
    )
    assert item.warnings == []


def test_ninjs_3x_picture() -> None:
    item = parse_one(fixture("ninjs/ninjs3_picture.json"))
    assert item.item_class == "picture"
    assert item.headline == "試験運航する新フェリー"
    assert item.bylines == ["星野あかり"]  # 撮影 suffix dropped
    (pic,) = item.pictures
    assert pic.uri == item.uri
    assert pic.href == "https://media.sample.sokuho.example/ferry.jpg"  # the largest, not the first
    assert pic.caption == "ほしぞら港で試験運航する新フェリー（架空のサンプル写真）"
    assert pic.alt_text == "港を出る白いフェリー"
    assert [r.href for r in pic.renditions] == [
        "https://media.sample.sokuho.example/ferry-th.jpg",
        "https://media.sample.sokuho.example/ferry.jpg",
    ]
    assert any("file" in w for w in item.warnings)  # the file:// rendition was dropped


@pytest.mark.parametrize("major", [1, 2, 3])
def test_generated_items_of_each_generation_agree(major: int) -> None:
    item = parse_one(ninjs_item(4, major=major))
    reference = parse_one(ninjs_item(4, major=3))
    assert item.headline == reference.headline
    assert item.body_html == reference.body_html
    assert item.bylines == reference.bylines
    assert [p.href for p in item.pictures] == [p.href for p in reference.pictures]


@pytest.mark.parametrize(
    ("props", "status", "warned"),
    [
        ({"pubstatus": "usable"}, "usable", False),
        ({"pubstatus": "withheld"}, "withheld", False),
        ({"pubstatus": "canceled"}, "canceled", False),
        ({"pubStatus": "canceled"}, "canceled", False),
        ({"pubstatus": "cancelled"}, "withheld", True),  # not a ninjs value: hold it
        ({"pubstatus": "commissioned"}, "withheld", True),
        ({}, "usable", False),
    ],
)
def test_pubstatus(props: dict[str, str], status: str, warned: bool) -> None:
    item = parse_one(_doc(**props))
    assert item.status == status
    assert any("pubstatus" in w for w in item.warnings) == warned


def test_wrong_types_and_unknown_properties_are_warnings() -> None:
    item = parse_one(
        _doc(
            usageterms={"start": "2019"},
            version=1.2,
            genre="Fact Check",
            random="x",
            firstcreated=2019,
        )
    )
    assert item.usage_terms == "" and item.version is None and item.first_created is None
    text = " | ".join(item.warnings)
    for words in (
        "usageterms should be a string",
        "version",
        "genre should be an array",
        "'random'",
        "firstcreated",
    ):
        assert words in text, words


def test_missing_uri_or_headline_is_refused() -> None:
    with pytest.raises(WireParseError) as err:
        parse_bytes(_doc(uri=None))
    assert err.value.code == "no-guid"
    with pytest.raises(WireParseError) as err:
        parse_bytes(_doc(headline=None, body_text="本文"))
    assert err.value.code == "no-headline"
    assert "headline" in err.value.reason


def test_headline_extension_is_a_fallback_with_a_warning() -> None:
    item = parse_one(_doc(headline=None, headline_main="拡張見出し"))
    assert item.headline == "拡張見出し"
    assert any("headline_main" in w for w in item.warnings)


def test_array_of_ninjs_items() -> None:
    good = json.loads(ninjs_item(1, major=2))
    bad = json.loads(ninjs_item(2, major=2, headline=""))
    result = parse_document(json.dumps([good, bad], ensure_ascii=False).encode())
    assert len(result.items) == 1 and len(result.rejected) == 1
    assert result.rejected[0].guid == bad["uri"]
    (item,) = parse_bytes(json.dumps([good, bad], ensure_ascii=False).encode())
    assert any("refused" in w for w in item.warnings)


@pytest.mark.parametrize(
    ("encode", "warned"),
    [
        (lambda s: s.encode("utf-8"), False),
        (lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), False),
        (lambda s: s.encode("utf-16"), False),
        (lambda s: s.encode("utf-16-le"), True),
        (lambda s: s.encode("cp932"), True),
        (lambda s: s.encode("euc_jp"), True),
        (lambda s: s.encode("iso2022_jp"), True),
    ],
    ids=[
        "utf-8",
        "utf-8-bom",
        "utf-16-bom",
        "utf-16le-no-bom",
        "shift_jis",
        "euc-jp",
        "iso-2022-jp",
    ],
)
def test_json_encodings(encode, warned: bool) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps(
        {
            "uri": "urn:enc",
            "headline": "ほしぞら市の天気、あすは晴れ",
            "versioncreated": "2026-02-05T10:00:00Z",
        },
        ensure_ascii=False,
    )
    item = parse_one(encode(text))
    assert item.headline == "ほしぞら市の天気、あすは晴れ"
    assert any("JSON" in w or "decoded as" in w for w in item.warnings) == warned


def test_body_text_paragraphs_and_escaping() -> None:
    item = parse_one(_doc(body_text="一段落目。\r\n\r\n二段落目 <script>alert(1)</script> & 続き"))
    assert (
        item.body_html
        == "<p>一段落目。</p><p>二段落目 &lt;script&gt;alert(1)&lt;/script&gt; &amp; 続き</p>"
    )


def test_bodies_without_content_type_are_sniffed() -> None:
    html = parse_one(
        _doc(
            headline=None,
            headlines=[{"value": "見出し"}],
            bodies=[{"value": "<p>段落</p><p onclick='x'>二</p>"}],
        )
    )
    assert html.body_html == "<p>段落</p><p>二</p>"
    text = parse_one(_doc(bodies=[{"value": "一行目\n二行目"}]))
    assert text.body_html == "<p>一行目</p><p>二行目</p>"


def test_association_defects_are_warnings() -> None:
    rendition = {"href": "https://x.example/a.jpg", "width": 10, "height": 10}
    association = {"uri": "urn:pic", "type": "picture", "surprise": 1, "renditions": [rendition]}
    item = parse_one(_doc(associations=[association]))
    assert any("without a name" in w for w in item.warnings)
    assert any("'surprise'" in w for w in item.warnings)
    assert item.pictures[0].href == "https://x.example/a.jpg"


def test_naive_and_invalid_dates() -> None:
    item = parse_one(_doc(versioncreated="2026-02-05T10:00:00", embargoed="tomorrow"))
    assert item.version_created == datetime(2026, 2, 5, 10, 0, tzinfo=UTC)
    assert item.embargo is None
    assert any("no UTC offset" in w for w in item.warnings)
    assert any("unreadable date" in w for w in item.warnings)
