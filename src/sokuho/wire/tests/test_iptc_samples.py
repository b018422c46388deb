"""The IPTC's own NewsML-G2 and ninjs samples, read in place (never copied here).

Needs ``SOKUHO_WIRE_SAMPLES`` pointing at the wire-samples directory (see its
SOURCES.md). Unset: every test here is skipped with the reason; with
``SOKUHO_REQUIRE_SERVICES=1`` (CI), or when the variable points at the wrong place,
they fail instead.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from lxml import etree

from sokuho.wire.parsing import WireParseError, parse_bytes
from sokuho.wire.parsing.xml import make_parser

ENV = "SOKUHO_WIRE_SAMPLES"
NAR = "http://iptc.org/std/nar/2006-10-01/"
REQUIRE = os.environ.get("SOKUHO_REQUIRE_SERVICES") == "1"


def _root() -> tuple[Path | None, str]:
    value = os.environ.get(ENV, "")
    if not value:
        return None, f"{ENV} is not set: point it at the IPTC wire-samples directory to run these"
    path = Path(value)
    if not path.is_dir():
        return None, f"{ENV}={value} is not a directory"
    return path, ""


ROOT, WHY_NOT = _root()


def _files(pattern: str) -> list[object]:
    """Parameters for every sample matching ``pattern``, or one placeholder that skips
    (or fails under SOKUHO_REQUIRE_SERVICES=1) with the reason."""
    if ROOT is None:
        return [pytest.param(None, id="samples-unavailable")]
    found = sorted(p for p in ROOT.glob(pattern) if p.is_file())
    if not found:
        return [pytest.param(None, id=f"no-files:{pattern}")]
    return [pytest.param(p, id=str(p.relative_to(ROOT))) for p in found]


def _require(path: Path | None) -> Path:
    if path is not None:
        return path
    reason = WHY_NOT or f"{ENV} is set but the expected sample files are missing"
    # Set but wrong is a misconfiguration, not an opt-out: fail rather than skip.
    if REQUIRE or os.environ.get(ENV):
        pytest.fail(f"IPTC samples required: {reason}")
    print(f"skipping IPTC sample test: {reason}")
    pytest.skip(reason)


# What each NewsML-G2 LISTING example yields. "ok" means usable items with headlines;
# otherwise (error code, words of the reason). Each refusal was checked by hand against
# the file, and the tests below re-check the facts the refusal relies on.
NO_HEADLINE = ("no-headline", "no headline")
LISTING_EXPECTED: dict[str, object] = {
    "LISTING_1_A_NewsML-G2_News_Item.xml": "ok",  # text item; its inlineXML is an empty placeholder
    "LISTING_2_NewsML-G2_Text_Document.xml": "ok",
    "LISTING_3_Photo_in_NewsML-G2.xml": "ok",
    "LISTING_3A_Photo_in_NewsML-G2_(URI_sibling_attributes).xml": "ok",
    "LISTING_4_Multiple_Renditions_of_a_Video_in_NewsML-G2.xml": NO_HEADLINE,  # descriptions only
    "LISTING_5_Multi-part_Video_in_NewsML-G2.xml": "ok",  # ISO-8859-1
    "LISTING_6_Simple_NewsML-G2_Package.xml": "ok",  # packageItem: item_refs + warning
    "LISTING_7_Group_Set_example_showing_Hierarchical_Package_Structure.xml": (
        "unknown-format",
        "<groupSet>",
    ),
    "LISTING_8_Group_Set_example_showing_an_ALT_Package_Mode.xml": ("unknown-format", "<groupSet>"),
    "LISTING_9_Group_Set_example_showing_a_SEQ_Package_Mode.xml": ("unknown-format", "<groupSet>"),
    "LISTING_10_Abstract_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml": (
        "unsupported-item",
        "conceptItem",
    ),
    "LISTING_11_Person_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml": (
        "unsupported-item",
        "conceptItem",
    ),
    "LISTING_12_Knowledge_Item_for_Access_Codes.xml": ("unsupported-item", "knowledgeItem"),
    "LISTING_13_Complete_Catalog_Item.xml": ("unsupported-item", "catalogItem"),
    "LISTING_14_Event_sent_as_a_Concept_Item.xml": ("unsupported-item", "conceptItem"),
    "LISTING_15_Two_Related_Events_in_a_Knowledge_Item.xml": ("unsupported-item", "knowledgeItem"),
    "LISTING_16_A_Set_of_Events_carried_in_a_News_Item.xml": NO_HEADLINE,  # events, no contentMeta
    "LISTING_17_Planning_Item_a_CCL.xml": ("unsupported-item", "planningItem"),
    "LISTING_18_Planning_Item_at_PCL.xml": ("unsupported-item", "planningItem"),
    "LISTING_19_Planning_Item_with_delivery_at_CCL.xml": ("unsupported-item", "planningItem"),
    "LISTING_20_Planning_Item_with_delivery_at_PCL.xml": ("unsupported-item", "planningItem"),
    "LISTING_21_A_complete_sample_SportsML-G2_document.xml": "ok",  # SportsML body: warning
    "LISTING_22_Sports_story_in_NewsML-G2NITF.xml": "ok",
    "LISTING_23_SportsML-G2_Package.xml": NO_HEADLINE,  # packageItem without a headline
    # A skeleton: "....." stands for the items' content, so none of them has a headline.
    "LISTING_24_News_Message_conveying_a_complete_News_Package.xml": (
        "no-usable-item",
        "no headline",
    ),
    "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml": (
        "unknown-format",
        "<contentSet>",
    ),
    "LISTING_26_Embedded_photo_metadata_fields_mapped_to_NewsML-G2.xml": "ok",
    "LISTING_27_Company_Financial_Information.xml": "ok",  # inlineXML holds only a comment
    "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml": ("unknown-format", "<contentMeta>"),
    "LISTING_29_Hop_History.xml": NO_HEADLINE,  # metadata shown, content elided
}
# Fragments: listings that show one part of an item, not a whole document.
_FRAGMENT_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?<(groupSet|contentSet|contentMeta)\b")


@pytest.mark.parametrize("path", _files("iptc-newsml-g2/examples/*LISTING*.xml"))
def test_newsml_g2_listing_examples(path: Path | None) -> None:
    path = _require(path)
    expected = LISTING_EXPECTED.get(path.name)
    assert expected is not None, f"new LISTING file without an expectation: {path.name}"
    data = path.read_bytes()
    if expected == "ok":
        items = parse_bytes(data, path.name)
        assert items
        for item in items:
            assert item.headline.strip()
            assert item.guid
            assert item.is_usable
        return
    code, words = expected  # type: ignore[misc]
    with pytest.raises(WireParseError) as err:
        parse_bytes(data, path.name)
    assert err.value.code == code, err.value.reason
    assert words in err.value.reason
    # Re-check the fact behind each refusal in the file itself.
    if code in ("no-headline", "no-usable-item"):
        # No item has a contentMeta/headline of its own (a package's member itemRefs may
        # carry headlines; those belong to other items).
        root = etree.fromstring(data, make_parser())
        own = root.xpath(
            "(/n:*|/n:newsMessage/n:itemSet/n:*)/n:contentMeta/n:headline", namespaces={"n": NAR}
        )
        assert not own, "the sample does have a headline"
    elif code == "unknown-format":
        assert _FRAGMENT_ROOT.match(data), "expected a fragment without an item root"
    elif code == "unsupported-item":
        assert re.search(rb"<" + words.encode() + rb"\b", data)


@pytest.mark.parametrize("path", _files("iptc-newsml-g2/examples/*.xml"))
def test_every_newsml_g2_example_is_parsed_or_refused_with_a_reason(path: Path | None) -> None:
    path = _require(path)
    try:
        items = parse_bytes(path.read_bytes(), path.name)
    except WireParseError as err:
        assert err.reason
    else:
        assert all(i.headline and i.guid for i in items)


def _ninjs_kind(path: Path) -> str:
    """The sample's item type: "text"/"picture" (what sokuho ingests) or "other"."""
    try:
        obj = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "other"
    if not isinstance(obj, dict) or "uri" not in obj:
        return "other"  # collections (arrays), schemas
    kind = obj.get("type")
    if kind in ("text", "picture"):
        return kind
    # No type at all but a body: a text item (dpa_text.json).
    if kind is None and any(k.startswith("body") for k in obj):
        return "text"
    return "other"


