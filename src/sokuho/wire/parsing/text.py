"""Small text normalisations shared by the format parsers: whitespace, by-lines,
datelines. Japanese and Western conventions both occur on the same wire."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
# CJK ideographs, kana, full-width forms and CJK punctuation: a line break between two
# of these is a wrap, not a word boundary, so it must not become a space.
_CJK = "\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_WRAP = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")


def norm_space(text: str | None) -> str:
    """Collapse runs of whitespace to one space, dropping wraps inside Japanese text."""
    if not text:
        return ""
    if "\n" in text:
        text = CJK_WRAP.sub("", text)
    # A full-width space separates the clauses of a Japanese headline (…で合意　交渉継続):
    # a run of whitespace holding one stays one full-width space.
    return _WS.sub(_one_space, text).strip()


def _one_space(match: re.Match[str]) -> str:
    return "\u3000" if "\u3000" in match.group() else " "


_BY_PREFIX = re.compile(r"^\s*(?:by|von|par|por|av|di|door|af)\s*[:：]?\s+", re.IGNORECASE)
_BY_JA_PREFIX = re.compile(r"^\s*(?:文|文・写真|写真|取材|執筆|記者)\s*[：:・／/]\s*")
_PARENS = re.compile(r"[(（][^()（）]*[)）]|【[^【】]*】|\[[^\[\]]*\]")
_SPLIT = re.compile(
    r"\s*(?:,|、|，|;|；|&|＆|\band\b|\bund\b|\bet\b|\boch\b|\bog\b)\s*", re.IGNORECASE
)
_JA_TITLE_SUFFIX = re.compile(
    r"\s*(?:記者|特派員|編集委員|論説委員|通信員|カメラマン|撮影|写真|記)$"
)
_ROLE_WORDS = re.compile(
    r"^(?:(?:the|staff|special|senior|chief|political|foreign|sports|science|business|"
    r"associated|press|news|agency|contributing)\s+)*"
    r"(?:reporter|writer|correspondent|editor|photographer|columnist|staff|"
    r"associated press|press|writers|reporters|correspondents)s?$",
    re.IGNORECASE,
)
_OF_AGENCY = re.compile(r"\s+of\s+(?:the\s+)?[A-Z].*$")
_AGENCY_TOKEN = re.compile(r"^(?:[a-z]{2,5}|[A-Z]{2,6})$")


def split_byline(text: str | None) -> list[str]:
    """Person names from a by-line.

    ``"By Jane Roe and John Doe"`` → ``["Jane Roe", "John Doe"]``;
    ``"山田花子、鈴木一郎"`` → ``["山田花子", "鈴木一郎"]``;
    ``"Von Christian Hollmann, dpa"`` → ``["Christian Hollmann"]``.
    Job titles ("Staff Reporter", 記者) and bare agency tokens are dropped; the
    katakana middle dot is kept because it separates given and family names.
    """
    text = norm_space(text)
    if not text:
        return []
    text = _BY_PREFIX.sub("", text)
    text = _BY_JA_PREFIX.sub("", text)
    text = _PARENS.sub(" ", text)
    names: list[str] = []
    for raw in _SPLIT.split(text):
        part = _BY_PREFIX.sub("", raw.strip(" ・/／-—"))
        part = _JA_TITLE_SUFFIX.sub("", part)
        part = _OF_AGENCY.sub("", part).strip()
        if not part or _ROLE_WORDS.match(part):
            continue
        if _AGENCY_TOKEN.match(part) and len(names) > 0:
            continue  # "…, dpa" / "…, AP": the agency, not a second author
        if part not in names:
            names.append(part)
    return names


_DATELINE_BRACKETED = re.compile(r"^\s*[【\[［〔(（]\s*([^】\]］〕)）]+)[】\]］〕)）]")
_DATELINE_CUT = re.compile(r"\s*(?:,|、|，|\(|（|—|–|\s-\s|=|＝|\s\d{1,2}日|\d{1,2}日)")


def dateline_place(dateline: str | None) -> str:
    """The place in a dateline: ``"MOSCOW, Monday (Reuters)"`` → ``"MOSCOW"``,
    ``"【ほしぞら市＝共同】"`` → ``"ほしぞら市"``, ``"[キーウ 5日 ロイター]"`` → ``"キーウ"``."""
    text = norm_space(dateline)
    if not text:
        return ""
    m = _DATELINE_BRACKETED.match(text)
    if m:
        text = m.group(1)
        text = text.split(" ")[0] if " " in text else text
    cut = _DATELINE_CUT.search(text)
    place = (text[: cut.start()] if cut else text).strip(" 　・:：")
    return place if 0 < len(place) <= 60 else ""
