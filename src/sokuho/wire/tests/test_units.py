"""Unit tests of the shared helpers: dates, by-lines, datelines, HTML, encodings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sokuho.wire.parsing.dates import parse_datetime
from sokuho.wire.parsing.encoding import declared_xml_encoding, decode_xml
from sokuho.wire.parsing.html import sanitize_html, text_to_html
from sokuho.wire.parsing.text import dateline_place, norm_space, split_byline

JST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-05T16:30:00+09:00", datetime(2026, 2, 5, 16, 30, tzinfo=JST)),
        ("2026-02-05T16:30:00+0900", datetime(2026, 2, 5, 16, 30, tzinfo=JST)),
        ("2026-02-05T16:30:00+09", datetime(2026, 2, 5, 16, 30, tzinfo=JST)),
        ("2026-02-05T07:30:00Z", datetime(2026, 2, 5, 7, 30, tzinfo=UTC)),
        ("2026-02-05T07:30:00.123456789Z", datetime(2026, 2, 5, 7, 30, 0, 123456, tzinfo=UTC)),
        ("2026-02-05 07:30Z", datetime(2026, 2, 5, 7, 30, tzinfo=UTC)),
        ("20260205T163000+0900", datetime(2026, 2, 5, 16, 30, tzinfo=JST)),
        ("20260205T1630+0900", datetime(2026, 2, 5, 16, 30, tzinfo=JST)),
        ("20260205", datetime(2026, 2, 5, tzinfo=UTC)),
        ("2026-02-05", datetime(2026, 2, 5, tzinfo=UTC)),
        ("2026-02-05+09:00", datetime(2026, 2, 5, tzinfo=JST)),
        ("  2026-02-05T16:30:00+09:00 \n", datetime(2026, 2, 5, 16, 30, tzinfo=JST)),
        ("2026-02-05T24:00:00Z", datetime(2026, 2, 6, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_dates_without_warnings(text: str, expected: datetime) -> None:
    warnings: list[str] = []
    value = parse_datetime(text, warnings)
    assert value == expected
    assert value is not None and value.utcoffset() == expected.utcoffset()
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "expected", "words"),
    [
        ("2026-02-05T16:30:00", datetime(2026, 2, 5, 16, 30, tzinfo=UTC), "no UTC offset"),
        ("2026-02", datetime(2026, 2, 1, tzinfo=UTC), "truncated"),
        ("2026", datetime(2026, 1, 1, tzinfo=UTC), "truncated"),
        ("2026-02-30", None, "unreadable"),
        ("2026-13-01T00:00:00Z", None, "unreadable"),
        ("2026-02-05T16:30:00+25:00", None, "unreadable"),
        ("February 29th 2024", None, "unreadable"),
        ("yesterday", None, "unreadable"),
        (20260205, None, "expected a date string"),
        ({"start": "2026"}, None, "expected a date string"),
    ],
)
def test_dates_with_warnings(text: object, expected: datetime | None, words: str) -> None:
    warnings: list[str] = []
    assert parse_datetime(text, warnings, field="embargoed") == expected
    assert len(warnings) == 1 and words in warnings[0] and warnings[0].startswith("embargoed")


def test_date_default_zone_is_configurable() -> None:
    assert parse_datetime("2026-02-05", [], default_tz=JST) == datetime(2026, 2, 5, tzinfo=JST)
    assert parse_datetime("", []) is None and parse_datetime(None, []) is None


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("BY JANE ROE", ["JANE ROE"]),
        ("山田花子、鈴木一郎", ["山田花子", "鈴木一郎"]),
        ("山田花子記者、鈴木一郎記者", ["山田花子", "鈴木一郎"]),
        ("（ほしぞら支局）山田花子", ["山田花子"]),
        ("文・星野あかり", ["星野あかり"]),
        ("ジョン・ドウ", ["ジョン・ドウ"]),  # the katakana middle dot is not a separator
        ("By Meredith Jameson, Staff Reporter", ["Meredith Jameson"]),
        ("Von Christian Hollmann, dpa", ["Christian Hollmann"]),
        ("Jane Roe of The Associated Press", ["Jane Roe"]),
        ("Paulo Santalucia and Frances d'Emilio", ["Paulo Santalucia", "Frances d'Emilio"]),
        ("Jane Roe, John Doe & Akari Hoshino", ["Jane Roe", "John Doe", "Akari Hoshino"]),
        ("", []),
        (None, []),
    ],
)
def test_split_byline(byline: str | None, names: list[str]) -> None:
    assert split_byline(byline) == names


@pytest.mark.parametrize(
    ("dateline", "place"),
    [
        ("MOSCOW, Monday (Reuters)", "MOSCOW"),
        ("NEW YORK (AP) —", "NEW YORK"),
        ("【ほしぞら市＝サンプル通信】", "ほしぞら市"),
        ("[キーウ 5日 ロイター]", "キーウ"),
        ("ほしぞら市、5日", "ほしぞら市"),
        ("みなと川町５日", "みなと川町"),
        ("", ""),
    ],
)
def test_dateline_place(dateline: str, place: str) -> None:
    assert dateline_place(dateline) == place


def test_norm_space_joins_japanese_wraps_only() -> None:
    assert norm_space("  ほしぞら市で\n   歩道橋が開通  ") == "ほしぞら市で歩道橋が開通"
    assert norm_space("a new\n   footbridge") == "a new footbridge"


def test_allowed_html_survives() -> None:
    html = (
        "<p>段落 <em>強調</em> <strong>太字</strong> <b>b</b> <i>i</i><br>改行 "
        '<a href="https://example.com/x" title="説明">リンク</a></p>'
        "<h2>小見出し</h2><h3>三</h3><h4>四</h4><ul><li>一</li></ul><ol><li>二</li></ol>"
        "<blockquote>引用</blockquote>"
    )
    assert sanitize_html(html) == html.replace('title="説明">', 'title="説明" rel="noopener">')


def test_disallowed_markup_goes_but_text_stays() -> None:
    out = sanitize_html(
        '<div class="x"><span style="color:red" onclick="x()">本文</span></div>'
        '<p><a href="javascript:void(0)">リンク文字</a><script>alert(1)</script></p>'
        "<img src=x onerror=alert(1)>"
    )
    assert out == "<p>本文</p><p>リンク文字</p>"


def test_loose_text_and_double_breaks_become_paragraphs() -> None:
    assert sanitize_html("一<br><br>二<br>三") == "<p>一</p><p>二<br>三</p>"
    assert sanitize_html("<p>\n   </p>  ") == ""


def test_text_to_html() -> None:
    assert text_to_html("一\n\n二\n  続き") == "<p>一</p><p>二続き</p>"  # a wrap, not a space
    assert text_to_html("one\n\ntwo\n  more") == "<p>one</p><p>two more</p>"
    assert text_to_html("　一行目\n　二行目\n") == "<p>一行目</p><p>二行目</p>"
    assert text_to_html("a < b & c") == "<p>a &lt; b &amp; c</p>"
    assert text_to_html("  \n ") == ""


def test_declared_encoding_and_decl_rewrite() -> None:
    data = '<?xml version="1.0" encoding="Shift_JIS"?><r>日本</r>'.encode("cp932")
    assert declared_xml_encoding(data) == "shift_jis"
    assert decode_xml(data, []) == '<?xml version="1.0" encoding="UTF-8"?><r>日本</r>'.encode()
    assert declared_xml_encoding(b"<r/>") is None
