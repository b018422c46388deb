"""Japanese text analysis for full-text search: Sudachi morphemes turned into search terms.

One pipeline serves indexing and querying, so a query word maps to the same terms as the
indexed text that contains it:

1. Sudachi (sudachidict-core) tokenises the text once in split mode C; each C morpheme is
   split into its mode A parts with ``Morpheme.split`` (the same result as a second mode A
   pass, at about half the cost). Sudachi's input plugin NFKC-normalises for the dictionary
   lookup, so the text is passed unchanged and morpheme offsets stay valid for it.
2. Every morpheme's ``normalized_form()`` becomes a term (附属/付属, 引越し/引っ越し,
   ＡＩ/AI, コンピュータ/コンピューター, 始まった/始まる): NFKC, lowercase,
   digit-grouping commas removed (1,234 = 1234), :func:`fold_katakana`, then cut at every
   character that is not a letter, digit, mark or private-use character (Wi-Fi gives
   ``wi`` ``fi``), keeping pieces with a letter or digit. A term is therefore always one
   token for the FTS5 tokenizer (see ``sokuho.search.query.FTS5_TOKENIZE``); PostgreSQL
   reads indexed text and queries through one parser, so any split it makes is the same on
   both sides.
3. Numeric normalisation is OFF. sudachidict-core's bundled config runs ``JoinNumericPlugin``
   with ``enableNormalize: true``, which makes 三 (alone, or in 三人) ``3`` but leaves the
   三 of 三者 alone, and turns 一万二千 into ``12000``: the same character would give
   different terms depending on context. We load the dictionary with that plugin's
   ``enableNormalize`` set to false (numbers are still joined: ``1,234`` stays one morpheme)
   and the tests check 三 stays 三. The price: 三か月 and 3か月 are different terms.

Particles (助詞), auxiliary verbs (助動詞), punctuation (補助記号) and whitespace (空白) are
not indexed, in the text and in queries alike. Punctuation goes by the letter-or-digit rule
above rather than by POS, since Sudachi also tags unknown rare kanji (𠮷, 𩸽) 補助記号 and
those are kept. A news article has about a third fewer terms this way (276 of 794 words in
the benchmark article are particles or auxiliaries), and a phrase query still works because
both sides drop the same morphemes: 「東京の知事」 is the adjacent terms 東京 知事 (it also
matches 東京が知事 — accepted). Everything else is kept: nouns, verbs and adjectives (in
dictionary form), prefixes and suffixes (第, 者, 氏, 県), symbols that are letters (α).

:func:`index_terms` lists the mode A terms in text order, then the mode C compounds
(三者, 都知事, 東京都知事選挙) that differ from their A split. The compounds come last so
that the A terms keep consecutive positions for phrase matching; a compound has no phrase
neighbours, it only adds a whole-word match (and term frequency) for search and ranking.

Katakana folding merges some distinct words (ビール/ビル, ティー/テイ): accepted for the
sake of transliteration variants (ウィットモア/ウィトモア/ウイットモア).
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import sudachipy
from sudachipy import Dictionary, MorphemeList, SplitMode, Tokenizer

__all__ = [
    "Token",
    "fold_katakana",
    "index_terms",
    "normalize_text",
    "nouns",
    "query_compound",
    "query_terms",
    "sudachi_config",
    "term_spans",
]

#: Text is tokenised in chunks of at most this many characters, cut at a line or sentence
#: end where possible. Sudachi refuses inputs over 48 KiB (64 KiB after normalisation).
CHUNK_CHARS = 4000

#: POS (first level) never indexed. Punctuation (補助記号) needs no rule: it has no letters
#: or digits, so it gives no terms; and Sudachi tags unknown rare kanji (𠮷, 𩸽) 補助記号.
_DROPPED_POS = frozenset({"助詞", "助動詞", "空白"})
#: Noun subclasses that are not content words for :func:`nouns`.
_NON_CONTENT_NOUNS = frozenset({"数詞", "助動詞語幹"})
#: 副詞可能 nouns are mostly time and place words (今回, 今後, 中, 後, 際). Counters
#: (助数詞可能) stay: 株, 票, 社, ドル carry meaning and IDF weighs down 年, 月, 回.
_NON_CONTENT_NOUN_TYPES = frozenset({"副詞可能"})
#: Formal nouns (形式名詞) by normalised form, not content words either.
_FORMAL_NOUNS = frozenset(
    {"こと", "事", "もの", "物", "ため", "為", "ところ", "所", "わけ", "訳"}
    | {"はず", "筈", "よう", "様", "とき", "時", "ほか", "他", "等"}
)

_POS_DROP = 0
_POS_KEEP = 1
_POS_NOUN = 2  # kept, and a content noun
_POS_SYMBOL = 3  # 補助記号: kept; a content noun when out of vocabulary (𠮷)

_SURROGATES = re.compile("[\ud800-\udfff]")
_DIGIT_GROUPING = re.compile(r"(?<=\d),(?=\d)")
_VU = re.compile("ヴ[ァィゥェォャュョ]?")
_VU_FOLDS = {
    "ヴ": "ブ",
    "ヴァ": "バ",
    "ヴィ": "ビ",
    "ヴゥ": "ブ",
    "ヴェ": "ベ",
    "ヴォ": "ボ",
    "ヴャ": "ビャ",
    "ヴュ": "ビュ",
    "ヴョ": "ビョ",
}
_KATAKANA_FOLDS = str.maketrans(
    {
        "ー": None,
        "ッ": None,
        "ァ": "ア",
        "ィ": "イ",
        "ゥ": "ウ",
        "ェ": "エ",
        "ォ": "オ",
        "ヷ": "バ",
        "ヸ": "ビ",
        "ヹ": "ベ",
        "ヺ": "ボ",
    }
)
_CHUNK_BREAKS = ("\n", "。", "！", "？", "!", "?", " ", "　", "、")


class Token(NamedTuple):
    """A mode A term and the span ``text[start:end]`` it came from."""

    start: int
    end: int
    term: str


def normalize_text(text: str) -> str:
    """NFKC, then lowercase: ＡＩ → ai, ｶﾀｶﾅ → カタカナ."""
    return unicodedata.normalize("NFKC", text).lower()


def fold_katakana(term: str) -> str:
    """Fold katakana spelling variants of a normalised term.

    ヴァ ヴィ ヴ ヴェ ヴォ → バ ビ ブ ベ ボ, ー and small ッ removed, small ァィゥェォ made
    large: ウィットモア, ウィトモア and ウイトモア all become ウイトモア.
    """
    if "ヴ" in term:
        term = _VU.sub(lambda match: _VU_FOLDS[match[0]], term)
    return term.translate(_KATAKANA_FOLDS)


def _is_term_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


@lru_cache(maxsize=32768)
def _form_terms(form: str) -> tuple[str, ...]:
    """The terms for one morpheme's normalised form (usually one, none for symbols)."""
    term = normalize_text(form)
    if "," in term:
        term = _DIGIT_GROUPING.sub("", term)
    term = fold_katakana(term)
    if term.isalnum() and all(_is_term_char(char) for char in term):
        return (term,)
    pieces: list[str] = []
    current: list[str] = []
    for char in (*term, " "):
        if _is_term_char(char):
            current.append(char)
        elif current:
            piece = "".join(current)
            current.clear()
            if any(unicodedata.category(c)[0] in "LN" for c in piece):
                pieces.append(piece)
    return tuple(pieces)


