"""Generators of sample wire documents for tests and the parse benchmark.

All content is SAMPLE CONTENT: the people (山田花子, 鈴木一郎, 星野あかり), places
(ほしぞら市, みなと川町, あおば村) and the agency (サンプル通信) are fictional. Text
uses only JIS X 0208 characters so every document can be re-encoded as Shift_JIS,
EUC-JP or ISO-2022-JP.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

JST = timezone(timedelta(hours=9))
SAMPLE_NOTICE = "サンプルコンテンツ（架空の人物・地名）"
_PLACES = ("ほしぞら市", "みなと川町", "あおば村")
_PEOPLE = ("山田花子", "鈴木一郎", "星野あかり")
_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "{place}で新しい歩道橋が開通",
        (
            "{place}で５日、駅前の大通りをまたぐ歩道橋が開通した。",
            "式典で{person}市長は「安全な通学路になる」と述べた。",
        ),
    ),
    (
        "{place}の図書館、夜間開館を開始",
        (
            "{place}の市立図書館は５日、夜間開館を始めた。",
            "平日は午後９時まで利用できる。",
            "利用者は{person}さんら。",
        ),
    ),
    (
        "{place}で雪まつり、３年ぶり開催",
        (
            "{place}で５日、恒例の雪まつりが３年ぶりに開かれた。",
            "実行委員長の{person}さんは「楽しんでほしい」と話した。",
        ),
    ),
    (
        "{place}、路面電車の延伸を決定",
        (
            "{place}議会は５日、路面電車を港地区まで延伸する計画を可決した。",
            "延伸区間は約３キロ。",
            "{person}議長が結果を報告した。",
        ),
    ),
)

# Declared label → Python codec used to write the bytes.
ENCODINGS = {
    "UTF-8": "utf-8",
    "Shift_JIS": "cp932",
    "EUC-JP": "euc_jp",
    "ISO-2022-JP": "iso2022_jp",
    "UTF-16": "utf-16",  # Python writes a BOM
}


def _story(n: int) -> tuple[str, list[str], str, str]:
    place = _PLACES[n % len(_PLACES)]
    person = _PEOPLE[(n // 3) % len(_PEOPLE)]
    headline, paras = _TOPICS[n % len(_TOPICS)]
    fmt = {"place": place, "person": person}
    return headline.format(**fmt) + f"（{n}）", [p.format(**fmt) for p in paras], place, person


def _when(n: int, version: int = 1) -> datetime:
    return datetime(2026, 2, 5, 9, 0, tzinfo=JST) + timedelta(minutes=n, hours=version - 1)


def _encode(text: str, encoding: str, bom: bool = False) -> bytes:
    data = text.encode(ENCODINGS.get(encoding, encoding))
    return (b"\xef\xbb\xbf" + data) if bom and encoding == "UTF-8" else data


def newsml_item_xml(
    n: int,
    *,
    version: int = 1,
    body: str = "xhtml",
    status: str = "usable",
    signals: tuple[str, ...] = (),
    headline: str | None = None,
    guid: str | None = None,
    standalone: bool = True,
    encoding: str = "UTF-8",
) -> str:
    """A NewsML-G2 newsItem as text (``standalone=False``: no declaration, for messages)."""
    title, paras, place, person = _story(n)
    title = title if headline is None else headline
    guid = guid or f"urn:newsml:sample.sokuho.example:20260205:story-{n}"
    when = _when(n, version).isoformat()
    if body == "xhtml":
        inner = "".join(f"<p>{escape(p)}</p>" for p in paras)
        content = (
            '<inlineXML contenttype="application/xhtml+xml">'
            f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{inner}</body></html></inlineXML>'
        )
    elif body == "nitf":
        inner = "".join(f"<p>{escape(p)}</p>" for p in paras)
        content = (
            '<inlineXML contenttype="application/nitf+xml">'
            '<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head>'
            f"<byline><person>{escape(person)}</person></byline></body.head>"
            f"<body.content>{inner}</body.content></body></nitf></inlineXML>"
        )
    else:
        content = f'<inlineData contenttype="text/plain">{escape(chr(10).join(paras))}</inlineData>'
    signal_xml = "".join(f'<signal qcode="sig:{s}"/>' for s in signals)
    headline_xml = f"<headline>{escape(title)}</headline>" if title else ""
    decl = f'<?xml version="1.0" encoding="{encoding}"?>\n' if standalone else ""
    return (
        f"{decl}<!-- {SAMPLE_NOTICE} / sample content, fictional -->\n"
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" '
        f'guid={quoteattr(guid)} version="{version}" standard="NewsML-G2" '
        'standardversion="2.35" xml:lang="ja">'
        '<catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_39.xml"/>'
        "<rightsInfo><copyrightHolder><name>サンプル通信</name></copyrightHolder>"
        f"<copyrightNotice>{SAMPLE_NOTICE}</copyrightNotice></rightsInfo>"
        '<itemMeta><itemClass qcode="ninat:text"/>'
        '<provider qcode="nprov:SAMPLE"><name>サンプル通信</name></provider>'
        f"<versionCreated>{when}</versionCreated><firstCreated>{_when(n).isoformat()}</firstCreated>"
        f'<pubStatus qcode="stat:{status}"/>{signal_xml}</itemMeta>'
        f"<contentMeta><located><name>{place}</name></located>"
        '<subject qcode="medtop:20000346"><name>公共交通</name></subject>'
        f"<slugline>sample-{n}</slugline>{headline_xml}<by>{person}</by>"
        f"<dateline>【{place}＝サンプル通信】</dateline></contentMeta>"
        f"<contentSet>{content}</contentSet></newsItem>\n"
    )


def newsml_item(n: int, *, encoding: str = "UTF-8", bom: bool = False, **kwargs: object) -> bytes:
    return _encode(newsml_item_xml(n, encoding=encoding, **kwargs), encoding, bom)  # type: ignore[arg-type]


def newsml_message(numbers: list[int], *, encoding: str = "UTF-8") -> bytes:
    items = "".join(
        newsml_item_xml(n, body=("xhtml", "nitf", "text")[n % 3], standalone=False) for n in numbers
    )
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">'
        "<header><sent>2026-02-05T17:00:00+09:00</sent><sender>sample.sokuho.example</sender></header>"
        f"<itemSet>{items}</itemSet></newsMessage>\n"
    )
    return _encode(text, encoding)


def ninjs_item(n: int, *, major: int = 3, headline: str | None = None) -> bytes:
    """A ninjs 1.x, 2.x or 3.x text item with one associated picture."""
    title, paras, place, person = _story(n)
    title = title if headline is None else headline
    uri = f"urn:sample.sokuho.example:ninjs{major}:story-{n}"
    when = _when(n).isoformat()
    picture = {
        "uri": f"{uri}-photo",
        "type": "picture",
        "headline" if major == 1 else "headlines": title if major == 1 else [{"value": title}],
    }
    renditions = [
        {
            "name": "original",
            "href": f"https://media.sample.sokuho.example/{n}.jpg",
            "width": 2400,
            "height": 1600,
        },
        {
            "name": "thumb",
            "href": f"https://media.sample.sokuho.example/{n}-th.jpg",
            "width": 240,
            "height": 160,
        },
    ]
    doc: dict[str, object]
    if major == 1:
        for r in renditions:
            r["mimetype"] = "image/jpeg"
        picture["renditions"] = {r.pop("name"): r for r in renditions}
        picture["description_text"] = f"{place}の様子（サンプル写真）"
        doc = {
            "uri": uri, "type": "text", "version": "1", "versioncreated": when,
            "pubstatus": "usable", "language": "ja", "headline": title, "byline": person,
            "located": place, "ednote": SAMPLE_NOTICE, "copyrightholder": "サンプル通信",
            "subject": [{"name": "公共交通", "code": "medtop:20000346"}],
            "body_html": "".join(f"<p>{escape(p)}</p>" for p in paras),
            "associations": {"mainpic": picture},
        }  # fmt: skip
    else:
        ct = "contentType" if major == 3 else "contenttype"
        for r in renditions:
            r[ct] = "image/jpeg"
        picture["renditions"] = renditions
        picture["name"] = "mainpic"
        picture["descriptions"] = [{"role": "caption", "value": f"{place}の様子（サンプル写真）"}]
        camel = major == 3
        doc = {
            "uri": uri, "type": "text", "version": "1",
            ("versionCreated" if camel else "versioncreated"): when,
            ("pubStatus" if camel else "pubstatus"): "usable",
            "language": "ja", "headlines": [{"role": "main", "value": title}], "by": person,
            "located": place, ("edNote" if camel else "ednote"): SAMPLE_NOTICE,
            ("copyrightHolder" if camel else "copyrightholder"): "サンプル通信",
            "subjects": [{"name": "公共交通", "literal": "medtop:20000346"}],
            "bodies": [{"role": "main", ct: "text/plain", "value": "\n".join(paras)}],
            "associations": [picture],
        }  # fmt: skip
    if not title:
        doc.pop("headline", None)
        doc.pop("headlines", None)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def nitf_xml(n: int, *, namespaced: bool = True, encoding: str = "UTF-8", version: int = 1) -> str:
    title, paras, place, person = _story(n)
    ns = ' xmlns="http://iptc.org/std/NITF/2006-10-18/"' if namespaced else ""
    stamp = _when(n, version).strftime("%Y%m%dT%H%M%S%z")
    paras_xml = "".join(f"<p>{escape(p)}</p>" for p in paras)
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f"<!-- {SAMPLE_NOTICE} / sample content, fictional -->\n"
        f'<nitf{ns} xml:lang="ja"><head><title>{escape(title)}</title>'
        '<docdata management-status="usable">'
        f'<doc-id regsrc="サンプル通信" id-string="sample-nitf-{n}"/>'
        f'<date.issue norm="{stamp}"/><du-key key="sample-{n}" version="{version}"/>'
        '<doc.copyright year="2026" holder="サンプル通信"/></docdata></head>'
        f"<body><body.head><hedline><hl1>{escape(title)}</hl1></hedline>"
        f"<byline>{person}記者</byline>"
        f"<dateline><location><city>{place}</city></location></dateline></body.head>"
        f"<body.content>{paras_xml}</body.content></body></nitf>\n"
    )


def nitf_item(
    n: int, *, namespaced: bool = True, encoding: str = "UTF-8", bom: bool = False, version: int = 1
) -> bytes:
    return _encode(
        nitf_xml(n, namespaced=namespaced, encoding=encoding, version=version), encoding, bom
    )


def mixed_batch(count: int, *, seed: int = 20260205) -> list[tuple[str, bytes]]:
    """``count`` single-item documents in mixed formats and encodings, deterministic.

    Returns ``(label, bytes)`` pairs; each document yields exactly one item.
    """
    rng = random.Random(seed)
    makers = (
        ("newsml-g2/xhtml", lambda n: newsml_item(n, body="xhtml")),
        ("newsml-g2/nitf", lambda n: newsml_item(n, body="nitf")),
        ("newsml-g2/text/shift_jis", lambda n: newsml_item(n, body="text", encoding="Shift_JIS")),
        ("ninjs/1", lambda n: ninjs_item(n, major=1)),
        ("ninjs/2", lambda n: ninjs_item(n, major=2)),
        ("ninjs/3", lambda n: ninjs_item(n, major=3)),
        ("nitf/ns", lambda n: nitf_item(n)),
        ("nitf/plain/euc-jp", lambda n: nitf_item(n, namespaced=False, encoding="EUC-JP")),
        ("nitf/iso-2022-jp", lambda n: nitf_item(n, encoding="ISO-2022-JP")),
    )
    batch = []
    for n in range(count):
        label, make = makers[rng.randrange(len(makers))]
        batch.append((label, make(n)))
    return batch
