"""Turn wire bytes into text the parsers can trust, honouring the declared encoding.

Japanese wires still send Shift_JIS, EUC-JP and ISO-2022-JP; European ones declare
ISO-8859-1 and send Windows-1252. libxml2 only knows some of these (and not the
Microsoft extensions of Shift_JIS such as ①), so non-UTF-8 XML is decoded here with
Python's codecs and handed to lxml as UTF-8.
"""

from __future__ import annotations

import codecs
import re

from .errors import WireParseError

# Declared label → (Python codec, fallbacks tried when the bytes do not fit the label).
# Shift_JIS is read as cp932 because what Japanese systems call Shift_JIS is cp932
# (NEC/IBM extensions: ①, ㈱, 髙); plain shift_jis would reject real feeds.
_CODECS: dict[str, tuple[str, tuple[str, ...]]] = {
    "utf-8": ("utf-8", ("cp932", "euc_jp", "cp1252")),
    "utf8": ("utf-8", ("cp932", "euc_jp", "cp1252")),
    "shift_jis": ("cp932", ("shift_jis_2004", "utf-8")),
    "shift-jis": ("cp932", ("shift_jis_2004", "utf-8")),
    "sjis": ("cp932", ("shift_jis_2004", "utf-8")),
    "x-sjis": ("cp932", ("shift_jis_2004", "utf-8")),
    "ms_kanji": ("cp932", ("shift_jis_2004", "utf-8")),
    "csshiftjis": ("cp932", ("shift_jis_2004", "utf-8")),
    "windows-31j": ("cp932", ("shift_jis_2004", "utf-8")),
    "cp932": ("cp932", ("shift_jis_2004", "utf-8")),
    "euc-jp": ("euc_jp", ("euc_jis_2004", "cp932", "utf-8")),
    "eucjp": ("euc_jp", ("euc_jis_2004", "cp932", "utf-8")),
    "x-euc-jp": ("euc_jp", ("euc_jis_2004", "cp932", "utf-8")),
    "iso-2022-jp": ("iso2022_jp", ("iso2022_jp_ext", "iso2022_jp_2", "iso2022_jp_2004")),
    "csiso2022jp": ("iso2022_jp", ("iso2022_jp_ext", "iso2022_jp_2", "iso2022_jp_2004")),
    "iso-8859-1": ("latin-1", ()),
    "iso8859-1": ("latin-1", ()),
    "latin1": ("latin-1", ()),
    "latin-1": ("latin-1", ()),
    "l1": ("latin-1", ()),
    "windows-1252": ("cp1252", ("latin-1",)),
    "cp1252": ("cp1252", ("latin-1",)),
    "us-ascii": ("ascii", ("utf-8", "cp1252")),
    "ascii": ("ascii", ("utf-8", "cp1252")),
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_XML_DECL = re.compile(rb"\s*<\?xml\b[^>]*?\?>")
_DECL_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:+-]{1,40})["']""")
_DECL_ENCODING_STR = re.compile(r"""\A(\s*<\?xml\b[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")
_C1 = re.compile("[\x80-\x9f]")
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I", b"\x1b$(D")


def sniff_bom(data: bytes) -> tuple[str, int] | None:
    """``(codec, bom length)`` when the bytes start with a Unicode byte-order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def sniff_unmarked_utf16(data: bytes) -> str | None:
    """UTF-16/32 without a BOM, recognised by the NUL bytes around ASCII ``<`` or ``{``."""
    head = data[:4]
    if len(head) < 4:
        return None
    if head[1:4] == b"\0\0\0" and head[0]:
        return "utf-32-le"
    if head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be"
    if head[0] == 0 and head[1] and head[2] == 0:
        return "utf-16-be"
    if head[0] and head[1] == 0 and head[3] == 0:
        return "utf-16-le"
    return None


def declared_xml_encoding(data: bytes) -> str | None:
    """The ``encoding`` of an ASCII-compatible XML declaration, lower-cased."""
    m = _XML_DECL.match(data, 0, 400)
    if m is None:
        return None
    enc = _DECL_ENCODING.search(m.group(0))
    return enc.group(1).decode("ascii").lower() if enc else None


def decode_xml(data: bytes, warnings: list[str]) -> bytes:
    """Return the document as UTF-8 bytes whose declaration (if any) says UTF-8."""
    bom = sniff_bom(data)
    if bom is not None:
        # The byte-order mark wins over the declaration (XML 1.0, appendix F).
        codec, skip = bom
        if codec == "utf-8":
            body = data[skip:]
            _check_utf8(body)
            declared = declared_xml_encoding(body)
            if declared and declared not in ("utf-8", "utf8"):
                warnings.append(f"byte-order mark says UTF-8 but the declaration says {declared}")
                return _reencode(body.decode("utf-8"))
            return body
        try:
            return _reencode(data[skip:].decode(codec))
        except UnicodeDecodeError as exc:
            raise WireParseError(
                f"invalid {codec} after its byte-order mark", code="encoding"
            ) from exc
    unmarked = sniff_unmarked_utf16(data)
    if unmarked is not None:
        try:
            text = data.decode(unmarked)
        except UnicodeDecodeError as exc:
            raise WireParseError(
                f"looks like {unmarked} without a byte-order mark but is not: {exc.reason}",
                code="encoding",
            ) from exc
        warnings.append(f"{unmarked} without a byte-order mark")
        return _reencode(text)
    declared = declared_xml_encoding(data)
    if declared in (None, "utf-8", "utf8"):
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            pass  # fall through to the tolerant decoder, which warns
    text, _ = decode_text(data, declared or "utf-8", warnings)
    return _reencode(text)


def decode_json(data: bytes, warnings: list[str]) -> str:
    """JSON text: BOM if present, else UTF-8 (RFC 8259), else a warned guess."""
    bom = sniff_bom(data)
    if bom is not None:
        codec, skip = bom
        try:
            return data[skip:].decode(codec)
        except UnicodeDecodeError as exc:
            raise WireParseError(
                f"invalid {codec} after its byte-order mark", code="encoding"
            ) from exc
    unmarked = sniff_unmarked_utf16(data)
    if unmarked is not None:
        warnings.append(f"JSON in {unmarked} without a byte-order mark")
        try:
            return data.decode(unmarked)
        except UnicodeDecodeError as exc:
            raise WireParseError(f"invalid {unmarked} JSON", code="encoding") from exc
    if any(esc in data for esc in _ISO2022_ESCAPES):
        # 7-bit ISO-2022-JP is valid ASCII, so only its escape sequences give it away.
        text, _ = decode_text(data, "iso-2022-jp", warnings)
        warnings.append("JSON was ISO-2022-JP, not UTF-8")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_text(data, "utf-8", warnings)[0]


def decode_text(data: bytes, label: str, warnings: list[str]) -> tuple[str, str]:
    """Decode with the codec for ``label``, falling back (with a warning) when the
    bytes do not fit. Returns the text and the codec actually used."""
    label = label.lower()
    primary, fallbacks = _CODECS.get(label, (label, ("utf-8",)))
    try:
        codecs.lookup(primary)
    except LookupError as exc:
        raise WireParseError(f"unknown character encoding {label!r}", code="encoding") from exc
    try:
        text = data.decode(primary)
    except UnicodeDecodeError as first:
        for codec in fallbacks:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            warnings.append(
                f"declared/assumed encoding {label} does not fit the bytes "
                f"({first.reason} at byte {first.start}); decoded as {codec}"
            )
            return text, codec
        raise WireParseError(
            f"bytes are not valid {label} ({first.reason} at byte {first.start}) "
            "and no fallback encoding fits",
            code="encoding",
        ) from first
    if primary == "latin-1" and _C1.search(text):
        # ISO-8859-1 C1 controls are almost always Windows-1252 punctuation (’ “ —).
        try:
            text = data.decode("cp1252")
            warnings.append("declared ISO-8859-1 but uses Windows-1252 characters; read as cp1252")
            primary = "cp1252"
        except UnicodeDecodeError:
            pass
    return text, primary


def _reencode(text: str) -> bytes:
    if text.startswith("\ufeff"):
        text = text[1:]
    # lxml must not re-interpret UTF-8 bytes with the original label.
    text = _DECL_ENCODING_STR.sub(r"\1\2UTF-8\2", text, count=1)
    return text.encode("utf-8")


def _check_utf8(data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WireParseError(
            f"UTF-8 byte-order mark but invalid UTF-8 at byte {exc.start}", code="encoding"
        ) from exc