# -- the tokenizer ------------------------------------------------------------------------

_lock = threading.Lock()
_dictionary: Dictionary | None = None
_pos_classes: list[int] = []
_local = threading.local()


def sudachi_config() -> dict:
    """sudachidict-core's bundled Sudachi config with numeric normalisation switched off."""
    path = Path(sudachipy.__file__).parent / "resources" / "sudachi.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config.pop("systemDict", None)
    for plugin in config.get("pathRewritePlugin", []):
        if plugin.get("class", "").endswith("JoinNumericPlugin"):
            plugin["enableNormalize"] = False
    return config


def _classify(pos: tuple[str, ...]) -> int:
    if pos[0] in _DROPPED_POS:
        return _POS_DROP
    if pos[0] == "補助記号":
        return _POS_SYMBOL
    if pos[0] == "名詞" and pos[1] not in _NON_CONTENT_NOUNS:
        return _POS_KEEP if pos[2] in _NON_CONTENT_NOUN_TYPES else _POS_NOUN
    return _POS_KEEP


def _get_dictionary() -> Dictionary:
    global _dictionary
    if _dictionary is None:
        with _lock:
            if _dictionary is None:
                dictionary = Dictionary(config=json.dumps(sudachi_config()), dict="core")
                classes = []
                while (pos := dictionary.pos_of(len(classes))) is not None:
                    classes.append(_classify(pos))
                _pos_classes[:] = classes
                _dictionary = dictionary
    return _dictionary


def _tokenizer() -> tuple[Tokenizer, MorphemeList]:
    """This thread's mode C tokenizer and a scratch list for splits (they are not thread-safe)."""
    state = getattr(_local, "state", None)
    if state is None:
        tokenizer = _get_dictionary().tokenizer(SplitMode.C)
        state = _local.state = (tokenizer, tokenizer.tokenize(""))
    return state


