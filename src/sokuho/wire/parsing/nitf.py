"""NITF 3.x (with or without its namespace; older DTD-based files too).

Also used for NITF carried inside NewsML-G2 ``inlineXML``: :func:`read_body` is the
shared part (hedline, by-line, dateline, body.content, media).

NITF has no explicit update signal: an item is flagged ``"update"`` when its du-key
``version`` is above 1 or docdata names the document it replaces
(``management-doc-idref``); a ``<correction>`` element flags ``"correction"``.
``management-status="embargoed"`` stays usable with ``embargo`` = date.release.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .dates import parse_datetime
from .html import element_children_to_html, sanitize_html, strip_namespaces
from .item import WireItem, WirePicture, WireRendition, WireSubject
from .media import make_picture, safe_href, to_int
from .text import dateline_place, norm_space, split_byline
from .xml import localname, namespace

NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# NITF body elements whose HTML counterpart has another name.
_RENAME = {"hl2": "h2", "bq": "blockquote", "block": "div", "pre": "p", "credit": "p"}
_MANAGEMENT_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled",
                      "cancelled": "canceled", "embargoed": "usable"}  # fmt: skip


class _Q:
    """Qualified tag names for this document's NITF namespace (or none)."""

    __slots__ = ("prefix",)

    def __init__(self, ns: str):
        self.prefix = f"{{{ns}}}" if ns else ""

    def __call__(self, *names: str) -> str:
        return "/".join(self.prefix + n for n in names)


@dataclass
class NitfBody:
    headline: str = ""
    bylines: list[str] = field(default_factory=list)
    dateline: str = ""
    dateline_place: str = ""
    html: str = ""
    pictures: list[WirePicture] = field(default_factory=list)


def read_body(nitf: etree._Element, warnings: list[str]) -> NitfBody:
    """Headline, by-lines, dateline, sanitised body and pictures of an ``<nitf>``."""
    q = _Q(namespace(nitf))
    out = NitfBody()
    body = nitf.find(q("body"))
    if body is None:
        return out
    head = body.find(q("body.head"))
    if head is not None:
        hl1 = head.find(q("hedline", "hl1"))
        if hl1 is not None:
            out.headline = norm_space("".join(hl1.itertext()))
        for byline in head.iterfind(q("byline")):
            out.bylines.extend(n for n in _byline_names(byline, q) if n not in out.bylines)
        dateline = head.find(q("dateline"))
        if dateline is not None:
            out.dateline = norm_space("".join(dateline.itertext()))
            city = dateline.find(f".//{q('city')}")
            location = dateline.find(q("location"))
            if city is not None and norm_space(city.text):
                out.dateline_place = norm_space("".join(city.itertext()))
            elif location is not None:
                out.dateline_place = norm_space("".join(location.itertext()))
            else:
                out.dateline_place = dateline_place(out.dateline)
    content = body.find(q("body.content"))
    if content is not None:
        for media in list(content.iter(q("media"))):
            picture = _media_picture(media, q, warnings)
            if picture is not None:
                out.pictures.append(picture)
            _remove_keep_tail(media)
        strip_namespaces(content)
        for el in content.iter():
            tag = el.tag
            if isinstance(tag, str) and tag in _RENAME:
                el.tag = _RENAME[tag]
        out.html = sanitize_html(element_children_to_html(content))
    return out


def _byline_names(byline: etree._Element, q: _Q) -> list[str]:
    persons = [norm_space("".join(p.itertext())) for p in byline.iterfind(q("person"))]
    if any(persons):
        names: list[str] = []
        for person in persons:
            names.extend(split_byline(person))
        return names
    # The by-line text without <byttl> ("Staff Reporter"), which is not a name.
    parts = [byline.text or ""]
    for child in byline:
        if localname(child) != "byttl":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return split_byline("".join(parts))


