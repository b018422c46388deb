"""Wire-format parsing: NewsML-G2, ninjs and NITF bytes → :class:`WireItem` lists.

Pure functions, no Django. Entry points:

* :func:`parse_bytes` – the items of a document; refuses the document (raises
  :class:`WireParseError`) when it yields no usable item.
* :func:`parse_document` – the same, plus the refusals of individual items of a
  multi-item document (a newsMessage or a JSON array of ninjs items), for ingest logs.

Multi-item documents: items that fail (no headline, a conceptItem in a newsMessage …)
are skipped, and every returned item gets a warning naming them. A packageItem is
returned as one item with ``item_class == "package"`` whose ``item_refs`` lists its
members' residrefs (plus a warning); members are not resolved here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .detect import classify_json, classify_root, detect_format, load_json, sniff_syntax
from .encoding import decode_xml
from .errors import WireParseError
from .item import WireItem, WirePicture, WireRendition, WireSubject, finish_item
from .newsmlg2 import parse_newsml_g2
from .ninjs import parse_ninjs
from .nitf import parse_nitf
from .xml import MAX_INPUT_BYTES, check_size, parse_xml

__all__ = [
    "MAX_INPUT_BYTES",
    "ParseResult",
    "RejectedItem",
    "WireItem",
    "WireParseError",
    "WirePicture",
    "WireRendition",
    "WireSubject",
    "detect_format",
    "parse_bytes",
    "parse_document",
]


@dataclass
class RejectedItem:
    """An item of a multi-item document that could not be used."""

    index: int  # 1-based position in the document
    guid: str
    error: WireParseError


@dataclass
class ParseResult:
    items: list[WireItem] = field(default_factory=list)
    rejected: list[RejectedItem] = field(default_factory=list)


def parse_document(data: bytes, filename: str = "") -> ParseResult:
    """All usable items of a wire document, and the refused ones with reasons.

    Raises :class:`WireParseError` when the document itself is unusable (too large,
    not well-formed, hostile, unknown format) or when a single-item document's item is.
    """
    try:
        return _parse(data, filename)
    except WireParseError as exc:
        exc.filename = exc.filename or filename
        raise
    except RecursionError as exc:  # pathological nesting the parsers walk recursively
        raise WireParseError(
            "document is nested too deeply", code="too-deep", filename=filename
        ) from exc


def parse_bytes(data: bytes, filename: str = "") -> list[WireItem]:
    """The items of a wire document (NewsML-G2, ninjs 1–3 or NITF), detected from content.

    A newsMessage or JSON array may yield several items; refused members are skipped
    and named in each returned item's ``warnings``. Raises :class:`WireParseError`
    (with a readable ``reason``) when nothing usable remains.
    """
    result = parse_document(data, filename)
    if not result.items:
        reasons = "; ".join(
            f"item {r.index} ({r.guid or 'no guid'}): {r.error.reason}" for r in result.rejected
        )
        raise WireParseError(
            f"no usable item in the document: {reasons}", code="no-usable-item", filename=filename
        )
    if result.rejected:
        notes = [
            f"item {r.index} ({r.guid or 'no guid'}) of this document was refused: {r.error.reason}"
            for r in result.rejected
        ]
        for item in result.items:
            item.warnings.extend(notes)
    return result.items


def _parse(data: bytes, filename: str) -> ParseResult:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("parse_bytes() takes bytes; decode nothing before calling it")
    data = bytes(data)
    check_size(data)
    warnings: list[str] = []
    if sniff_syntax(data) == "json":
        obj = load_json(data, warnings)
        classify_json(obj)
        objs = obj if isinstance(obj, list) else [obj]
        result = ParseResult()
        for index, one in enumerate(objs, start=1):
            try:
                item = finish_item(parse_ninjs(one, list(warnings)), filename=filename)
                result.items.append(item)
            except WireParseError as exc:
                if len(objs) == 1:
                    raise
                guid = one.get("uri") if isinstance(one.get("uri"), str) else ""
                exc.guid = exc.guid or guid
                result.rejected.append(RejectedItem(index, guid, exc))
        return result
    root = parse_xml(decode_xml(data, warnings), warnings)
    fmt = classify_root(root)
    if fmt == "nitf":
        item = parse_nitf(root, warnings)
        if not item.guid and filename:
            # NITF feeds without doc-id are identified by their file name on the drop.
            item.guid = "file:" + filename.replace("\\", "/").rsplit("/", 1)[-1]
            item.warnings.append(f"no doc-id; guid taken from the file name ({item.guid})")
        return ParseResult([finish_item(item, filename=filename)])
    items, rejected = parse_newsml_g2(root, warnings, filename)
    return ParseResult(items, [RejectedItem(i, g, e) for i, g, e in rejected])