def _pos_class(morpheme) -> int:
    pos_id = morpheme.part_of_speech_id()
    if 0 <= pos_id < len(_pos_classes):
        pos_class = _pos_classes[pos_id]
    else:
        pos_class = _classify(morpheme.part_of_speech())
    if pos_class == _POS_SYMBOL:
        return _POS_NOUN if morpheme.is_oov() else _POS_KEEP
    return pos_class


def _chunks(text: str) -> list[tuple[int, str]]:
    """``(offset, chunk)`` pieces of at most CHUNK_CHARS, cut after a break if possible."""
    if _SURROGATES.search(text):
        text = _SURROGATES.sub(" ", text)  # same length: offsets stay valid
    if len(text) <= CHUNK_CHARS:
        return [(0, text)] if text else []
    chunks = []
    start = 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            for mark in _CHUNK_BREAKS:
                cut = text.rfind(mark, start + CHUNK_CHARS // 2, end)
                if cut != -1:
                    end = cut + 1
                    break
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def _morphemes(text: str):
    """Mode C morphemes of the text as ``(offset, morpheme)``, chunk by chunk."""
    tokenizer, _ = _tokenizer()
    pending = _chunks(text)
    pending.reverse()
    while pending:
        offset, chunk = pending.pop()
        try:
            morphemes = tokenizer.tokenize(chunk)
        except sudachipy.errors.SudachiError:
            # Too long once normalised (e.g. U+FDFA expands to 18 characters): halve it.
            if len(chunk) > 1:
                half = len(chunk) // 2
                pending.append((offset + half, chunk[half:]))
                pending.append((offset, chunk[:half]))
            continue
        for morpheme in morphemes:
            yield offset, morpheme


def _analyse(text: str, *, compounds: bool, nouns_only: bool) -> list[str]:
    terms: list[str] = []
    extra: list[str] = []
    _, scratch = _tokenizer()
    wanted = _POS_NOUN if nouns_only else _POS_KEEP
    for _, morpheme in _morphemes(text):
        # With ``out``, an unsplit morpheme gives an empty list (add_single is ignored).
        parts = morpheme.split(SplitMode.A, out=scratch)
        if len(parts) <= 1:
            if _pos_class(morpheme) >= wanted:
                terms.extend(_form_terms(morpheme.normalized_form()))
            continue
        part_terms: list[str] = []
        for part in parts:
            if _pos_class(part) >= wanted:
                part_terms.extend(_form_terms(part.normalized_form()))
        terms.extend(part_terms)
        if compounds and _pos_class(morpheme) >= wanted:
            whole = _form_terms(morpheme.normalized_form())
            if len(whole) == 1 and whole[0] not in part_terms:
                extra.append(whole[0])
    terms.extend(extra)
    return terms


# -- public API ---------------------------------------------------------------------------


def index_terms(text: str) -> list[str]:
    """Terms to index for a text: mode A terms in order, then mode C compounds."""
    return _analyse(text, compounds=True, nouns_only=False)


def query_terms(text: str) -> list[str]:
    """Mode A terms of a query word, to be matched as adjacent terms (a phrase)."""
    return _analyse(text, compounds=False, nouns_only=False)


def query_compound(text: str) -> str | None:
    """The mode C compound term when the whole query word is one (三者, 東京都), else None.

    An alternative to the :func:`query_terms` phrase, matching the compounds
    :func:`index_terms` adds; useful when the word is split differently in context.
    """
    compound = None
    for _, morpheme in _morphemes(text):
        if _pos_class(morpheme) == _POS_DROP or not _form_terms(morpheme.normalized_form()):
            continue
        if compound is not None:
            return None
        compound = morpheme
    if compound is None or len(compound.split(SplitMode.A)) <= 1:
        return None
    terms = _form_terms(compound.normalized_form())
    return terms[0] if len(terms) == 1 else None


def nouns(text: str) -> list[str]:
    """Content nouns, normalised like index terms: mode A, then mode C compounds.

    普通名詞 and 固有名詞 (also unknown words), without numerals (数詞), pronouns (代名詞),
    adverbial nouns (副詞可能: 今回, 今後) and formal nouns (こと, もの, ため): for TF-IDF
    similarity between articles.
    """
    return [
        term
        for term in _analyse(text, compounds=True, nouns_only=True)
        if term not in _FORMAL_NOUNS
    ]


def term_spans(text: str) -> list[Token]:
    """The mode A terms of a text with their offsets in it, for highlighting snippets."""
    spans: list[Token] = []
    _, scratch = _tokenizer()
    for offset, morpheme in _morphemes(text):
        parts = morpheme.split(SplitMode.A, out=scratch)
        for part in parts if len(parts) > 1 else (morpheme,):
            if _pos_class(part) == _POS_DROP:
                continue
            start, end = offset + part.begin(), offset + part.end()
            spans.extend(Token(start, end, term) for term in _form_terms(part.normalized_form()))
    return spans
