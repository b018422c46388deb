"""NewsML-G2 newsItem / packageItem / newsMessage (IPTC, 2.x).

Only items that carry news are read: newsItem (text, picture, graphic, video …) and
packageItem. A packageItem is returned as one WireItem whose ``item_refs`` list the
residrefs of its members (with a warning): the member items travel separately, e.g.
in the same newsMessage or a later delivery. conceptItem, knowledgeItem, catalogItem
and planningItem carry no story and are refused with a reason.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from lxml import etree

from .dates import parse_datetime
from .errors import WireParseError
from .html import sanitize_html, text_to_html, xhtml_to_html
from .item import WireItem, WireRendition, WireSubject, finish_item
from .media import make_picture, safe_href, to_int
from .nitf import read_body
from .text import dateline_place, norm_space, split_byline
from .xml import localname

NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _n(name: str) -> str:
    return f"{{{NAR}}}{name}"


# Pre-built qualified names: lxml find() with a literal tag is the fast path.
ITEM_META, CONTENT_META, CONTENT_SET, RIGHTS_INFO = map(
    _n, ("itemMeta", "contentMeta", "contentSet", "rightsInfo")
)
NAME = _n("name")

_STATUS = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}
_SIGNALS = {"update": "update", "correction": "correction"}
_PICTURE_CLASSES = frozenset({"picture", "graphic"})
_TEXTUAL_CLASSES = frozenset({"text", "composite"})


def _code_tail(qcode_or_uri: str | None) -> str:
    """``stat:usable`` / ``http://cv.iptc.org/newscodes/pubstatusg2/usable`` → ``usable``."""
    value = (qcode_or_uri or "").strip()
    for sep in ("/", ":", "#"):
        value = value.rpartition(sep)[2] if sep in value else value
    return value


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return norm_space("".join(el.itertext()))


def _name_of(el: etree._Element, lang: str) -> str:
    """A concept's ``<name>`` in the item language if there is one, else the first."""
    names = el.findall(NAME)
    if not names:
        return ""
    if len(names) > 1 and lang:
        base = lang.split("-")[0].lower()
        for name in names:
            if (name.get(XML_LANG) or "").split("-")[0].lower() == base:
                return _text(name)
    return _text(names[0])


def _concept_label(el: etree._Element, lang: str) -> str:
    return (
        _name_of(el, lang) or (el.get("literal") or "").strip() or (el.get("qcode") or "").strip()
    )


def parse_newsml_g2(
    root: etree._Element, warnings: list[str], filename: str = ""
) -> tuple[list[WireItem], list[tuple[int, str, WireParseError]]]:
    """Items of a NewsML-G2 document and the refusals of individual items.

    Returns ``(items, rejected)`` where ``rejected`` holds ``(index, guid, error)`` for
    items of a newsMessage that could not be used; a lone item raises instead.
    """
    name = localname(root)
    if name == "newsMessage":
        return _parse_message(root, warnings, filename)
    return [finish_item(_parse_item(root, list(warnings)), filename=filename)], []


def _parse_message(
    root: etree._Element, warnings: list[str], filename: str
) -> tuple[list[WireItem], list[tuple[int, str, WireParseError]]]:
    item_set = root.find(_n("itemSet"))
    if item_set is None:
        raise WireParseError("newsMessage has no itemSet", code="empty-message", filename=filename)
    items: list[WireItem] = []
    rejected: list[tuple[int, str, WireParseError]] = []
    index = 0
    for child in item_set:
        name = localname(child)
        if not name:
            continue
        index += 1
        guid = child.get("guid") or ""
        try:
            if name not in ("newsItem", "packageItem"):
                raise WireParseError(
                    f"{name} carries no news story; not ingested", code="unsupported-item"
                )
            items.append(finish_item(_parse_item(child, list(warnings)), filename=filename))
        except WireParseError as exc:
            exc.filename = exc.filename or filename
            exc.guid = exc.guid or guid
            rejected.append((index, guid, exc))
    if index == 0:
        raise WireParseError(
            "newsMessage itemSet is empty", code="empty-message", filename=filename
        )
    return items, rejected