def _ninjs_examples(wanted: bool) -> list[object]:
    params = _files("iptc-newsinjson/examples/**/*.json")
    if ROOT is None:
        return params
    chosen = [p for p in params if (_ninjs_kind(p.values[0]) != "other") == wanted]  # type: ignore[attr-defined]
    return chosen or [pytest.param(None, id="no-matching-ninjs-examples")]


@pytest.mark.parametrize("path", _ninjs_examples(True))
def test_ninjs_text_and_picture_examples(path: Path | None) -> None:
    path = _require(path)
    kind = _ninjs_kind(path)
    (item,) = parse_bytes(path.read_bytes(), path.name)
    assert item.format == "ninjs"
    assert item.headline.strip()
    assert item.is_usable
    assert item.item_class == kind
    if kind == "picture":
        assert item.pictures and item.pictures[0].href.startswith("http")


@pytest.mark.parametrize("path", _ninjs_examples(False))
def test_other_ninjs_examples_are_parsed_or_refused_with_a_reason(path: Path | None) -> None:
    """Audio, video, composite, events, collections and schema files."""
    path = _require(path)
    try:
        items = parse_bytes(path.read_bytes(), path.name)
    except WireParseError as err:
        assert err.reason
    else:
        assert all(i.headline and i.guid for i in items)


def _should(kind: str) -> list[object]:
    return [
        *_files(f"iptc-newsml-g2/unit_test_files/*/{kind}/*.xml"),
        *_files(f"iptc-newsinjson/test_suite/*/{kind}/*.json"),
    ]


@pytest.mark.parametrize("path", _should("should_fail"))
def test_should_fail_files_are_refused_or_warned(path: Path | None) -> None:
    """Schema-invalid samples: refused with a reason, or parsed with warnings. Never
    any other exception."""
    path = _require(path)
    try:
        items = parse_bytes(path.read_bytes(), path.name)
    except WireParseError as err:
        assert err.reason.strip()
        return
    assert items
    for item in items:
        assert item.warnings, f"{path.name} parsed without any warning"


@pytest.mark.parametrize("path", _should("should_pass"))
def test_should_pass_files_never_raise_anything_else(path: Path | None) -> None:
    """Schema-valid samples are mostly minimal (no headline): a reasoned refusal is fine."""
    path = _require(path)
    try:
        items = parse_bytes(path.read_bytes(), path.name)
    except WireParseError as err:
        assert err.reason.strip()
    else:
        assert all(i.headline and i.guid for i in items)
