"""ninjs (IPTC News in JSON) 1.x, 2.x and 3.x.

The three generations differ in naming, not meaning: 1.x uses ``headline``,
``body_html``/``body_text``, ``byline`` and dict-shaped ``associations``/``renditions``;
2.x uses ``headlines``/``bodies``/``by`` and arrays; 3.x renames to camelCase
(``versionCreated``, ``pubStatus``, ``embargoedUntil``). Every name is looked up in all
its spellings, so mixed or transitional documents still parse. Properties that no
ninjs version defines, and values of the wrong JSON type, become warnings.

ninjs has no update/correction signal, so ``signals`` stays empty: ingest compares
``version``/``version_created`` of items with the same ``uri`` instead. There is no
provider property either; ``provider`` is the first ``infosources`` name, if any.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from .dates import parse_datetime
from .html import sanitize_html, text_to_html
from .item import WireItem, WirePicture, WireRendition, WireSubject
from .media import make_picture, safe_href, to_int
from .text import dateline_place, norm_space, split_byline

# Union of the top-level properties of ninjs 1.0–3.1 (from the IPTC JSON schemas).
# fmt: off
KNOWN_PROPERTIES: frozenset[str] = frozenset(
    {
        # 1.x (lower case, body_*/description_* extensions separately below)
        "$standard", "altids", "associations", "body_html", "body_text", "body_xhtml",
        "byline", "charcount", "contentcreated", "copyrightholder", "copyrightnotice",
        "description_text", "description_html", "description_xhtml", "digitalsourcetype",
        "ednote", "embargoed", "event", "expires", "firstcreated", "genre", "headline",
        "infosource", "language", "located", "mimetype", "object", "organisation", "person",
        "place", "profile", "pubstatus", "renditions", "representationtype", "rightsinfo",
        "slugline", "subject", "title", "trustindicator", "type", "urgency", "uri",
        "usageterms", "version", "versioncreated", "wordcount",
        # 2.x additions (arrays, still lower case)
        "bodies", "by", "descriptions", "events", "genres", "headlines", "infosources",
        "objects", "organisations", "people", "places", "standard", "subjects",
        "trustindicators",
        # 3.x camelCase spellings
        "altIds", "contentCreated", "copyrightHolder", "copyrightNotice",
        "digitalSourceType", "edNote", "embargoedUntil", "eventDetails", "firstCreated",
        "infoSources", "plannedCoverage", "pubStatus", "representationType", "rightsInfo",
        "trustIndicators", "usageTerms", "versionCreated",
    }
)
# fmt: on
# ninjs 1.x extension properties: body_*, description_*, headline_* (from 1.3).
_EXTENSION = re.compile(r"^(?:body|description|headline)_[A-Za-z0-9_]+$")
# Extra keys an association object may carry besides ninjs properties.
_ASSOCIATION_EXTRA = frozenset({"name", "rel"})

NEWS_TYPES = frozenset({"text", "audio", "video", "picture", "graphic", "composite", "component",
                        "event", "planning"})  # fmt: skip
_PICTURE_TYPES = frozenset({"picture", "graphic"})
_TEXTUAL_TYPES = frozenset({"text", "composite"})
_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled"}
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml")
_AUTHOR_RELS = frozenset({"author", "creator", "byline", "writer", "photographer", "reporter"})
_GENERIC_KEYS = frozenset({"uri", "type", "title", "language", "version", "profile", "event"})


class _Doc:
    """A ninjs object with spelling-agnostic, type-checked access."""

    __slots__ = ("obj", "warnings", "where")

    def __init__(self, obj: dict[str, Any], warnings: list[str], where: str = ""):
        self.obj = obj
        self.warnings = warnings
        self.where = where

    def _warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}{message}")

    def raw(self, *names: str) -> tuple[str, Any]:
        for name in names:
            if name in self.obj:
                return name, self.obj[name]
        return "", None

    def text(self, *names: str) -> str:
        key, value = self.raw(*names)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        self._warn(f"{key} should be a string, got {type(value).__name__}; ignored")
        return ""

    def objects(self, *names: str) -> list[dict[str, Any]]:
        """An array of objects; 1.x ``dict`` of named objects is accepted too."""
        key, value = self.raw(*names)
        if value is None:
            return []
        if isinstance(value, dict):
            values = [
                dict(v, name=v.get("name", k)) if isinstance(v, dict) else v
                for k, v in value.items()
            ]
        elif isinstance(value, list):
            values = value
        else:
            self._warn(f"{key} should be an array of objects, got {type(value).__name__}; ignored")
            return []
        good = [v for v in values if isinstance(v, dict)]
        if len(good) != len(values):
            self._warn(f"{key}: {len(values) - len(good)} entry(ies) are not objects; ignored")
        return good

    def date(self, *names: str) -> datetime | None:
        key, value = self.raw(*names)
        return parse_datetime(value, self.warnings, field=f"{self.where}{key or names[0]}")


def looks_like_ninjs(obj: object) -> bool:
    """Whether a decoded JSON object is a ninjs item (see ``detect``)."""
    if not isinstance(obj, dict):
        return False
    for hint in ("$standard", "standard"):
        std = obj.get(hint)
        if isinstance(std, dict) and "ninjs" in str(std.get("name", "")).lower() + str(
            std.get("schema", "")
        ):
            return True
        if isinstance(std, str) and "ninjs" in std.lower():
            return True
    schema = obj.get("$schema")
    if isinstance(schema, str) and "ninjs" in schema.lower():
        return True
    known = KNOWN_PROPERTIES.intersection(obj)
    if "uri" in known and len(known) >= 2:
        return True
    # Without a uri (which ninjs requires) only distinctly ninjs names count: plenty of
    # JSON has "type" or "title".
    return len(known - _GENERIC_KEYS) >= 2


def parse_ninjs(obj: dict[str, Any], warnings: list[str]) -> WireItem:
    """One ninjs object → one item (``finish_item`` validates it)."""
    doc = _Doc(obj, warnings)
    _check_properties(obj, warnings, "")
    uri = doc.text("uri").strip()
    item = WireItem(guid=uri, uri=uri, format="ninjs", warnings=warnings)

    kind = doc.text("type") or "text"
    if kind not in NEWS_TYPES:
        warnings.append(f"unknown ninjs type {kind!r}; read as text")
        kind = "text"
    item.item_class = kind

    _, version = doc.raw("version")
    if version is not None:
        if isinstance(version, str) and version.strip().isdigit():
            item.version = int(version)
        elif isinstance(version, int) and not isinstance(version, bool):
            item.version = version
            warnings.append("version should be a string")
        else:
            warnings.append(f"version {version!r} is not a whole number; ignored")

    item.version_created = doc.date("versionCreated", "versioncreated")
    item.first_created = doc.date("firstCreated", "firstcreated")
    if item.first_created is None:
        item.first_created = doc.date("contentCreated", "contentcreated")
    item.embargo = doc.date("embargoedUntil", "embargoed")
    item.expires = doc.date("expires")

    status = doc.text("pubStatus", "pubstatus").strip().lower() or "usable"
    if status not in _STATUS:
        warnings.append(f"unknown pubstatus {status!r}; treated as withheld")
    item.status = _STATUS.get(status, "withheld")  # type: ignore[assignment]

    item.editor_note = norm_space(doc.text("edNote", "ednote"))
    item.language = doc.text("language").strip()
    item.headline = _headline(doc)
    item.label = norm_space(doc.text("slugline")) or _genre(doc)
    item.bylines = split_byline(doc.text("by", "byline"))
    if not item.bylines:
        for person in doc.objects("people", "person"):
            if str(person.get("rel", "")).lower() in _AUTHOR_RELS and isinstance(
                person.get("name"), str
            ):
                item.bylines.append(norm_space(person["name"]))
    item.located = norm_space(doc.text("located"))
    item.dateline_place = dateline_place(item.located)
    for subject in doc.objects("subjects", "subject"):
        code = (
            subject.get("literal")
            or subject.get("code")
            or subject.get("uri")
            or subject.get("qcode")
            or ""
        )
        name = subject.get("name") or ""
        if isinstance(code, str) and isinstance(name, str) and (code or name):
            item.subjects.append(WireSubject(code, norm_space(name)))
    item.urgency = to_int(doc.raw("urgency")[1])

    item.copyright_holder = norm_space(doc.text("copyrightHolder", "copyrightholder"))
    item.copyright_notice = norm_space(doc.text("copyrightNotice", "copyrightnotice"))
    item.usage_terms = norm_space(doc.text("usageTerms", "usageterms"))
    for source in doc.objects("infoSources", "infosources", "infosource"):
        if isinstance(source.get("name"), str) and source["name"].strip():
            item.provider = norm_space(source["name"])
            break
    _check_rights(doc)

    item.body_html = _body(doc)
    if not item.body_html and kind in _TEXTUAL_TYPES:
        warnings.append("the item has no body text")

    if kind in _PICTURE_TYPES:
        picture = _picture(doc, item.uri, item.bylines)
        if picture is not None:
            item.pictures.append(picture)
        else:
            warnings.append("picture item without a fetchable rendition")
    for index, assoc in enumerate(doc.objects("associations")):
        name = assoc.get("name") if isinstance(assoc.get("name"), str) else f"#{index + 1}"
        where = f"associations[{name}]: "
        _check_properties(assoc, warnings, where, extra=_ASSOCIATION_EXTRA)
        if not assoc.get("uri"):
            warnings.append(f"{where}association without a uri")
        if isinstance(obj.get("associations"), list) and not assoc.get("name"):
            warnings.append(f"{where}association without a name")
        sub = _Doc(assoc, warnings, where)
        sub_type = sub.text("type")
        if sub_type in _PICTURE_TYPES or (not sub_type and sub.raw("renditions")[1]):
            picture = _picture(sub, sub.text("uri"), split_byline(sub.text("by", "byline")))
            if picture is not None:
                item.pictures.append(picture)
    return item


def _check_properties(
    obj: dict[str, Any], warnings: list[str], where: str, extra: frozenset[str] = frozenset()
) -> None:
    for key in obj:
        if key not in KNOWN_PROPERTIES and key not in extra and not _EXTENSION.match(key):
            warnings.append(f"{where}unknown ninjs property {key!r} ignored")


def _check_rights(doc: _Doc) -> None:
    _, rights = doc.raw("rightsInfo", "rightsinfo")
    if rights is None:
        return
    if not isinstance(rights, dict):
        doc._warn("rightsinfo should be an object; ignored")
        return
    linked = rights.get("linkedRights", rights.get("linkedrights"))
    encoded = rights.get("encodedRights", rights.get("encodedrights"))
    if (linked is None) == (encoded is None):
        doc._warn("rightsinfo must have exactly one of linkedrights or encodedrights")


def _headline(doc: _Doc) -> str:
    headline = norm_space(doc.text("headline"))
    if headline:
        return headline
    entries = [h for h in doc.objects("headlines") if isinstance(h.get("value"), str)]
    main = [h for h in entries if str(h.get("role", "main")).lower() in ("main", "")] or entries
    for h in main:
        text = norm_space(h["value"])
        if text:
            if "html" in str(h.get("contentType", h.get("contenttype", ""))).lower():
                text = norm_space(re.sub(r"<[^>]*>", "", text))
            return text
    # 1.3+ headline extensions (headline_main …) when there is no plain headline.
    for key, value in doc.obj.items():
        if (
            key.startswith("headline_")
            and _EXTENSION.match(key)
            and isinstance(value, str)
            and value.strip()
        ):
            doc._warn(f"no headline; used the extension property {key}")
            return norm_space(value)
    return ""


def _genre(doc: _Doc) -> str:
    for genre in doc.objects("genres", "genre"):
        if isinstance(genre.get("name"), str) and genre["name"].strip():
            return norm_space(genre["name"])
    return ""


def _body(doc: _Doc) -> str:
    for key in ("body_html", "body_xhtml"):
        value = doc.text(key)
        if value.strip():
            return sanitize_html(value)
    text = doc.text("body_text")
    if text.strip():
        return text_to_html(text)
    bodies = [
        b for b in doc.objects("bodies") if isinstance(b.get("value"), str) and b["value"].strip()
    ]
    if not bodies:
        return ""

    def ctype(body: dict[str, Any]) -> str:
        return str(body.get("contentType", body.get("contenttype", ""))).lower()

    for body in bodies:
        if ctype(body).startswith(_HTML_TYPES):
            return sanitize_html(body["value"])
    for body in bodies:
        if ctype(body).startswith("text/plain"):
            return text_to_html(body["value"])
    for body in bodies:
        if not ctype(body):  # provider-defined; decide by looking
            value = body["value"]
            return (
                sanitize_html(value)
                if re.search(r"<(?:p|br|div|body)\b", value, re.I)
                else text_to_html(value)
            )
    doc._warn(
        f"no body in a readable content type ({', '.join(sorted({ctype(b) for b in bodies}))})"
    )
    return ""


def _picture(doc: _Doc, uri: str, bylines: list[str]) -> WirePicture | None:
    renditions: list[WireRendition] = []
    for rendition in doc.objects("renditions"):
        href = rendition.get("href")
        if not isinstance(href, str):
            continue
        href = safe_href(href, doc.warnings)
        if not href:
            continue
        mime = rendition.get(
            "contentType", rendition.get("contenttype", rendition.get("mimetype", ""))
        )
        renditions.append(
            WireRendition(href, to_int(rendition.get("width")), to_int(rendition.get("height")),
                          mime if isinstance(mime, str) else "")
        )  # fmt: skip
    if not renditions:
        return None
    descriptions = {
        str(d.get("role", "")).lower(): norm_space(d["value"])
        for d in doc.objects("descriptions")
        if isinstance(d.get("value"), str)
    }
    caption = (
        descriptions.get("caption")
        or descriptions.get("text")
        or descriptions.get("")
        or norm_space(doc.text("description_text"))
        or next(iter(descriptions.values()), "")
    )
    credit = (
        descriptions.get("creditline")
        or ", ".join(bylines)
        or norm_space(doc.text("copyrightHolder", "copyrightholder"))
    )
    alt = (
        descriptions.get("alt")
        or descriptions.get("alternativetext")
        or descriptions.get("alttext")
        or ""
    )
    return make_picture(renditions, uri=uri, caption=caption, credit=credit, alt_text=alt)