def _parse_item(el: etree._Element, warnings: list[str]) -> WireItem:
    kind = localname(el)
    item = WireItem(guid=(el.get("guid") or "").strip(), format="newsml-g2", warnings=warnings)
    item.uri = item.guid
    version = el.get("version")
    if version is not None:
        item.version = to_int(version)
        if item.version is None:
            warnings.append(f"version {version!r} is not a number")
    lang = el.get(XML_LANG) or ""

    item_meta = el.find(ITEM_META)
    content_meta = el.find(CONTENT_META)
    if item_meta is None:
        warnings.append("no itemMeta (provider, dates and status unknown)")
    else:
        _read_item_meta(item_meta, item)
    pic = _Extras()
    if content_meta is not None:
        lang, pic = _read_content_meta(content_meta, item, lang)
    item.language = lang

    rights = el.find(RIGHTS_INFO)
    if rights is not None:
        _read_rights(rights, item, lang)

    if kind == "packageItem":
        item.item_class = "package"
        refs = [
            (ref.get("residref") or ref.get("href") or "").strip() for ref in el.iter(_n("itemRef"))
        ]
        item.item_refs = [r for r in refs if r]
        warnings.append(
            f"packageItem: {len(item.item_refs)} member item(s) are listed in item_refs "
            "and are not parsed here"
        )
    else:
        _read_content_set(el.find(CONTENT_SET), item, pic)
        if not item.body_html and item.item_class in _TEXTUAL_CLASSES:
            warnings.append("the item has no body text")
    if not item.bylines:
        item.bylines = pic.creator_names
    if not item.dateline_place:
        item.dateline_place = dateline_place(item.dateline) or item.located
    return item


def _read_item_meta(meta: etree._Element, item: WireItem) -> None:
    warnings = item.warnings
    indefinite_embargo = False
    notes = []
    for child in meta:
        name = localname(child)
        if name == "itemClass":
            item.item_class = _code_tail(child.get("qcode") or child.get("uri")) or "text"
        elif name == "provider":
            item.provider = _concept_label(child, "")
        elif name == "versionCreated":
            item.version_created = parse_datetime(child.text, warnings, field="versionCreated")
        elif name == "firstCreated":
            item.first_created = parse_datetime(child.text, warnings, field="firstCreated")
        elif name == "embargoed":
            if child.text and child.text.strip():
                item.embargo = parse_datetime(child.text, warnings, field="embargoed")
            else:
                indefinite_embargo = True  # empty <embargoed/>: until further notice
        elif name == "pubStatus":
            code = _code_tail(child.get("qcode") or child.get("uri")).lower()
            mapped = _STATUS.get(code)
            if mapped is None:
                warnings.append(f"unknown pubStatus {code!r}; treated as withheld")
                mapped = "withheld"
            item.status = mapped  # type: ignore[assignment]
        elif name == "signal":
            code = _code_tail(child.get("qcode") or child.get("uri")).lower()
            if code in _SIGNALS:
                item.signals.add(_SIGNALS[code])
        elif name == "edNote":
            note = _text(child)
            if note:
                notes.append(note)
        elif name == "expires":
            item.expires = parse_datetime(child.text, warnings, field="expires")
    # No pubStatus means usable (the NewsML-G2 default).
    if indefinite_embargo and item.status == "usable":
        item.status = "withheld"
        warnings.append("embargoed until further notice (empty embargoed); withheld")
    item.editor_note = "\n".join(notes)


@dataclass
class _Extras:
    """contentMeta details used only after the content set is read."""

    captions: list[tuple[str, str]] = field(default_factory=list)  # (role, text)
    credit: str = ""
    # Fallback by-lines: used only when neither <by> nor an NITF by-line names anyone.
    creator_names: list[str] = field(default_factory=list)


def _read_content_meta(meta: etree._Element, item: WireItem, lang: str) -> tuple[str, _Extras]:
    warnings = item.warnings
    headlines: list[etree._Element] = []
    bys: list[str] = []
    creators: list[etree._Element] = []
    genre = ""
    slugline = ""
    pic = _Extras()
    for child in meta:
        name = localname(child)
        if name == "headline":
            headlines.append(child)
        elif name == "slugline":
            slugline = slugline or _text(child)
        elif name == "by":
            bys.append(_text(child))
        elif name == "creator":
            creators.append(child)
        elif name == "dateline":
            item.dateline = item.dateline or _text(child)
        elif name == "located":
            item.located = item.located or _name_of(child, lang)
        elif name == "subject":
            code = (child.get("qcode") or child.get("uri") or child.get("literal") or "").strip()
            label = _name_of(child, lang)
            if code or label:
                item.subjects.append(WireSubject(code, label))
        elif name == "genre":
            genre = genre or _name_of(child, lang)
        elif name == "language":
            lang = lang or (child.get("tag") or "")
        elif name == "urgency":
            item.urgency = to_int(child.text)
        elif name == "description":
            pic.captions.append(((child.get("role") or "").lower(), _text(child)))
        elif name == "creditline":
            pic.credit = pic.credit or _text(child)
        elif name == "contentCreated" and item.first_created is None:
            # No firstCreated in itemMeta: the content's creation is the best stand-in.
            item.first_created = parse_datetime(child.text, warnings, field="contentCreated")
    item.headline = _pick_headline(headlines, lang)
    item.label = slugline or genre
    for by in bys:
        item.bylines.extend(n for n in split_byline(by) if n not in item.bylines)
    for creator in creators:
        if "organisation" in (creator.get("type") or "").lower():
            continue
        name = _name_of(creator, lang)
        if name and name not in pic.creator_names:
            pic.creator_names.append(name)
    return lang, pic


