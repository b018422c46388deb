"""Format detection from content (never from the file name)."""

from __future__ import annotations

import json

import pytest

from sokuho.wire.parsing import WireParseError, detect_format
from sokuho.wire.parsing.detect import classify_json, sniff_syntax
from sokuho.wire.testing import newsml_item, newsml_message, ninjs_item, nitf_item

from .helpers import fixture, reencode_xml


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("newsmlg2/text_item.xml", "newsml-g2"),
        ("newsmlg2/message_two_items.xml", "newsml-g2"),
        ("newsmlg2/package.xml", "newsml-g2"),
        ("ninjs/ninjs1_text.json", "ninjs"),
        ("ninjs/ninjs2_text.json", "ninjs"),
        ("ninjs/ninjs3_text.json", "ninjs"),
        ("ninjs/ninjs3_picture.json", "ninjs"),
        ("nitf/nitf36_ns.xml", "nitf"),
        ("nitf/nitf_legacy.xml", "nitf"),
    ],
)
def test_fixture_formats(name: str, expected: str) -> None:
    assert detect_format(fixture(name)) == expected


def test_generated_documents_are_detected() -> None:
    assert detect_format(newsml_item(1)) == "newsml-g2"
    assert detect_format(newsml_message([1, 2])) == "newsml-g2"
    for major in (1, 2, 3):
        assert detect_format(ninjs_item(1, major=major)) == "ninjs"
    assert detect_format(nitf_item(1, namespaced=True)) == "nitf"
    assert detect_format(nitf_item(1, namespaced=False)) == "nitf"


def test_detection_ignores_the_declared_encoding() -> None:
    data = reencode_xml(fixture("nitf/nitf_legacy.xml"), "Shift_JIS", "cp932")
    assert detect_format(data) == "nitf"
    assert detect_format(nitf_item(3, encoding="UTF-16")) == "nitf"


@pytest.mark.parametrize(
    ("data", "syntax"),
    [
        (b"<x/>", "xml"),
        (b"\n\t  <?xml version='1.0'?><x/>", "xml"),
        (b"\xef\xbb\xbf<x/>", "xml"),
        ("<x/>".encode("utf-16"), "xml"),
        ("<x/>".encode("utf-16-be"), "xml"),
        (b' {"uri": "a"}', "json"),
        (b"[]", "json"),
        ('{"a": 1}'.encode("utf-16"), "json"),
    ],
)
def test_sniff_syntax(data: bytes, syntax: str) -> None:
    assert sniff_syntax(data) == syntax


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "empty", "empty"),
        (b"  \n\t ", "empty", "empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "not-wire", "PNG"),
        (b"%PDF-1.7\n", "not-wire", "PDF"),
        (b"Subject: hello\n\nplain mail", "not-wire", "neither XML nor JSON"),
    ],
)
def test_non_wire_input_is_refused_with_a_reason(data: bytes, code: str, words: str) -> None:
    with pytest.raises(WireParseError) as err:
        detect_format(data)
    assert err.value.code == code
    assert words in err.value.reason


@pytest.mark.parametrize(
    "obj",
    [
        {},
        {"title": "x", "content": "y"},
        {"type": "FeatureCollection", "features": []},
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "title": "t"},
        [1, 2, 3],
        [{"uri": "urn:a", "headline": "ok"}, {"foo": "bar"}],
    ],
)
def test_json_that_is_not_ninjs_is_refused(obj: object) -> None:
    with pytest.raises(WireParseError) as err:
        detect_format(json.dumps(obj).encode())
    assert err.value.code == "not-ninjs"
    assert "ninjs" in err.value.reason


@pytest.mark.parametrize(
    "obj",
    [
        {"uri": "urn:x", "headline": "h"},
        {"uri": "urn:x", "type": "text"},
        {"headlines": [{"value": "h"}], "bodies": []},  # no uri: still ninjs (and refused later)
        {"$standard": {"name": "ninjs", "version": "1.3"}, "foo": 1},
        {"standard": {"name": "ninjs", "version": "3.0"}},
        {"$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"},
        [{"uri": "urn:a", "headline": "a"}, {"uri": "urn:b", "headline": "b"}],
    ],
)
def test_ninjs_hints_and_key_style(obj: object) -> None:
    assert classify_json(obj) == "ninjs"


@pytest.mark.parametrize(
    ("xml", "words"),
    [
        (b'<conceptItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="c"/>', "conceptItem"),
        (b'<knowledgeItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="k"/>', "knowledgeItem"),
        (b'<planningItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="p"/>', "planningItem"),
        (b'<catalogItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="c"/>', "catalogItem"),
        (b'<newsItem guid="no-namespace"/>', "not in the NewsML-G2 namespace"),
        (b'<NewsML Version="1.2"><NewsItem/></NewsML>', "NewsML 1.x"),
        (b"<rss version='2.0'><channel/></rss>", "unknown XML document root <rss>"),
        (b'<nitf xmlns="urn:not-nitf"/>', "unknown XML document root"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "unknown XML"),
    ],
)
def test_xml_that_is_not_a_news_item_is_refused(xml: bytes, words: str) -> None:
    with pytest.raises(WireParseError) as err:
        detect_format(xml)
    assert words in err.value.reason
