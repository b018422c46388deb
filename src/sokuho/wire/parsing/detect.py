"""Which wire format a byte string is, from its content (never its file name).

XML is classified by root element and namespace, JSON by ninjs' own hints
(``$standard``/``standard``/``$schema``) or, failing those, by its property names.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from lxml import etree

from .encoding import decode_json, decode_xml, sniff_bom, sniff_unmarked_utf16
from .errors import WireParseError
from .item import Format
from .ninjs import looks_like_ninjs
from .nitf import NITF_NS
from .xml import check_size, localname, namespace, parse_xml

NAR = "http://iptc.org/std/nar/2006-10-01/"
_G2_ROOTS = frozenset({"newsItem", "newsMessage", "packageItem"})
_G2_NON_NEWS = frozenset({"conceptItem", "knowledgeItem", "catalogItem", "planningItem", "catalog"})
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip-compressed data",
}


def sniff_syntax(data: bytes) -> Literal["xml", "json"]:
    """``"xml"`` or ``"json"`` from the first significant character; refuses the rest."""
    if not data or not data.strip():
        raise WireParseError("input is empty", code="empty")
    head = data[:64]
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise WireParseError(f"input is {what}, not a wire document", code="not-wire")
    bom = sniff_bom(head)
    codec = bom[0] if bom else sniff_unmarked_utf16(head)
    if codec:
        text = head[bom[1] if bom else 0 :].decode(codec, errors="ignore")
    else:
        text = head.decode("latin-1")
    first = text.lstrip(" \t\r\n\ufeff")[:1]
    if first == "<":
        return "xml"
    if first in ("{", "["):
        return "json"
    raise WireParseError(
        f"input is neither XML nor JSON (starts with {head[:12]!r})", code="not-wire"
    )


def classify_root(root: etree._Element) -> Format:
    """The format of a parsed XML document, or a refusal saying what it is instead."""
    name, ns = localname(root), namespace(root)
    if ns == NAR:
        if name in _G2_ROOTS:
            return "newsml-g2"
        if name in _G2_NON_NEWS:
            raise WireParseError(
                f"NewsML-G2 {name} carries concepts, catalogs or plans, not a news story; "
                "not ingested",
                code="unsupported-item",
            )
        raise WireParseError(f"unknown NewsML-G2 root element <{name}>", code="unknown-format")
    if name == "nitf" and ns in ("", NITF_NS):
        return "nitf"
    if name == "NewsML" and not ns:
        raise WireParseError("NewsML 1.x is not supported (only NewsML-G2)", code="unknown-format")
    if name in _G2_ROOTS | _G2_NON_NEWS:
        raise WireParseError(
            f"<{name}> is not in the NewsML-G2 namespace {NAR} (found {ns or 'no namespace'})",
            code="unknown-format",
        )
    where = f"{{{ns}}}" if ns else ""
    raise WireParseError(f"unknown XML document root <{where}{name}>", code="unknown-format")


def classify_json(obj: Any) -> Literal["ninjs"]:
    """``"ninjs"`` for a ninjs object or an array of them; refuses other JSON."""
    if isinstance(obj, list):
        if obj and all(looks_like_ninjs(o) for o in obj):
            return "ninjs"
        raise WireParseError("JSON array is not a list of ninjs items", code="not-ninjs")
    if looks_like_ninjs(obj):
        return "ninjs"
    keys = ", ".join(sorted(obj)[:8]) if isinstance(obj, dict) else type(obj).__name__
    raise WireParseError(
        "JSON is not ninjs (no ninjs standard hint and no ninjs properties; "
        f"found: {keys or 'nothing'})",
        code="not-ninjs",
    )


def load_json(data: bytes, warnings: list[str]) -> Any:
    text = decode_json(data, warnings)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise WireParseError(f"JSON is not well-formed: {exc}", code="json-syntax") from exc
    except RecursionError as exc:  # "[[[[…" nesting bombs
        raise WireParseError("JSON is nested too deeply", code="json-syntax") from exc
    except ValueError as exc:  # e.g. integers beyond the str→int digit limit
        raise WireParseError(f"JSON could not be read: {exc}", code="json-syntax") from exc


def detect_format(data: bytes) -> Format:
    """The wire format of ``data``; raises ``WireParseError`` when it is none of them."""
    check_size(data)
    warnings: list[str] = []
    if sniff_syntax(data) == "json":
        return classify_json(load_json(data, warnings))
    return classify_root(parse_xml(decode_xml(data, warnings), warnings))