def _pick_headline(headlines: list[etree._Element], lang: str) -> str:
    """The main headline: no role (or a ``…:main`` role), in the item language."""
    if not headlines:
        return ""
    main = [h for h in headlines if _code_tail(h.get("role")).lower() in ("", "main")] or headlines
    if lang and len(main) > 1:
        base = lang.split("-")[0].lower()
        same = [h for h in main if (h.get(XML_LANG) or base).split("-")[0].lower() == base]
        main = same or main
    for h in main:
        text = _text(h)
        if text:
            return text
    return ""


def _read_rights(rights: etree._Element, item: WireItem, lang: str) -> None:
    holder = rights.find(_n("copyrightHolder"))
    if holder is not None:
        item.copyright_holder = (
            _name_of(holder, lang)
            or (holder.get("literal") or holder.get("qcode") or holder.get("uri") or "").strip()
        )
    item.copyright_notice = _text(rights.find(_n("copyrightNotice")))
    item.usage_terms = _text(rights.find(_n("usageTerms")))
    if item.expires is None and rights.get("validto"):
        item.expires = parse_datetime(
            rights.get("validto"), item.warnings, field="rightsInfo@validto"
        )


def _read_content_set(content_set: etree._Element | None, item: WireItem, pic: _Extras) -> None:
    warnings = item.warnings
    if content_set is None:
        return
    renditions: list[WireRendition] = []
    remote_text = 0
    for child in content_set:
        name = localname(child)
        ctype = (child.get("contenttype") or "").lower()
        if name == "inlineXML" and not item.body_html:
            _read_inline_xml(child, ctype, item)
        elif name == "inlineData" and not item.body_html:
            _read_inline_data(child, ctype, item)
        elif name == "remoteContent":
            if item.item_class in _PICTURE_CLASSES or ctype.startswith("image/"):
                href = safe_href(child.get("href") or child.get("residref"), warnings)
                if href:
                    renditions.append(
                        WireRendition(
                            href, to_int(child.get("width")), to_int(child.get("height")), ctype
                        )
                    )
            else:
                remote_text += 1
    if remote_text and item.item_class in _TEXTUAL_CLASSES and not item.body_html:
        warnings.append("body is remote content (not fetched by the parser)")
    if renditions or item.item_class in _PICTURE_CLASSES:
        captions = pic.captions
        caption = next((t for r, t in captions if r.endswith("caption") and t), "") or next(
            (t for r, t in captions if r in ("", "drol:summary") and t), ""
        )
        alt = next((t for r, t in captions if "alternativetext" in r.replace("_", "") and t), "")
        credit = pic.credit or ", ".join(item.bylines or pic.creator_names)
        if item.item_class in _PICTURE_CLASSES and not renditions:
            warnings.append("picture item without a fetchable rendition")
        if renditions:
            item.pictures.append(
                make_picture(
                    renditions, uri=item.guid, caption=caption, credit=credit, alt_text=alt
                )
            )


def _read_inline_xml(el: etree._Element, ctype: str, item: WireItem) -> None:
    warnings = item.warnings
    children = [c for c in el if isinstance(c.tag, str)]
    if not children:
        return  # an empty inlineXML (placeholder) is simply no body
    first = children[0]
    name = localname(first)
    if name == "nitf":
        body = read_body(first, warnings)
        item.body_html = body.html
        if not item.bylines:
            item.bylines = body.bylines
        if not item.dateline:
            item.dateline = body.dateline
            item.dateline_place = body.dateline_place
        item.pictures.extend(body.pictures)
        if not item.headline:
            item.headline = body.headline
    elif name in ("html", "body") or "xhtml" in ctype or (first.tag.startswith(f"{{{XHTML_NS}}}")):
        if len(children) == 1:
            item.body_html = xhtml_to_html(first)
        else:  # a run of XHTML fragments (<p>…</p><p>…</p>)
            item.body_html = "".join(xhtml_to_html(c) for c in children)
    else:
        warnings.append(
            f"inline XML <{name}> ({ctype or 'no contenttype'}) is not a story body; ignored"
        )


def _read_inline_data(el: etree._Element, ctype: str, item: WireItem) -> None:
    data = el.text or ""
    if (el.get("encoding") or "").lower() == "base64":
        try:
            raw = base64.b64decode(data, validate=False)
            data = raw.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            item.warnings.append("inlineData is not valid base64 UTF-8; ignored")
            return
    if ctype in ("", "text/plain") or ctype.startswith("text/plain"):
        item.body_html = text_to_html(data)
    elif "html" in ctype:
        item.body_html = sanitize_html(data)
    else:
        item.warnings.append(f"inlineData of type {ctype} ignored")