def _media_picture(media: etree._Element, q: _Q, warnings: list[str]) -> WirePicture | None:
    media_type = (media.get("media-type") or "").lower()
    refs = media.findall(q("media-reference"))
    if media_type not in ("image", "graphic", "photo", "") and not any(
        (r.get("mime-type") or "").startswith("image/") for r in refs
    ):
        warnings.append(f"NITF media of type {media_type!r} ignored")
        return None
    renditions = []
    alt = ""
    credit = ""
    for ref in refs:
        href = safe_href(ref.get("source") or ref.get("data-location"), warnings)
        if href:
            renditions.append(
                WireRendition(
                    href,
                    to_int(ref.get("width")),
                    to_int(ref.get("height")),
                    ref.get("mime-type") or "",
                )
            )
        alt = alt or norm_space(ref.get("alternate-text"))
        credit = credit or norm_space(ref.get("source-credit") or ref.get("copyright"))
    caption = " ".join(
        norm_space("".join(c.itertext())) for c in media.iterfind(q("media-caption"))
    ).strip()
    producer = " ".join(
        norm_space("".join(c.itertext())) for c in media.iterfind(q("media-producer"))
    ).strip()
    if not renditions:
        warnings.append("NITF media without a fetchable media-reference ignored")
        return None
    return make_picture(
        renditions,
        uri=media.get("id") or "",
        caption=caption,
        credit=producer or credit,
        alt_text=alt,
    )


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def parse_nitf(root: etree._Element, warnings: list[str]) -> WireItem:
    """One NITF document → one item (``finish_item`` validates it)."""
    q = _Q(namespace(root))
    item = WireItem(guid="", format="nitf", warnings=warnings)
    head = root.find(q("head"))
    docdata = head.find(q("docdata")) if head is not None else None
    title = head.find(q("title")) if head is not None else None

    if docdata is not None:
        _read_docdata(docdata, q, item)
    else:
        warnings.append("NITF head has no docdata (no id, dates or status)")

    body = read_body(root, warnings)
    item.headline = body.headline or (
        norm_space("".join(title.itertext())) if title is not None else ""
    )
    item.bylines = body.bylines
    item.dateline = body.dateline
    item.dateline_place = body.dateline_place
    item.body_html = body.html
    item.pictures = body.pictures
    if head is not None:
        for tobject in head.iterfind(q("tobject")):
            for subj in tobject.iterfind(q("tobject.subject")):
                code = subj.get("tobject.subject.refnum") or subj.get("tobject.subject.code") or ""
                name = (
                    subj.get("tobject.subject.matter")
                    or subj.get("tobject.subject.detail")
                    or subj.get("tobject.subject.type")
                    or ""
                )
                if code or name:
                    item.subjects.append(WireSubject(code, name))
    lang_holders = (root, head, root.find(q("body")))
    item.language = (
        next((h.get(XML_LANG) for h in lang_holders if h is not None and h.get(XML_LANG)), "") or ""
    )
    if not item.provider:
        distributor = root.find(q("body", "body.head", "distributor"))
        if distributor is not None:
            item.provider = norm_space("".join(distributor.itertext()))
    if not item.body_html:
        warnings.append("the item has no body text")
    return item


def _read_docdata(docdata: etree._Element, q: _Q, item: WireItem) -> None:
    warnings = item.warnings
    doc_id = docdata.find(q("doc-id"))
    if doc_id is not None:
        item.guid = (doc_id.get("id-string") or "").strip()
        item.provider = (doc_id.get("regsrc") or "").strip()
    status = (docdata.get("management-status") or "usable").strip().lower()
    if status not in _MANAGEMENT_STATUS:
        warnings.append(f"unknown NITF management-status {status!r}; treated as withheld")
    item.status = _MANAGEMENT_STATUS.get(status, "withheld")  # type: ignore[assignment]
    if docdata.get("management-doc-idref") and item.status != "canceled":
        item.signals.add("update")  # it names the document it replaces
    for el in docdata:
        name = localname(el)
        if name == "date.issue":
            item.version_created = parse_datetime(el.get("norm"), warnings, field="date.issue")
        elif name == "date.release":
            item.embargo = parse_datetime(el.get("norm"), warnings, field="date.release")
        elif name == "date.expire":
            item.expires = parse_datetime(el.get("norm"), warnings, field="date.expire")
        elif name == "urgency":
            item.urgency = to_int(el.get("ed-urg"))
        elif name == "du-key":
            item.label = item.label or norm_space(el.get("key"))
            version = el.get("version")
            if version is not None:
                item.version = to_int(version)
                if item.version is None:
                    warnings.append(f"du-key version {version!r} is not a number")
                elif item.version > 1:
                    item.signals.add("update")
        elif name == "ed-msg":
            note = norm_space(el.get("info") or "".join(el.itertext()))
            if note:
                item.editor_note = f"{item.editor_note} {note}".strip()
        elif name == "correction":
            item.signals.add("correction")
            note = norm_space(el.get("info"))
            if note:
                item.editor_note = f"{item.editor_note} {note}".strip()
        elif name == "doc.copyright":
            item.copyright_holder = norm_space(el.get("holder"))
            year = norm_space(el.get("year"))
            if item.copyright_holder:
                item.copyright_notice = f"© {year} {item.copyright_holder}".replace("  ", " ")
        elif name == "doc.rights":
            item.usage_terms = norm_space(el.get("limitations"))
            if not item.copyright_holder:
                item.copyright_holder = norm_space(el.get("owner"))
    if status == "embargoed" and item.embargo is None:
        warnings.append("management-status embargoed without date.release; withheld")
        item.status = "withheld"
