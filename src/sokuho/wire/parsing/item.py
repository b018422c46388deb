"""The normalised shape every wire format is parsed into.

Ingest (models, de-duplication, publishing) works only with these dataclasses, so a
new feed format means a new parser module and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

from .errors import WireParseError

Status = Literal["usable", "withheld", "canceled"]
Format = Literal["newsml-g2", "ninjs", "nitf"]

STATUSES: frozenset[str] = frozenset({"usable", "withheld", "canceled"})
SIGNALS: frozenset[str] = frozenset({"update", "correction"})


class WireRendition(NamedTuple):
    """One file of a picture; a plain tuple ``(href, width, height, mime)``."""

    href: str
    width: int | None = None
    height: int | None = None
    mime: str = ""


class WireSubject(NamedTuple):
    """A subject code and its label; a plain tuple ``(code, name)``."""

    code: str
    name: str = ""


@dataclass
class WirePicture:
    """A picture that belongs to the item (the item itself for picture items)."""

    href: str = ""  # the preferred rendition to fetch (largest one)
    uri: str = ""  # the provider's identifier of the picture
    caption: str = ""
    credit: str = ""
    alt_text: str = ""
    renditions: list[WireRendition] = field(default_factory=list)


@dataclass
class WireItem:
    """One news item as delivered by a wire, normalised across formats.

    Dates are timezone-aware (UTC assumed, with a warning, when the wire gave none).
    ``warnings`` lists defects that were tolerated; refusals raise ``WireParseError``.
    """

    guid: str
    format: Format
    uri: str = ""
    version: int | None = None
    version_created: datetime | None = None
    first_created: datetime | None = None
    status: Status = "usable"
    signals: set[str] = field(default_factory=set)
    editor_note: str = ""
    embargo: datetime | None = None
    expires: datetime | None = None
    language: str = ""
    headline: str = ""
    label: str = ""  # slugline, else genre name
    bylines: list[str] = field(default_factory=list)
    dateline: str = ""  # the dateline as written
    dateline_place: str = ""
    located: str = ""
    subjects: list[WireSubject] = field(default_factory=list)
    body_html: str = ""
    pictures: list[WirePicture] = field(default_factory=list)
    provider: str = ""
    copyright_holder: str = ""
    copyright_notice: str = ""
    usage_terms: str = ""
    # text, picture, graphic, video, audio, composite, package, event …
    item_class: str = "text"
    urgency: int | None = None
    # packageItem: guids (residrefs) of the member items, which are NOT parsed here
    item_refs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def is_usable(self) -> bool:
        return self.status == "usable"


def finish_item(item: WireItem, *, filename: str = "") -> WireItem:
    """Refuse items that ingest cannot use; tidy the rest.

    No headline means nothing to show an editor or a reader, and no guid means later
    versions could not replace this one: both are refusals, not warnings.
    """
    problems = []
    if not item.guid:
        problems.append("no guid/uri identifies the item")
    if not item.headline:
        problems.append("the item has no headline")
    if problems:
        code = "no-headline" if not item.headline else "no-guid"
        raise WireParseError("; ".join(problems), code=code, filename=filename, guid=item.guid)
    if item.version_created is None:
        item.warnings.append(
            "no version timestamp (versionCreated); versions cannot be ordered by time"
        )
    if item.status not in STATUSES:  # parsers map statuses; this is a guard
        item.warnings.append(f"unknown status {item.status!r} treated as withheld")
        item.status = "withheld"
    item.signals &= SIGNALS
    # A warning raised once per paragraph (say) is noise: keep the first of each.
    item.warnings = list(dict.fromkeys(item.warnings))
    return item
